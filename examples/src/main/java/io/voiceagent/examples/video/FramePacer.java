package io.voiceagent.examples.video;

import java.util.concurrent.locks.LockSupport;

/**
 * Frame deadlines for the video samples: frame {@code n} is due at {@code start + n / fps} on the
 * monotonic clock, so a slow frame does not push every later one back (Agora's samples sleep
 * {@code 1 / fps} after each send and drift). Not thread-safe: one per sending loop.
 */
final class FramePacer {
    private final long periodNanos;
    private long start;
    private long frame;

    FramePacer(int fps) {
        this.periodNanos = 1_000_000_000L / fps;
    }

    /** Waits until the next frame is due. */
    void awaitNext() {
        long now = System.nanoTime();
        if (frame == 0) {
            start = now;
        }
        long due = start + frame * periodNanos;
        frame++;
        while (now < due) {
            LockSupport.parkNanos(due - now);
            now = System.nanoTime();
        }
    }
}
