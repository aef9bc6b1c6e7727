package io.voiceagent.testing;

import java.time.Duration;

/**
 * When a scripted provider delivers its callbacks: after a delay on a {@link FakeClock}
 * ({@link FakeClock#scheduler()}), on real threads ({@link #onThreads}), or at once on the calling
 * thread ({@link #immediate()}).
 */
@FunctionalInterface
public interface Scheduler {

    /** Runs {@code task} after {@code delay}. */
    void schedule(Duration delay, Runnable task);

    /** Runs every task at once on the calling thread, whatever the delay. */
    static Scheduler immediate() {
        return (delay, task) -> task.run();
    }

    /** Runs tasks on {@code executor} after their delay in real time (an I/O pool, like HTTP callbacks). */
    static Scheduler onThreads(java.util.concurrent.ScheduledExecutorService executor) {
        return (delay, task) -> executor.schedule(task, delay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
