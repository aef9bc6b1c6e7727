package io.voiceagent.agora.pool;

/** {@link ConnectionPool#acquire} found no idle connection before its timeout. */
public final class PoolExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PoolExhaustedException(String message) {
        super(message);
    }
}
