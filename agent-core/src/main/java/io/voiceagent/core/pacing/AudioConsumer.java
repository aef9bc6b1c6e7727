package io.voiceagent.core.pacing;

import io.voiceagent.core.audio.PcmFormat;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces one stream of TTS audio into a {@link PcmSink} in 10 ms frames at real-time speed, a
 * configurable {@link AudioConsumerConfig#lead() lead} ahead of play-out so the receiver never
 * starves. Created by {@link AudioPacer#newConsumer}; owned and closed by the caller.
 *
 * <p><b>Input.</b> 16-bit little-endian interleaved PCM in {@link #format()}, pushed in pieces of
 * any length (odd lengths and partial frames are kept until completed). The bytes are copied;
 * the caller may reuse its array. Call {@link #endSegment()} when an utterance is complete: its
 * trailing partial frame is zero-padded and sent, and a later gap is not counted as an underrun.
 *
 * <p><b>Timing.</b> Frame {@code n} of a timeline plays at {@code start + n × 10 ms} and is handed
 * to the sink at {@code start + n × 10 ms − lead} (the pacer sends it in the same call as earlier
 * due frames when several are due). When audio starts, {@code lead / 10 ms + 1} frames are due at
 * once; afterwards one per 10 ms. So at no time is the sink more than {@code lead + 10 ms} of audio
 * ahead of real time. If audio runs out, the timeline waits; if more arrives before the receiver
 * has played everything already sent, sending resumes on the same timeline (the backlog is at
 * most the lead); otherwise a new timeline starts at the arrival, again with at most the lead.
 *
 * <p><b>Thread-safety.</b> Any thread may call any method. Only the pacer thread calls the sink
 * and the listener; the sink is called with the consumer's send lock held (that is what
 * {@link #clear()} waits for), the listener never is: it runs after the lock is released, so a
 * listener that waits for anything cannot block a {@code clear()} on another thread.
 * {@link #push} never waits for a send in progress; {@link #clear()} does (see there).
 *
 * <p><b>Lifecycle.</b> {@link #close()} stops accepting audio and sends what is buffered (then
 * the consumer unregisters itself); {@link #clear()} followed by {@link #close()} stops at once.
 * A sink that throws stops this consumer only (reported to the listener and logged).
 */
public final class AudioConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AudioConsumer.class);

    /**
     * Most frames handed to the sink in one call (100 ms). Bounds the pacer's shared send buffer;
     * a larger due backlog is sent in several calls in the same tick.
     */
    static final int MAX_FRAMES_PER_SEND = 10;

    private enum State { OPEN, CLOSING, CLOSED }

    private final AudioPacer pacer;
    private final PcmSink sink;
    private final PcmFormat format;
    private final AudioConsumerConfig config;
    private final AudioConsumerListener listener; // null = none
    private final int bytesPerFrame;
    private final long leadNanos;
    private final long limitBytes;

    // Held by the pacer thread from taking frames out of the buffer until the sink returns, and by
    // clear()/terminate(), so that they return only when no send of dropped audio is in flight.
    // Lock order: sendLock, then lock. Never held by push().
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Object lock = new Object();

    // Guarded by lock.
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;              // bytes of chunks.peekFirst() already taken
    private long pendingBytes;           // bytes in chunks past headOffset
    private State state = State.OPEN;
    private Throwable failure;
    private boolean segmentEnded;        // the buffer ends at an endSegment() (padded)
    private boolean lastSendEndedSegment = true; // the last frame sent ended a segment
    private boolean timelineActive;
    private long anchorNanos;            // play-out time of frame 0 of the current timeline
    private long timelineFrames;         // frames sent on the current timeline
    private long playoutEndNanos;        // when the last frame sent finishes playing
    private long dataArrivedNanos;       // when the buffer last went from no whole frame to one
    private long framesSent;
    private long underruns;
    private boolean paused;
    private long playedBase;             // frames of earlier timelines (or parts of them) that played
    // The last frames handed to the sink, newest at recentEnd-1: what pause() takes back when they
    // have not played yet. Holds lead / 10 ms + 2 frames: never fewer than are ahead of play-out.
    private final byte[][] recent;
    private int recentEnd;               // total frames ever recorded (index = recentEnd % recent.length)

    // Confined to the thread running the pacer core.
    int heapIndex = -1;
    long heapDeadline;
    final AtomicBoolean signalQueued = new AtomicBoolean();

    AudioConsumer(AudioPacer pacer, PcmSink sink, PcmFormat format, AudioConsumerConfig config,
            AudioConsumerListener listener) {
        this.pacer = pacer;
        this.sink = sink;
        this.format = format;
        this.config = config;
        this.listener = listener;
        this.bytesPerFrame = format.bytesPerFrame();
        this.leadNanos = config.lead().toNanos();
        this.limitBytes = config.bufferLimitBytes(format);
        // Nothing sent yet: "played out" as of now (compared by difference, so no MIN_VALUE sentinel).
        this.playoutEndNanos = pacer.ticker().nanoTime();
        this.recent = new byte[(int) (leadNanos / AudioPacer.FRAME_NANOS) + 2 + MAX_FRAMES_PER_SEND][];
    }

    /** The PCM format of pushed audio and of every send. */
    public PcmFormat format() {
        return format;
    }

    public AudioConsumerConfig config() {
        return config;
    }

    /** The buffer limit in bytes of {@link #format()}: {@link AudioConsumerConfig#bufferLimit()}. */
    public long bufferLimitBytes() {
        return limitBytes;
    }

    /** {@link #push(byte[], int, int)} of the whole array. */
    public void push(byte[] pcm) {
        push(pcm, 0, pcm.length);
    }

    /**
     * Appends {@code length} bytes of PCM to the stream. Copies them; returns without waiting.
     *
     * @throws AudioBufferFullException if the buffered audio would exceed the buffer limit;
     *     nothing of this push is kept
     * @throws IllegalStateException if the consumer is closed (or closing) or stopped by a sink
     *     failure (the cause)
     * @throws IndexOutOfBoundsException if the range is outside {@code pcm}
     */
    public void push(byte[] pcm, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, pcm.length);
        append(Arrays.copyOfRange(pcm, offset, offset + length));
    }

    /**
     * Appends the buffer's remaining bytes and advances its position to its limit. On failure the
     * position is unchanged.
     *
     * @throws AudioBufferFullException as {@link #push(byte[], int, int)}
     * @throws IllegalStateException as {@link #push(byte[], int, int)}
     */
    public void push(ByteBuffer pcm) {
        byte[] copy = new byte[pcm.remaining()];
        pcm.duplicate().get(copy);
        append(copy);
        pcm.position(pcm.limit());
    }

    private void append(byte[] copy) {
        boolean signal = false;
        synchronized (lock) {
            checkOpen();
            if (copy.length == 0) {
                return;
            }
            if (pendingBytes + copy.length > limitBytes) {
                throw new AudioBufferFullException("push of " + copy.length + " bytes would exceed the buffer limit of "
                        + limitBytes + " bytes (" + config.bufferLimit().toMillis() + " ms of " + format + "); "
                        + pendingBytes + " bytes are waiting to be sent", limitBytes, pendingBytes, copy.length);
            }
            boolean hadFrame = pendingBytes >= bytesPerFrame;
            chunks.addLast(copy);
            pendingBytes += copy.length;
            segmentEnded = false;
            if (!hadFrame && pendingBytes >= bytesPerFrame) {
                // Only now can the deadline move earlier; while a frame waits, the pacer already
                // has this consumer scheduled and will see the new bytes.
                dataArrivedNanos = pacer.ticker().nanoTime();
                signal = true;
            }
        }
        if (signal) {
            pacer.signal(this);
        }
    }

    /**
     * Marks the end of the current segment (utterance): a trailing partial frame (including an odd
     * byte) is padded with zeros to a whole frame and sent in turn, and a pause before the next
     * push is not an underrun. The padding may take the buffer past its limit by less than one
     * frame. Pushes after this start a new segment. Idempotent while nothing new is pushed.
     *
     * @throws IllegalStateException if the consumer is closed (or closing) or failed
     */
    public void endSegment() {
        boolean signal;
        synchronized (lock) {
            checkOpen();
            signal = padTrailingFrameLocked();
        }
        if (signal) {
            pacer.signal(this);
        }
    }

    /** Same as {@link #endSegment()}. */
    public void markSegmentComplete() {
        endSegment();
    }

    private boolean padTrailingFrameLocked() {
        boolean signal = false;
        int partial = (int) (pendingBytes % bytesPerFrame);
        if (partial != 0) {
            boolean hadFrame = pendingBytes >= bytesPerFrame;
            chunks.addLast(new byte[bytesPerFrame - partial]);
            pendingBytes += bytesPerFrame - partial;
            if (!hadFrame) {
                dataArrivedNanos = pacer.ticker().nanoTime();
                signal = true;
            }
        }
        if (pendingBytes == 0) {
            lastSendEndedSegment = true;
        }
        segmentEnded = true;
        return signal;
    }

    /**
     * Whether everything pushed has been sent and has finished playing: no byte is waiting
     * (a partial frame without {@link #endSegment()} counts as waiting), no send is in flight, and
     * the play-out time of the last frame sent has passed on the pacer's ticker. Play-out time is
     * the time this consumer scheduled the frame to be heard; network and receiver delay are not
     * included. True before anything is pushed. After {@link #clear()}, dropped audio does not
     * count but audio already sent still has to finish playing.
     */
    public boolean isPushToRtcCompleted() {
        synchronized (lock) {
            return pendingBytes == 0 && pacer.ticker().nanoTime() - playoutEndNanos >= 0;
        }
    }

    /**
     * Drops all audio not yet sent, including a partial frame, and resets the timeline so the
     * next push starts a new one with a fresh lead. If the pacer thread is sending this
     * consumer's frames right now, waits for that sink call to return: when {@code clear()}
     * returns, no byte pushed before it will reach the sink. (Audio the sink already has, up to
     * the lead, is the sink's to clear: {@code interruptAudio()} clears the SDK's sender buffer
     * after this.) Do not call it from a thread the sink waits for. A consumer that was closing
     * becomes closed. Idempotent; a no-op on a closed consumer.
     *
     * @return the number of bytes dropped
     */
    public long clear() {
        boolean closedNow = false;
        long dropped;
        sendLock.lock();
        try {
            synchronized (lock) {
                if (state == State.CLOSED) {
                    return 0;
                }
                dropped = pendingBytes;
                dropBufferLocked();
                if (state == State.CLOSING) {
                    state = State.CLOSED;
                    closedNow = true;
                }
            }
        } finally {
            sendLock.unlock();
        }
        if (closedNow) {
            pacer.unregister(this);
        } else if (dropped > 0) {
            // Let the pacer drop this consumer's deadline instead of waking for nothing.
            pacer.signal(this);
        }
        return dropped;
    }

    /**
     * Graceful stop: rejects further pushes, pads and sends the trailing partial frame and
     * everything buffered at the normal pace, then unregisters from the pacer. Returns at once;
     * poll {@link #isPushToRtcCompleted()} or {@link #isClosed()} to wait for the drain, or call
     * {@link #clear()} first to stop immediately. Idempotent.
     */
    @Override
    public void close() {
        boolean closedNow = false;
        boolean signal = false;
        synchronized (lock) {
            if (state != State.OPEN) {
                return;
            }
            padTrailingFrameLocked();
            if (pendingBytes == 0) {
                state = State.CLOSED;
                closedNow = true;
            } else {
                state = State.CLOSING;
                signal = true;
            }
        }
        if (closedNow) {
            pacer.unregister(this);
        }
        if (signal) {
            pacer.signal(this);
        }
    }

    /** Whether the consumer has stopped for good: drained after {@link #close()}, cleared while closing, failed, or its pacer closed. */
    public boolean isClosed() {
        synchronized (lock) {
            return state == State.CLOSED;
        }
    }

    /** The exception the sink threw if it stopped this consumer, else null. */
    public Throwable failure() {
        synchronized (lock) {
            return failure;
        }
    }

    /**
     * When the last frame sent finishes playing (its scheduled play-out time plus 10 ms), on the
     * pacer's ticker; the creation time before anything was sent. Dropped audio does not count.
     */
    public long playoutEndNanos() {
        synchronized (lock) {
            return playoutEndNanos;
        }
    }

    /**
     * Stops sending without dropping anything: frames already handed to the sink that have not played
     * yet (by this consumer's play-out schedule, at most the lead) are taken back to the head of the
     * buffer, so {@link #resume()} continues exactly from the first frame the receiver has not heard.
     * Waits for a send in flight, like {@link #clear()}. The sink's own buffer still holds those frames:
     * the caller clears it (as {@code AudioOutput} does). Pushes are accepted while paused. Idempotent;
     * a no-op on a closed consumer.
     *
     * @return the number of frames taken back
     */
    public int pause() {
        sendLock.lock();
        try {
            synchronized (lock) {
                if (state == State.CLOSED || paused) {
                    return 0;
                }
                paused = true;
                if (!timelineActive) {
                    return 0;
                }
                long now = pacer.ticker().nanoTime();
                long played = playedOnTimelineLocked(now);
                int back = (int) (timelineFrames - played);
                if (headOffset > 0) {
                    // The head chunk is partly sent: keep only its rest, so the offset can restart at 0.
                    byte[] head = chunks.pollFirst();
                    chunks.addFirst(Arrays.copyOfRange(head, headOffset, head.length));
                    headOffset = 0;
                }
                for (int i = 1; i <= back; i++) { // newest first, each in front: ends in play order
                    chunks.addFirst(recent[Math.floorMod(recentEnd - i, recent.length)].clone());
                }
                pendingBytes += (long) back * bytesPerFrame;
                framesSent -= back;
                playedBase += played;
                timelineActive = false;
                playoutEndNanos = Math.min(playoutEndNanos, now);
                lastSendEndedSegment = true;
                return back;
            }
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends again after {@link #pause()}, on a new timeline with a fresh lead. No-op when not paused. */
    public void resume() {
        boolean signal;
        synchronized (lock) {
            if (!paused) {
                return;
            }
            paused = false;
            signal = pendingBytes >= bytesPerFrame;
            if (signal) {
                dataArrivedNanos = pacer.ticker().nanoTime();
            }
        }
        if (signal) {
            pacer.signal(this);
        }
    }

    /** Whether {@link #pause()} holds the consumer. */
    public boolean isPaused() {
        synchronized (lock) {
            return paused;
        }
    }

    /**
     * Frames the receiver has heard in full so far, by this consumer's play-out schedule (a frame is
     * heard when its play-out time plus 10 ms has passed on the pacer's ticker): monotonic, counting
     * every timeline since creation; frames dropped by {@link #clear()} or taken back by {@link #pause()}
     * before they played do not count. Exact to the frame, relative to the schedule; the network's and
     * receiver's delay are not included.
     */
    public long playedFrames() {
        synchronized (lock) {
            return playedBase + (timelineActive ? playedOnTimelineLocked(pacer.ticker().nanoTime()) : 0);
        }
    }

    private long playedOnTimelineLocked(long now) {
        long completed = Math.floorDiv(now - anchorNanos, AudioPacer.FRAME_NANOS);
        return Math.max(0, Math.min(timelineFrames, completed));
    }

    /** Bytes pushed and not yet sent (nor dropped), including a partial frame and zero padding. */
    public long pendingBytes() {
        synchronized (lock) {
            return pendingBytes;
        }
    }

    /** 10 ms frames handed to the sink since creation, padding frames included. */
    public long framesSent() {
        synchronized (lock) {
            return framesSent;
        }
    }

    /** Times the receiver ran dry mid-segment; see {@link AudioConsumerListener#underrun}. */
    public long underruns() {
        synchronized (lock) {
            return underruns;
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "AudioConsumer[" + format + ", lead=" + config.lead().toMillis() + " ms, state=" + state
                    + ", pending=" + pendingBytes + " B, sent=" + framesSent + " frames]";
        }
    }

    // ---- pacer side ----

    /** Called by the pacer when it closes: drop everything, stop. Waits for a send in flight. */
    void terminate() {
        sendLock.lock();
        try {
            synchronized (lock) {
                if (state == State.CLOSED) {
                    return;
                }
                dropBufferLocked();
                state = State.CLOSED;
            }
        } finally {
            sendLock.unlock();
        }
        pacer.unregister(this);
    }

    /** The next time this consumer needs the pacer, given what is buffered. Core thread. */
    long nextDeadline(long now) {
        boolean closedNow;
        long deadline;
        synchronized (lock) {
            deadline = nextDeadlineLocked(now);
            closedNow = finishCloseIfDrainedLocked();
        }
        if (closedNow) {
            pacer.unregister(this);
        }
        return deadline;
    }

    /**
     * Sends every frame due at {@code now} (at most {@link #MAX_FRAMES_PER_SEND} per call) and
     * returns the next deadline. Either sends at least one frame or returns a deadline after
     * {@code now}, so the pacer's loop always progresses. Core thread only.
     */
    long sendDue(long now) {
        int frames;
        int length;
        long firstDeadline;
        long underrunSilence = -1;
        long drainedPlayoutEnd = -1;
        byte[] buf;
        Throwable error = null;
        long sentNanos;
        sendLock.lock();
        try {
            synchronized (lock) {
                if (state == State.CLOSED || paused) {
                    return AudioPacer.NO_DEADLINE;
                }
                long whole = pendingBytes / bytesPerFrame;
                if (whole == 0) {
                    if (finishCloseIfDrainedLocked()) {
                        pacer.unregister(this);
                    }
                    return AudioPacer.NO_DEADLINE;
                }
                long playoutNext = anchorNanos + timelineFrames * AudioPacer.FRAME_NANOS;
                if (!timelineActive || now - playoutNext > 0) {
                    // First audio, or the receiver has played everything sent before: start a new
                    // timeline here. Continuing the old one would burst the missed time on top of the lead.
                    if (timelineActive && !lastSendEndedSegment) {
                        underruns++;
                        underrunSilence = now - playoutNext;
                    }
                    if (timelineActive) {
                        playedBase += timelineFrames; // its play-out has passed: all of it was heard
                    }
                    timelineActive = true;
                    anchorNanos = pacer.alignAnchor(now);
                    timelineFrames = 0;
                }
                // Frames k with anchor + k*F - lead <= now are due.
                long dueThrough = Math.floorDiv(now - anchorNanos + leadNanos, AudioPacer.FRAME_NANOS) + 1;
                long due = dueThrough - timelineFrames;
                if (due <= 0) {
                    return frameDeadlineLocked(timelineFrames);
                }
                frames = (int) Math.min(Math.min(due, whole), MAX_FRAMES_PER_SEND);
                length = frames * bytesPerFrame;
                firstDeadline = Math.max(frameDeadlineLocked(timelineFrames), dataArrivedNanos);
                buf = pacer.scratch(length);
                takeLocked(buf, length);
                recordRecentLocked(buf, frames);
                timelineFrames += frames;
                framesSent += frames;
                playoutEndNanos = anchorNanos + timelineFrames * AudioPacer.FRAME_NANOS;
                lastSendEndedSegment = pendingBytes == 0 && segmentEnded;
                if (pendingBytes == 0) {
                    drainedPlayoutEnd = playoutEndNanos;
                }
            }
            sentNanos = listener != null ? pacer.ticker().nanoTime() : now;
            try {
                sink.sendFrames(buf, 0, length, format);
            } catch (Throwable t) {
                error = t;
                synchronized (lock) {
                    failure = t;
                    dropBufferLocked();
                    state = State.CLOSED;
                }
            }
        } finally {
            sendLock.unlock();
        }
        // Listeners run after the send lock is released: a listener that waits for anything (a
        // lock another thread holds while it clears this consumer) can then never block clear().
        if (underrunSilence >= 0) {
            notifyUnderrun(underrunSilence);
        }
        if (error != null) {
            pacer.unregister(this);
            log.warn("PcmSink {} failed sending {} frames of {}; consumer stopped", sink, frames, format, error);
            if (listener != null) {
                try {
                    listener.sinkFailed(this, error);
                } catch (Throwable t) {
                    log.warn("AudioConsumerListener.sinkFailed threw; ignored", t);
                }
            }
            return AudioPacer.NO_DEADLINE;
        }
        if (listener != null) {
            try {
                listener.framesSent(this, frames, firstDeadline, sentNanos);
                if (drainedPlayoutEnd != -1) {
                    listener.drained(this, drainedPlayoutEnd);
                }
            } catch (Throwable t) {
                log.warn("AudioConsumerListener threw; ignored", t);
            }
        }
        return nextDeadline(now);
    }

    private void notifyUnderrun(long silentNanos) {
        if (listener != null) {
            try {
                listener.underrun(this, silentNanos);
            } catch (Throwable t) {
                log.warn("AudioConsumerListener.underrun threw; ignored", t);
            }
        }
    }

    private long nextDeadlineLocked(long now) {
        if (state == State.CLOSED || paused || pendingBytes < bytesPerFrame) {
            return AudioPacer.NO_DEADLINE;
        }
        long playoutNext = anchorNanos + timelineFrames * AudioPacer.FRAME_NANOS;
        if (!timelineActive || now - playoutNext > 0) {
            return now; // (re)start now
        }
        return frameDeadlineLocked(timelineFrames);
    }

    private long frameDeadlineLocked(long frameIndex) {
        return anchorNanos + frameIndex * AudioPacer.FRAME_NANOS - leadNanos;
    }

    private boolean finishCloseIfDrainedLocked() {
        if (state == State.CLOSING && pendingBytes == 0) {
            state = State.CLOSED;
            return true;
        }
        return false;
    }

    /** Keeps a copy of each frame just taken, for {@link #pause()} to take back. */
    private void recordRecentLocked(byte[] buf, int frames) {
        for (int f = 0; f < frames; f++) {
            int slot = recentEnd % recent.length;
            byte[] copy = recent[slot];
            if (copy == null) {
                copy = new byte[bytesPerFrame];
            }
            System.arraycopy(buf, f * bytesPerFrame, copy, 0, bytesPerFrame);
            recent[slot] = copy;
            recentEnd++;
        }
    }

    private void takeLocked(byte[] dst, int length) {
        int done = 0;
        while (done < length) {
            byte[] head = chunks.peekFirst();
            int n = Math.min(head.length - headOffset, length - done);
            System.arraycopy(head, headOffset, dst, done, n);
            done += n;
            headOffset += n;
            if (headOffset == head.length) {
                chunks.pollFirst();
                headOffset = 0;
            }
        }
        pendingBytes -= length;
    }

    private void dropBufferLocked() {
        if (timelineActive) {
            playedBase += playedOnTimelineLocked(pacer.ticker().nanoTime());
        }
        paused = false;
        chunks.clear();
        headOffset = 0;
        pendingBytes = 0;
        segmentEnded = false;
        lastSendEndedSegment = true;
        timelineActive = false;
    }

    private void checkOpen() {
        if (state == State.OPEN) {
            return;
        }
        if (failure != null) {
            throw new IllegalStateException("AudioConsumer stopped after its PcmSink failed: " + failure, failure);
        }
        throw new IllegalStateException("AudioConsumer is " + (state == State.CLOSING ? "closing" : "closed"));
    }
}
