package io.voiceagent.core.time;

/**
 * A monotonic time source in nanoseconds, injected wherever the SDK measures or schedules time so
 * that tests can use a fake clock instead of sleeping.
 *
 * <p>Only differences between two readings of the same ticker are meaningful (like
 * {@link System#nanoTime()}: the origin is arbitrary and may be negative; compare with
 * {@code a - b < 0}, not {@code a < b}, if a reading could wrap). Implementations must be
 * thread-safe, never go backwards and be cheap (they are read on every paced send).
 */
@FunctionalInterface
public interface Ticker {

    /** The current reading in nanoseconds from an arbitrary fixed origin. */
    long nanoTime();

    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

/** The one system ticker instance, so that {@code Ticker.system() == Ticker.system()}. */
enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "Ticker.system()";
    }
}
