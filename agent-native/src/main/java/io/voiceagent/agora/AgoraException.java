package io.voiceagent.agora;

/**
 * A call into the Agora C API returned an error. Names the C function and carries the raw return
 * code, so a log line is enough to look the failure up in Agora's documentation.
 */
public class AgoraException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String function;
    private final int code;

    /**
     * @param function the C function that failed, e.g. {@code agora_rtc_conn_connect}
     * @param code the value it returned (negative for Agora errors; -1 for a NULL handle)
     * @param detail what was being done, or {@code null}
     */
    public AgoraException(String function, int code, String detail) {
        super(function + " failed with " + code + " (" + AgoraError.fromReturnCode(code) + ")"
                + (detail == null ? "" : ": " + detail));
        this.function = function;
        this.code = code;
    }

    /** The C function that failed. */
    public String function() {
        return function;
    }

    /** The raw return value of the C function. */
    public int code() {
        return code;
    }

    /** The named error for {@link #code()}. */
    public AgoraError error() {
        return AgoraError.fromReturnCode(code);
    }

    /** Throws if {@code rc} is non-zero; returns normally otherwise. */
    static void check(String function, int rc) {
        if (rc != 0) {
            throw new AgoraException(function, rc, null);
        }
    }

    /** Throws if {@code rc} is non-zero, with a description of what was being done. */
    static void check(String function, int rc, String detail) {
        if (rc != 0) {
            throw new AgoraException(function, rc, detail);
        }
    }
}
