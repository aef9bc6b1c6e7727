package io.voiceagent.core.concurrent;

/**
 * Something to call off: a scheduled task, a running request. Usually a method reference, such as
 * {@code call::cancel}.
 *
 * <p>{@link #cancel()} may be called from any thread, must be idempotent, should return quickly
 * (abort, do not wait for the work to wind down) and should not throw.
 */
@FunctionalInterface
public interface Cancellable {

    void cancel();
}
