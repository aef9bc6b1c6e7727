package io.voiceagent.testing;

import io.voiceagent.core.time.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when told to. Thread-safe; never goes backwards.
 *
 * <p>Starts at a large non-zero reading by default so code that assumes an origin of 0 fails.
 */
public final class FakeTicker implements Ticker {
    /** Default first reading: 1000 s, on a whole millisecond. */
    public static final long DEFAULT_START_NANOS = 1_000_000_000_000L;

    private final AtomicLong nanos;

    public FakeTicker() {
        this(DEFAULT_START_NANOS);
    }

    public FakeTicker(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves forward by {@code d} (not negative); returns the new reading. */
    public long advance(Duration d) {
        return advanceNanos(d.toNanos());
    }

    public long advanceMillis(long millis) {
        return advanceNanos(millis * 1_000_000L);
    }

    public long advanceNanos(long delta) {
        if (delta < 0) {
            throw new IllegalArgumentException("a Ticker never goes backwards; got delta " + delta + " ns");
        }
        return nanos.addAndGet(delta);
    }

    /** Sets the reading, which must not be earlier than the current one. */
    public void setNanos(long value) {
        long now = nanos.get();
        if (value < now) {
            throw new IllegalArgumentException("a Ticker never goes backwards: " + value + " < " + now);
        }
        nanos.set(value);
    }

    @Override
    public String toString() {
        return "FakeTicker[" + nanos.get() + " ns]";
    }
}
