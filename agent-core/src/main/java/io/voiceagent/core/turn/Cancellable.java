package io.voiceagent.core.turn;

/**
 * Something a {@link Round} owns and cancels when it is interrupted or fails: an LLM request, a
 * TTS stream, a scheduled task. Usually a method reference: {@code round.own(call::cancel)}.
 *
 * <p>{@link #cancel()} may be called from any thread, must be idempotent, should return quickly
 * (abort, do not wait for the work to wind down) and should not throw (a throwable is logged and
 * ignored).
 */
@FunctionalInterface
public interface Cancellable {

    void cancel();
}
