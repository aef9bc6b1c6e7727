package io.voiceagent.testing;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.PcmSink;
import io.voiceagent.core.time.Ticker;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The remote side of a paced output, frame by frame: each 10 ms frame plays right after the previous
 * one (or when it arrives, if later), and {@link #discardQueued()} (the transport's "clear the send
 * buffer") forgets every frame that has not finished playing. So {@link #heard()} is exactly what a
 * listener heard: the frames whose play-out had ended, in order. Thread-safe.
 */
public final class PlayoutReceiver implements PcmSink {
    private static final long FRAME_NANOS = 10_000_000L;

    private record Frame(byte[] data, long startNanos) {}

    private final Ticker ticker;
    private final ArrayDeque<Frame> queued = new ArrayDeque<>(); // guarded by this
    private final ByteArrayOutputStream heard = new ByteArrayOutputStream(); // guarded by this
    private long endNanos = Long.MIN_VALUE; // guarded by this
    private long discardedFrames; // guarded by this

    public PlayoutReceiver(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public synchronized void sendFrames(byte[] data, int offset, int length, PcmFormat format) {
        settle();
        long now = ticker.nanoTime();
        int fb = format.bytesPerFrame();
        for (int off = offset; off < offset + length; off += fb) {
            long start = Math.max(now, endNanos);
            queued.add(new Frame(Arrays.copyOfRange(data, off, off + fb), start));
            endNanos = start + FRAME_NANOS;
        }
    }

    /** Forgets every frame that has not finished playing (its remaining play-out is cut). */
    public synchronized void discardQueued() {
        settle();
        discardedFrames += queued.size();
        queued.clear();
        endNanos = Math.min(endNanos, ticker.nanoTime());
    }

    /** The frames heard in full by now, concatenated. */
    public synchronized byte[] heard() {
        settle();
        return heard.toByteArray();
    }

    /** Frames forgotten by {@link #discardQueued()} before they finished playing. */
    public synchronized long discardedFrames() {
        return discardedFrames;
    }

    private void settle() {
        long now = ticker.nanoTime();
        while (!queued.isEmpty() && queued.peekFirst().startNanos() + FRAME_NANOS <= now) {
            byte[] d = queued.pollFirst().data();
            heard.write(d, 0, d.length);
        }
    }
}
