package io.voiceagent.core.agent;

import io.voiceagent.core.concurrent.Cancellable;
import io.voiceagent.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The one thread of control of an {@link AgentSession}, as an event loop is for a Netty channel: a
 * serial executor (tasks run one at a time, in submission order, each seeing the effects of the
 * previous one), with timers that fire on it and the clock they are measured on. A transport
 * provides one per session ({@link AgentTransport#executor()}).
 *
 * <p>Implementations: {@link #onPool} (tasks on threads borrowed from a shared pool, timers on a
 * shared daemon timer thread), and test-support's manual executor on a fake clock.
 *
 * <p>Contract for implementers: {@link #execute} never blocks and never runs the task on the
 * calling thread; it accepts every task while the executor is open (the session bounds what it
 * submits itself), and after {@link #close()} it silently discards tasks. Thread-safe.
 */
public interface SessionExecutor extends Executor {

    /** Queues {@code task} to run on this executor; returns at once. Discarded once closed. */
    @Override
    void execute(Runnable task);

    /**
     * Runs {@code task} on this executor once {@code delay} has passed on {@link #ticker()}. The
     * returned handle cancels it: once {@code cancel()} returns, a task that has not started never
     * starts.
     */
    Cancellable schedule(Runnable task, Duration delay);

    /** The clock of {@link #schedule} and of every latency figure of the session. */
    Ticker ticker();

    /** Whether the calling thread is running a task of this executor right now. */
    boolean inExecutor();

    /** Discards queued tasks and timers and accepts no more; a task already running finishes. Idempotent. */
    void close();

    /**
     * A session executor on {@code pool}'s threads with the system ticker; timers run on one shared
     * daemon thread ({@value PooledSessionExecutor#TIMER_THREAD}) that only hands due tasks over.
     *
     * @param name used in thread-dump-friendly error reports and {@code toString()}
     */
    static SessionExecutor onPool(String name, Executor pool) {
        return new PooledSessionExecutor(name, pool);
    }
}
