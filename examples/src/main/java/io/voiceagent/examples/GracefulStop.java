package io.voiceagent.examples;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM and SIGINT into an orderly stop with exit status 0. The JVM runs shutdown hooks on
 * those signals; this one wakes the command's main thread ({@link #awaitStop}), gives it up to a
 * budget to release everything in order ({@link #released()}), then ends the process with status 0:
 * a stopped session is a normal end, not a failure. Close it (try-with-resources) when the command
 * returns normally, which also unregisters the hook.
 */
final class GracefulStop implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread hook;

    /**
     * @param name the hook thread's name
     * @param out flushed before the process ends
     * @param releaseBudget how long a signal waits for the release before the JVM exits anyway
     */
    GracefulStop(String name, PrintStream out, Duration releaseBudget) {
        hook = new Thread(() -> {
            stop.countDown();
            try {
                if (released.await(releaseBudget.toMillis(), TimeUnit.MILLISECONDS)) {
                    out.flush();
                    Runtime.getRuntime().halt(0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Asks the main thread to stop (as a signal would), e.g. when the connection fails. */
    void request() {
        stop.countDown();
    }

    /** Waits until a stop is requested. */
    void awaitStop() throws InterruptedException {
        stop.await();
    }

    /** Waits until a stop is requested or the timeout passes; true if a stop was requested. */
    boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stop.await(timeout, unit);
    }

    /** Waits until a stop is requested, or {@code seconds} pass when it is positive (a command's --seconds). */
    void awaitStop(int seconds) throws InterruptedException {
        if (seconds > 0) {
            awaitStop(seconds, TimeUnit.SECONDS);
        } else {
            awaitStop();
        }
    }

    /** Everything is released: a pending signal may end the process now. */
    void released() {
        released.countDown();
    }

    @Override
    public void close() {
        released();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Stopped by a signal: the hook ends the process with status 0.
        }
    }
}
