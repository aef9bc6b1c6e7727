package io.voiceagent.agora.video;

/** How far a frame is rotated clockwise, in degrees (VIDEO_ORIENTATION: 0, 90, 180, 270). */
public enum VideoRotation {
    NONE(0),
    CW_90(90),
    CW_180(180),
    CW_270(270);

    private final int degrees;

    VideoRotation(int degrees) {
        this.degrees = degrees;
    }

    /** The C value. */
    public int degrees() {
        return degrees;
    }

    /**
     * The rotation of {@code degrees}.
     *
     * @throws IllegalArgumentException naming the value if it is not 0, 90, 180 or 270
     */
    public static VideoRotation fromDegrees(int degrees) {
        for (VideoRotation r : values()) {
            if (r.degrees == degrees) {
                return r;
            }
        }
        throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270 degrees; got " + degrees);
    }
}
