package io.voiceagent.server.api;

import java.util.Locale;

/**
 * Where an agent started through the REST API is in its life, with the numeric codes of Agora's
 * Conversational AI Engine (its list endpoint filters by {@code state=2} as well as by name).
 */
public enum AgentStatus {
    /** Known, not yet starting (not used by this server; kept for the code table). */
    IDLE(0),
    /** Accepted; waiting for a worker, or joining the channel. */
    STARTING(1),
    /** In the channel, answering. */
    RUNNING(2),
    /** Asked to leave; leaving. */
    STOPPING(3),
    /** Left (through the API, after the idle timeout, or when the server shut down). Final. */
    STOPPED(4),
    /** Its worker died or handed it over; another worker is taking it (cluster mode). */
    RECOVERING(5),
    /** Could not start or lost its connection; the record says why. Final. */
    FAILED(6);

    private final int code;

    AgentStatus(int code) {
        this.code = code;
    }

    /** Agora's numeric code of this status. */
    public int code() {
        return code;
    }

    /** Whether the agent is gone for good (STOPPED or FAILED). */
    public boolean isFinal() {
        return this == STOPPED || this == FAILED;
    }

    /**
     * The status named by {@code text}: a name in any case ({@code running}) or Agora's code ({@code 2}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AgentStatus parse(String text) {
        String t = text == null ? "" : text.strip();
        for (AgentStatus s : values()) {
            if (s.name().equals(t.toUpperCase(Locale.ROOT)) || Integer.toString(s.code).equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("must be a status name (IDLE, STARTING, RUNNING, STOPPING, STOPPED,"
                + " RECOVERING, FAILED) or its code 0..6; got '" + text + "'");
    }
}
