package io.voiceagent.core.turn;

/**
 * Events of a {@link RoundManager}, for the application, metrics and benchmarks. All methods have
 * no-op defaults.
 *
 * <p>Events are delivered one at a time, in the order the manager's state changed, after the
 * manager has released its lock, on one of the threads that called the manager (the connection's
 * executor, an I/O thread, or the pacer thread through {@link RoundManager#audioFramesSent}).
 * Listeners must be fast, must not block and must not throw (a throwable is logged and ignored).
 * They may call the manager and its rounds; those calls' events are delivered after the current
 * one returns.
 *
 * <p>Pairing: every {@link #roundStarted} is followed by exactly one {@link #roundEnded} for the
 * same id; {@link #interrupted} comes between them when the round was producing, or after them
 * when a completed round's queued audio was dropped.
 */
public interface RoundListener {

    /** Round {@code roundId} was opened by {@link RoundManager#startRound}. */
    default void roundStarted(long roundId) {}

    /**
     * The audio of round {@code roundId} was cut off: the round was cancelled while producing, or
     * its queued audio was dropped after it completed.
     */
    default void interrupted(long roundId, InterruptTrigger trigger) {}

    /** The round ended; see {@link RoundResult}. */
    default void roundEnded(RoundResult result) {}
}
