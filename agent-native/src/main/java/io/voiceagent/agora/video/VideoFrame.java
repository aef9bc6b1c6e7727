package io.voiceagent.agora.video;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One raw frame to send through a {@link LocalVideoTrack}: I420, RGBA or BGRA pixels with their
 * stride, rotation, timestamp, colour space, optional metadata and alpha (the fields of
 * {@code external_video_frame}, reference §3.2). Built and checked by {@link #builder}; the pixel
 * buffer is not copied, so do not change it until {@link LocalVideoTrack#send} returns (the SDK
 * itself needs it only during that call). A direct {@link ByteBuffer} is passed to the SDK without
 * a copy. Immutable once built, apart from the caller's buffers.
 *
 * <pre>{@code
 * VideoFrame frame = VideoFrame.builder(VideoPixelFormat.RGBA, 640, 480, rgbaBytes)
 *         .colorSpace(ColorSpace.BT709_FULL)
 *         .timestampMs(System.currentTimeMillis())
 *         .build();
 * track.send(frame);
 * }</pre>
 */
public final class VideoFrame {
    /** Largest metadata attached to one frame, in bytes. */
    public static final int MAX_METADATA_BYTES = 1024;
    /** Largest width or height (and stride) this SDK accepts. */
    public static final int MAX_DIMENSION = 4096;

    private final VideoPixelFormat format;
    private final int width;
    private final int height;
    private final int stride;
    private final ByteBuffer data;
    private final VideoRotation rotation;
    private final long timestampMs;
    private final ColorSpace colorSpace;
    private final byte[] metadata;
    private final byte[] alphaPlane;
    private final boolean alphaFromPixels;
    private final AlphaMode alphaMode;

    private VideoFrame(Builder b) {
        format = b.format;
        width = b.width;
        height = b.height;
        stride = b.stride == 0 ? b.width : b.stride;
        data = b.data;
        rotation = b.rotation;
        timestampMs = b.timestampMs;
        colorSpace = b.colorSpace;
        metadata = b.metadata;
        alphaPlane = b.alphaPlane;
        alphaFromPixels = b.alphaFromPixels;
        alphaMode = b.alphaMode;
    }

    /**
     * A builder for a {@code width x height} frame in {@code format} whose pixels start at the
     * buffer's position (tightly packed unless {@link Builder#stride} says otherwise).
     */
    public static Builder builder(VideoPixelFormat format, int width, int height, ByteBuffer data) {
        return new Builder(format, width, height, data);
    }

    /** {@link #builder(VideoPixelFormat, int, int, ByteBuffer)} over an array. */
    public static Builder builder(VideoPixelFormat format, int width, int height, byte[] data) {
        return new Builder(format, width, height, ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    public VideoPixelFormat format() {
        return format;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Pixels per row in the buffer (at least {@link #width()}). */
    public int stride() {
        return stride;
    }

    /** The pixels, from the buffer's position; a view, not a copy. */
    public ByteBuffer data() {
        return data.duplicate();
    }

    public VideoRotation rotation() {
        return rotation;
    }

    /** Capture time in milliseconds; 0 lets the SDK stamp the frame. */
    public long timestampMs() {
        return timestampMs;
    }

    public ColorSpace colorSpace() {
        return colorSpace;
    }

    /** Bytes attached to the frame (empty for none); a copy. */
    public byte[] metadata() {
        return metadata.clone();
    }

    int metadataLength() {
        return metadata.length;
    }

    byte[] metadataArray() {
        return metadata;
    }

    /** An explicit alpha plane ({@code stride x height} bytes, 0 background, 255 foreground), or null. */
    byte[] alphaPlane() {
        return alphaPlane;
    }

    /** Whether the SDK should take the alpha plane from the RGBA/BGRA pixels ({@code fill_alpha_buffer}). */
    public boolean alphaFromPixels() {
        return alphaFromPixels;
    }

    /** Whether this frame carries alpha (it is sent only if the track's encoder config encodes alpha). */
    public boolean hasAlpha() {
        return alphaPlane != null || alphaFromPixels;
    }

    public AlphaMode alphaMode() {
        return alphaMode;
    }

    @Override
    public String toString() {
        return "VideoFrame[" + format + " " + width + "x" + height + (stride != width ? " stride " + stride : "")
                + ", " + rotation + (hasAlpha() ? ", alpha" : "") + (metadata.length > 0 ? ", " + metadata.length
                + " metadata bytes" : "") + "]";
    }

    /** Builder of a {@link VideoFrame}; not thread-safe. {@link #build()} checks every field. */
    public static final class Builder {
        private final VideoPixelFormat format;
        private final int width;
        private final int height;
        private final ByteBuffer data;
        private int stride;
        private VideoRotation rotation = VideoRotation.NONE;
        private long timestampMs;
        private ColorSpace colorSpace = ColorSpace.DEFAULT;
        private byte[] metadata = new byte[0];
        private byte[] alphaPlane;
        private boolean alphaFromPixels;
        private AlphaMode alphaMode = AlphaMode.NONE;

        private Builder(VideoPixelFormat format, int width, int height, ByteBuffer data) {
            this.format = Objects.requireNonNull(format, "format");
            this.width = width;
            this.height = height;
            this.data = Objects.requireNonNull(data, "data");
        }

        /** Pixels per buffer row, at least the width (default: the width). */
        public Builder stride(int strideInPixels) {
            this.stride = strideInPixels;
            return this;
        }

        public Builder rotation(VideoRotation rotation) {
            this.rotation = Objects.requireNonNull(rotation, "rotation");
            return this;
        }

        /** Capture time in milliseconds; 0 (the default) lets the SDK stamp the frame. */
        public Builder timestampMs(long timestampMs) {
            this.timestampMs = timestampMs;
            return this;
        }

        /** How RGBA becomes YUV at the encoder (default {@link ColorSpace#DEFAULT}). */
        public Builder colorSpace(ColorSpace colorSpace) {
            this.colorSpace = Objects.requireNonNull(colorSpace, "colorSpace");
            return this;
        }

        /** Up to {@value VideoFrame#MAX_METADATA_BYTES} bytes that travel with the frame (copied). */
        public Builder metadata(byte[] metadata) {
            this.metadata = Objects.requireNonNull(metadata, "metadata").clone();
            return this;
        }

        /** An explicit alpha plane, {@code stride x height} bytes (0 background, 255 foreground); not copied. */
        public Builder alphaPlane(byte[] alpha) {
            this.alphaPlane = Objects.requireNonNull(alpha, "alpha");
            return this;
        }

        /** Take the alpha plane from the A byte of each RGBA/BGRA pixel (the SDK's {@code fill_alpha_buffer}). */
        public Builder alphaFromPixels() {
            this.alphaFromPixels = true;
            return this;
        }

        public Builder alphaMode(AlphaMode alphaMode) {
            this.alphaMode = Objects.requireNonNull(alphaMode, "alphaMode");
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the parameter and value: width or height not even
         *     and in 2..{@value VideoFrame#MAX_DIMENSION}, a stride below the width (or odd, for I420),
         *     a buffer smaller than the frame, metadata too long, an alpha plane too small, alpha from
         *     the pixels of an I420 frame, or alpha both ways
         */
        public VideoFrame build() {
            dimension("width", width);
            dimension("height", height);
            int s = stride == 0 ? width : stride;
            if (s < width || s > MAX_DIMENSION) {
                throw new IllegalArgumentException("stride must be in " + width + ".." + MAX_DIMENSION
                        + " pixels (the width or more); got " + s);
            }
            if (format == VideoPixelFormat.I420 && (s & 1) != 0) {
                throw new IllegalArgumentException("stride of an I420 frame must be even; got " + s);
            }
            long need = format.bufferBytes(s, height);
            if (data.remaining() < need) {
                throw new IllegalArgumentException("data must hold " + need + " bytes for a " + format + " frame of "
                        + s + " x " + height + " pixels; got " + data.remaining());
            }
            if (metadata.length > MAX_METADATA_BYTES) {
                throw new IllegalArgumentException("metadata must be at most " + MAX_METADATA_BYTES + " bytes; got "
                        + metadata.length);
            }
            if (alphaPlane != null && alphaFromPixels) {
                throw new IllegalArgumentException("alpha comes either from an alphaPlane or from the pixels, not both");
            }
            if (alphaFromPixels && !format.hasAlpha()) {
                throw new IllegalArgumentException("alphaFromPixels needs RGBA or BGRA pixels; the format is " + format
                        + ": pass an alphaPlane instead");
            }
            if (alphaPlane != null && alphaPlane.length < (long) s * height) {
                throw new IllegalArgumentException("alphaPlane must hold stride x height = " + (long) s * height
                        + " bytes; got " + alphaPlane.length);
            }
            return new VideoFrame(this);
        }

        private static void dimension(String name, int v) {
            if (v < 2 || v > MAX_DIMENSION || (v & 1) != 0) {
                throw new IllegalArgumentException(name + " must be even and in 2.." + MAX_DIMENSION + " (I420 chroma"
                        + " is subsampled 2 x 2); got " + v);
            }
        }
    }
}
