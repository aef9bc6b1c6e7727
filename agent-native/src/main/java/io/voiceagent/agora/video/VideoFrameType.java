package io.voiceagent.agora.video;

/** VIDEO_FRAME_TYPE of an encoded frame (reference §6.1). */
public enum VideoFrameType {
    BLANK(0),
    /** A key (IDR) frame: decodable on its own; H.264 key frames carry SPS/PPS. */
    KEY(3),
    DELTA(4),
    B(5),
    DROPPABLE(6);

    private final int value;

    VideoFrameType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The type of a C value, {@link #BLANK} for an unknown one. */
    public static VideoFrameType fromValue(int value) {
        for (VideoFrameType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        return BLANK;
    }
}
