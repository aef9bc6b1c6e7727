package io.voiceagent.server.api;

/** An agent could not start on this node (its record becomes FAILED with this message as the reason). */
public final class AgentStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AgentStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
