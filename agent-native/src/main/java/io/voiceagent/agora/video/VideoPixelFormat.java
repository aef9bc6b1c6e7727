package io.voiceagent.agora.video;

/**
 * Pixel formats a {@link LocalVideoTrack} accepts (VIDEO_PIXEL_FORMAT, reference §6.1, §7.7). Sizes
 * follow the reference's buffer rules: the stride is in pixels.
 */
public enum VideoPixelFormat {
    /** Planar Y, then U, then V, each chroma plane a quarter of Y: {@code stride x height x 3 / 2} bytes. */
    I420(1),
    /** Bytes B, G, R, A per pixel: {@code stride x height x 4} bytes. */
    BGRA(2),
    /** Bytes R, G, B, A per pixel: {@code stride x height x 4} bytes (what Agora's JPEG sample sends). */
    RGBA(4);

    private final int value;

    VideoPixelFormat(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }

    /** Whether each pixel carries an alpha byte. */
    public boolean hasAlpha() {
        return this != I420;
    }

    /** Bytes of a picture {@code strideInPixels} wide and {@code height} rows high. */
    public long bufferBytes(int strideInPixels, int height) {
        long pixels = (long) strideInPixels * height;
        return this == I420 ? pixels * 3 / 2 : pixels * 4;
    }
}
