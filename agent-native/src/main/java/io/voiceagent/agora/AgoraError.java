package io.voiceagent.agora;

/**
 * Agora's common error codes (returned negated by the C API). {@link #UNKNOWN} stands for any
 * code this SDK does not name; {@link AgoraException#code()} always has the raw value.
 */
public enum AgoraError {
    FAILED(1),
    INVALID_ARGUMENT(2),
    NOT_READY(3),
    NOT_SUPPORTED(4),
    REFUSED(5),
    BUFFER_TOO_SMALL(6),
    NOT_INITIALIZED(7),
    NO_PERMISSION(9),
    TIMED_OUT(10),
    /** Calls too frequent: e.g. more than 60 data-stream packets per second on one stream. */
    TOO_OFTEN(12),
    JOIN_CHANNEL_REJECTED(17),
    LEAVE_CHANNEL_REJECTED(18),
    INVALID_APP_ID(101),
    INVALID_CHANNEL_NAME(102),
    TOKEN_EXPIRED(109),
    INVALID_TOKEN(110),
    NOT_IN_CHANNEL(113),
    SIZE_TOO_LARGE(114),
    /** The bitrate of the sent data exceeds the limit: e.g. more than 30 KB/s on data streams. */
    BITRATE_LIMIT(115),
    UNKNOWN(-1);

    private final int code;

    AgoraError(int code) {
        this.code = code;
    }

    /** The positive error code. */
    public int code() {
        return code;
    }

    /** The error for a C return value (negative or positive); {@link #UNKNOWN} if not named. */
    public static AgoraError fromReturnCode(int returnCode) {
        int c = Math.abs(returnCode);
        for (AgoraError e : values()) {
            if (e.code == c) {
                return e;
            }
        }
        return UNKNOWN;
    }
}
