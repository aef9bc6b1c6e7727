package io.voiceagent.agora.video;

/**
 * A remote user's decoded video frame, copied out of the SDK's memory: tightly packed I420 (Y
 * {@code width x height} bytes, then U and V of {@code width/2 x height/2} each), its rotation, the
 * metadata the sender attached, and the alpha plane when the sender encoded one. The arrays are
 * this object's; do not change them (they are not copied again).
 *
 * @param userId who sent it
 * @param width width in pixels
 * @param height height in pixels
 * @param rotation how the sender said it is rotated
 * @param renderTimeMs the SDK's render timestamp, in milliseconds
 * @param i420 the planes, tightly packed
 * @param metadata bytes attached by the sender (empty for none)
 * @param alpha {@code width x height} alpha bytes, or null
 * @param alphaMode where the sender stitched the alpha plane
 */
public record ReceivedVideoFrame(String userId, int width, int height, VideoRotation rotation, long renderTimeMs,
        byte[] i420, byte[] metadata, byte[] alpha, AlphaMode alphaMode) {

    /** The luma (Y) sample at ({@code x}, {@code y}). */
    public int luma(int x, int y) {
        return i420[y * width + x] & 0xff;
    }

    /** The U sample covering pixel ({@code x}, {@code y}). */
    public int chromaU(int x, int y) {
        return i420[width * height + (y / 2) * (width / 2) + x / 2] & 0xff;
    }

    /** The V sample covering pixel ({@code x}, {@code y}). */
    public int chromaV(int x, int y) {
        int c = (width / 2) * (height / 2);
        return i420[width * height + c + (y / 2) * (width / 2) + x / 2] & 0xff;
    }

    /**
     * The picture as packed 0xAARRGGBB pixels (row by row), converting YUV with {@code colorSpace}'s
     * matrix and range (the receiver has to know what the sender used; alpha 255 unless the frame has
     * an alpha plane).
     */
    public int[] toArgb(ColorSpace colorSpace) {
        double[] k = colorSpace.lumaCoefficients();
        double kr = k[0];
        double kb = k[1];
        double kg = 1 - kr - kb;
        boolean full = colorSpace.isFullRange();
        double ys = full ? 1.0 : 255.0 / 219.0;
        double cs = full ? 1.0 : 255.0 / 224.0;
        double yoff = full ? 0 : 16;
        int[] out = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double yy = (luma(x, y) - yoff) * ys;
                double pb = (chromaU(x, y) - 128) * cs;
                double pr = (chromaV(x, y) - 128) * cs;
                double r = yy + 2 * (1 - kr) * pr;
                double b = yy + 2 * (1 - kb) * pb;
                double g = (yy - kr * r - kb * b) / kg;
                int a = alpha == null ? 255 : alpha[y * width + x] & 0xff;
                out[y * width + x] = a << 24 | clamp(r) << 16 | clamp(g) << 8 | clamp(b);
            }
        }
        return out;
    }

    private static int clamp(double v) {
        long r = Math.round(v);
        return (int) (r < 0 ? 0 : r > 255 ? 255 : r);
    }

    @Override
    public String toString() {
        return "ReceivedVideoFrame[" + userId + " " + width + "x" + height + ", " + rotation + ", t=" + renderTimeMs
                + (metadata.length > 0 ? ", " + metadata.length + " metadata bytes" : "") + (alpha != null ? ", alpha"
                : "") + "]";
    }
}
