package io.voiceagent.agora.video;

/** VIDEO_STREAM_TYPE: the high (major) or low (simulcast) stream of a publisher. */
public enum VideoStreamType {
    HIGH(0),
    LOW(1);

    private final int value;

    VideoStreamType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static VideoStreamType fromValue(int value) {
        return value == 1 ? LOW : HIGH;
    }
}
