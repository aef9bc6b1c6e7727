package io.voiceagent.testing;

import io.voiceagent.core.pacing.AudioPacer;

/**
 * Runs a manual {@link AudioPacer} (built with {@code buildManual()}) against a {@link FakeTicker}:
 * jumps the clock from one deadline to the next so hours of audio run in milliseconds, with every
 * send happening exactly at its deadline.
 */
public final class PacerDriver {
    private PacerDriver() {}

    /**
     * Sends everything due up to and including {@code endNanos}, stepping the ticker to each
     * deadline in turn, and leaves the ticker at {@code endNanos} (or where it was, if later).
     */
    public static void runUntil(AudioPacer pacer, FakeTicker ticker, long endNanos) {
        while (true) {
            long next = pacer.runDue();
            if (next == AudioPacer.NO_DEADLINE || next > endNanos) {
                break;
            }
            if (next > ticker.nanoTime()) {
                ticker.setNanos(next);
            }
        }
        if (endNanos > ticker.nanoTime()) {
            ticker.setNanos(endNanos);
            pacer.runDue();
        }
    }

    /** {@link #runUntil} for {@code millis} from the ticker's current reading. */
    public static void runFor(AudioPacer pacer, FakeTicker ticker, long millis) {
        runUntil(pacer, ticker, ticker.nanoTime() + millis * 1_000_000L);
    }
}
