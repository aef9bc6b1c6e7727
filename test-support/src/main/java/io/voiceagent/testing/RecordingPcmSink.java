package io.voiceagent.testing;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.PcmSink;
import io.voiceagent.core.time.Ticker;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PcmSink} that records every send (a copy of the bytes and the ticker time) and
 * simulates a receiver that plays the audio in real time from the moment it arrives, so tests can
 * check how far ahead of real time the sender ran and whether the receiver ever ran dry.
 *
 * <p>Thread-safe (synchronized); the pacer calls it from one thread, tests read from another.
 */
public class RecordingPcmSink implements PcmSink {

    /** One sendFrames call. */
    public record Send(long atNanos, int frames, byte[] data, PcmFormat format) {}

    private static final long FRAME_NANOS = 10_000_000L;

    private final Ticker ticker;
    private final List<Send> sends = new ArrayList<>();
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private long receiverEndNanos = Long.MIN_VALUE; // when the simulated receiver runs out
    private long maxAheadNanos;
    private int receiverGaps;

    public RecordingPcmSink(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public synchronized void sendFrames(byte[] data, int offset, int length, PcmFormat format) {
        int bpf = format.bytesPerFrame();
        if (length <= 0 || length % bpf != 0) {
            throw new AssertionError("sendFrames needs a whole number of frames of " + bpf + " bytes; got " + length);
        }
        long now = ticker.nanoTime();
        byte[] copy = new byte[length];
        System.arraycopy(data, offset, copy, 0, length);
        int frames = length / bpf;
        sends.add(new Send(now, frames, copy, format));
        all.write(copy, 0, length);
        if (receiverEndNanos < now) {
            if (receiverEndNanos != Long.MIN_VALUE) {
                receiverGaps++;
            }
            receiverEndNanos = now;
        }
        receiverEndNanos += frames * FRAME_NANOS;
        maxAheadNanos = Math.max(maxAheadNanos, receiverEndNanos - now);
    }

    /**
     * Simulates clearing the receiver side's queue (what {@code clear_sender_buffer} does): audio
     * not yet played is forgotten.
     */
    public synchronized void discardQueued() {
        long now = ticker.nanoTime();
        if (receiverEndNanos > now) {
            receiverEndNanos = now;
        }
    }

    public synchronized List<Send> sends() {
        return new ArrayList<>(sends);
    }

    /** Everything sent, concatenated. */
    public synchronized byte[] bytes() {
        return all.toByteArray();
    }

    public synchronized long totalFrames() {
        long n = 0;
        for (Send s : sends) {
            n += s.frames();
        }
        return n;
    }

    /** The most audio the simulated receiver ever held beyond real time, in nanoseconds. */
    public synchronized long maxAheadNanos() {
        return maxAheadNanos;
    }

    /** Times audio arrived after the simulated receiver had played everything before it. */
    public synchronized int receiverGaps() {
        return receiverGaps;
    }

    /** Audio the simulated receiver holds at the ticker's current reading, in nanoseconds. */
    public synchronized long bufferedAheadNanos() {
        return Math.max(0, receiverEndNanos - ticker.nanoTime());
    }
}
