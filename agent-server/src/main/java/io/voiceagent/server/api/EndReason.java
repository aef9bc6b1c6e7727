package io.voiceagent.server.api;

/**
 * Why an agent's session ended on a node: the {@code reason} of a STOPPED or FAILED record, the label
 * of the {@code voiceagent_sessions_ended_total} counter, and whether the agent is gone or moves to
 * another worker.
 */
public enum EndReason {
    /** {@code leave} through the API. */
    LEFT("left", AgentStatus.STOPPED),
    /** Nobody it listens to was in the channel for {@code idle_timeout} seconds. */
    IDLE_TIMEOUT("idle_timeout", AgentStatus.STOPPED),
    /** The server shut down (one-process mode) with the agent still running after the drain deadline. */
    SHUTDOWN("shutdown", AgentStatus.STOPPED),
    /** The channel could not be joined (bad token, pool exhausted, a provider that cannot be built). */
    START_FAILED("start_failed", AgentStatus.FAILED),
    /** The connection failed or was lost while running. */
    CONNECTION_LOST("connection_lost", AgentStatus.FAILED),
    /** A draining worker handed the agent over to the others (cluster mode); not final. */
    HANDOVER("handover", AgentStatus.RECOVERING),
    /** This worker lost its lease on the agent (it was paused or cut off from Redis); another runs it. */
    OWNERSHIP_LOST("ownership_lost", AgentStatus.RECOVERING);

    private final String label;
    private final AgentStatus status;

    EndReason(String label, AgentStatus status) {
        this.label = label;
        this.status = status;
    }

    /** The lower-case label used in JSON and metrics. */
    public String label() {
        return label;
    }

    /** The agent's status after a session ended this way. */
    public AgentStatus status() {
        return status;
    }
}
