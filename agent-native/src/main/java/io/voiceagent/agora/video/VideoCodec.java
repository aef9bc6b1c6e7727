package io.voiceagent.agora.video;

/**
 * Agora's VIDEO_CODEC_TYPE values for the pinned build (reference §6.1). {@link #VP9} is 13 as in
 * the Go SDK and every 4.x C++ header (Python 2.2.4 says 5).
 */
public enum VideoCodec {
    /** No codec preference: the SDK chooses (what Agora's JPEG sample sets). */
    NONE(0),
    VP8(1),
    H264(2),
    H265(3),
    GENERIC(6),
    GENERIC_H264(7),
    AV1(12),
    VP9(13),
    GENERIC_JPEG(20);

    private final int value;

    VideoCodec(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }

    /** Whether access units of this codec must be Annex-B byte streams (start codes, not length prefixes). */
    public boolean isAnnexB() {
        return this == H264 || this == H265;
    }

    /** The codec of a C value, or {@link #NONE} for one this SDK does not name. */
    public static VideoCodec fromValue(int value) {
        for (VideoCodec c : values()) {
            if (c.value == value) {
                return c;
            }
        }
        return NONE;
    }
}
