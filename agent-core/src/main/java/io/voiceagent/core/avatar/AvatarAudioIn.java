package io.voiceagent.core.avatar;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The avatar worker's side of the avatar protocol ({@link AvatarProtocol}, seed 004): a bounded
 * queue of 10 ms audio frames and segment ends, fed by the agent's messages (from the WebSocket, and
 * control messages from an Agora data stream too), drained by the worker's playout clock one frame
 * per {@link #poll()}. Transport-neutral and deterministic: time comes from an injected {@link Ticker}.
 *
 * <p><b>Rules.</b>
 * <ul>
 *   <li>Binary messages are PCM16 in {@link #format()}, cut into 10 ms frames (a partial frame waits for
 *       the next bytes). Audio after a {@code segment_end} starts the next segment, queued behind.</li>
 *   <li>{@code segment_end} pads a partial frame with silence and marks the end of the segment. When
 *       the playout reaches the mark (the poll after the segment's last frame), the segment is acked
 *       with {@code stream_ended} ({@code interrupted: false}) and the number of its frames polled.
 *       A {@code segment_end} with no audio before it is counted and ignored (no ack).</li>
 *   <li>{@code INTERRUPT} clears the queue and starts a cooldown ({@link Builder#cooldown}, 300 ms):
 *       audio arriving during it is dropped and counted. The segment being played is acked with
 *       {@code interrupted: true} and the position reached; a segment still queued behind it is acked
 *       with position 0, so every segment that had audio gets exactly one ack. An {@code INTERRUPT}
 *       during the cooldown is counted and ignored; one with nothing to cut is counted, and does start
 *       the cooldown.</li>
 *   <li>Anything else (garbage, unknown JSON types, a {@code stream_ended} sent to the worker) is
 *       logged (rate-limited), counted and ignored: nothing the agent sends can break the worker.</li>
 * </ul>
 *
 * <p><b>Threads.</b> Thread-safe: messages arrive on I/O threads, {@link #poll()} runs on the playout
 * clock. Acks go to the {@link Builder#ackSink ack sink} and interrupts to the
 * {@link Builder#onInterrupt listener} in order, never under this object's lock, on the thread that
 * caused them; both must not block.
 */
public final class AvatarAudioIn {
    private static final Logger log = LoggerFactory.getLogger(AvatarAudioIn.class);
    private static final Object SEGMENT_END = new Object();

    /** Counters since creation. */
    public record Stats(long framesQueued, long framesPlayed, long framesDroppedInCooldown, long framesOverflowed,
            long segmentsAcked, long segmentsInterrupted, long interrupts, long interruptsInCooldown,
            long idleInterrupts, long emptySegmentEnds, long malformedMessages, long unknownMessages) {}

    private final PcmFormat format;
    private final int frameBytes;
    private final long cooldownNanos;
    private final int maxFrames;
    private final Ticker ticker;
    private final Consumer<String> ackSink;
    private final Runnable onInterrupt;
    private final java.util.function.IntSupplier unplayedFrames;
    private final Object lock = new Object();
    // Guarded by lock.
    private final ArrayDeque<Object> queue = new ArrayDeque<>(); // byte[] frames and SEGMENT_END marks
    private final byte[] partial;
    private int partialLength;
    private int queuedFrames;
    private boolean audioSinceMark;       // the segment at the tail has audio (a segment_end would end it)
    private long playedInSegment;         // frames of the head segment already polled
    private int segmentsPending;          // segments that had audio and are not acked yet (the head first)
    private boolean cooling;
    private long cooldownUntil;
    private long framesQueued, framesPlayed, framesDroppedInCooldown, framesOverflowed, segmentsAcked,
            segmentsInterrupted, interrupts, interruptsInCooldown, idleInterrupts, emptySegmentEnds,
            malformedMessages, unknownMessages;
    // Outgoing, in order; appended under lock, drained by one thread at a time outside it.
    private final ConcurrentLinkedQueue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private static final Object INTERRUPTED = new Object();

    private AvatarAudioIn(Builder b) {
        this.format = b.format;
        this.frameBytes = b.format.bytesPerFrame();
        this.cooldownNanos = b.cooldown.toNanos();
        this.maxFrames = (int) Math.max(1, b.maxQueued.toMillis() / 10);
        this.ticker = b.ticker;
        this.ackSink = b.ackSink;
        this.onInterrupt = b.onInterrupt;
        this.unplayedFrames = b.unplayedFrames;
        this.partial = new byte[frameBytes];
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The format of the PCM the agent sends. */
    public PcmFormat format() {
        return format;
    }

    // ---- input: any thread ----

    /** One binary message: PCM16 in {@link #format()}, any length. */
    public void onBinary(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        synchronized (lock) {
            if (inCooldownLocked()) {
                framesDroppedInCooldown += (partialLength + length) / frameBytes;
                partialLength = 0;
                return;
            }
            int i = offset;
            int end = offset + length;
            while (i < end) {
                int n = Math.min(frameBytes - partialLength, end - i);
                System.arraycopy(data, i, partial, partialLength, n);
                partialLength += n;
                i += n;
                if (partialLength == frameBytes) {
                    queueFrameLocked(partial.clone());
                    partialLength = 0;
                }
            }
        }
    }

    /** One text message: {@code segment_end}, {@code INTERRUPT}, or anything else (counted and ignored). */
    public void onText(String text) {
        AvatarProtocol.Message m = AvatarProtocol.parse(text);
        if (m instanceof AvatarProtocol.SegmentEnd) {
            segmentEnd();
        } else if (m instanceof AvatarProtocol.Interrupt) {
            interrupt();
        } else {
            boolean malformed = m instanceof AvatarProtocol.Malformed;
            long n;
            synchronized (lock) {
                n = malformed ? ++malformedMessages : ++unknownMessages;
            }
            if (n <= 10 || n % 1000 == 0) {
                log.warn("Avatar: ignored {} message #{}: {}", malformed ? "malformed" : "unexpected", n, m);
            }
        }
    }

    /** The end of the current segment ({@code segment_end}). */
    public void segmentEnd() {
        synchronized (lock) {
            if (partialLength > 0) {
                java.util.Arrays.fill(partial, partialLength, frameBytes, (byte) 0);
                queueFrameLocked(partial.clone());
                partialLength = 0;
            }
            if (!audioSinceMark) {
                emptySegmentEnds++;
                return;
            }
            queue.addLast(SEGMENT_END);
            audioSinceMark = false;
        }
    }

    /** Barge-in ({@code INTERRUPT}): see the class comment. */
    public void interrupt() {
        synchronized (lock) {
            if (inCooldownLocked()) {
                interruptsInCooldown++;
                return;
            }
            interrupts++;
            if (segmentsPending == 0) {
                idleInterrupts++;
            }
            // The head segment (playing, or about to) and every segment queued behind it get one ack each.
            // Frames polled but still in the player's buffer are dropped with it: not played.
            long reached = Math.max(0, playedInSegment - Math.max(0, unplayedFrames.getAsInt()));
            for (int i = 0; i < segmentsPending; i++) {
                outbox.add(AvatarProtocol.streamEnded(durationOf(i == 0 ? reached : 0), true));
                segmentsAcked++;
                segmentsInterrupted++;
            }
            segmentsPending = 0;
            queue.clear();
            queuedFrames = 0;
            partialLength = 0;
            audioSinceMark = false;
            playedInSegment = 0;
            cooling = true;
            cooldownUntil = ticker.nanoTime() + cooldownNanos;
            outbox.add(INTERRUPTED);
        }
        flush();
    }

    // ---- playout: the worker's clock ----

    /**
     * The next 10 ms frame to play, or null if none is queued. Counts it as played: call it exactly
     * when the frame is handed to the channel. Acks a segment whose end it passes.
     */
    public byte[] poll() {
        byte[] frame = null;
        synchronized (lock) {
            while (!queue.isEmpty() && frame == null) {
                Object head = queue.pollFirst();
                if (head == SEGMENT_END) {
                    outbox.add(AvatarProtocol.streamEnded(durationOf(playedInSegment), false));
                    segmentsAcked++;
                    segmentsPending--;
                    playedInSegment = 0;
                    // the next segment's first frame, if queued, plays at once: continue
                } else {
                    frame = (byte[]) head;
                    queuedFrames--;
                    playedInSegment++;
                    framesPlayed++;
                }
            }
        }
        flush();
        return frame;
    }

    /**
     * The loudness of the next {@code frames} queued frames, 0 (silence or nothing queued) to 1 (full
     * scale RMS), without consuming them: what the face's mouth shows while they play.
     */
    public double peekLevel(int frames) {
        synchronized (lock) {
            double sum = 0;
            long samples = 0;
            int seen = 0;
            for (Object o : queue) {
                if (o == SEGMENT_END) {
                    continue;
                }
                byte[] f = (byte[]) o;
                for (int i = 0; i + 1 < f.length; i += 2) {
                    int s = (short) ((f[i] & 0xff) | f[i + 1] << 8);
                    sum += (double) s * s;
                }
                samples += f.length / 2;
                if (++seen == frames) {
                    break;
                }
            }
            return samples == 0 ? 0 : Math.min(1.0, Math.sqrt(sum / samples) / 32768.0);
        }
    }

    /** Frames waiting to be played. */
    public int queuedFrames() {
        synchronized (lock) {
            return queuedFrames;
        }
    }

    /** Whether an interrupt's cooldown is running (audio is being dropped). */
    public boolean inCooldown() {
        synchronized (lock) {
            return inCooldownLocked();
        }
    }

    public Stats stats() {
        synchronized (lock) {
            return new Stats(framesQueued, framesPlayed, framesDroppedInCooldown, framesOverflowed, segmentsAcked,
                    segmentsInterrupted, interrupts, interruptsInCooldown, idleInterrupts, emptySegmentEnds,
                    malformedMessages, unknownMessages);
        }
    }

    // ---- internals ----

    private boolean inCooldownLocked() {
        if (cooling && ticker.nanoTime() - cooldownUntil >= 0) {
            cooling = false;
        }
        return cooling;
    }

    private void queueFrameLocked(byte[] frame) {
        if (queuedFrames >= maxFrames) {
            long n = ++framesOverflowed;
            if (n == 1 || n % 1000 == 0) {
                log.warn("Avatar: dropped audio frame #{}: {} frames ({} s) already queued", n, queuedFrames,
                        queuedFrames / 100.0);
            }
            return;
        }
        queue.addLast(frame);
        queuedFrames++;
        framesQueued++;
        if (!audioSinceMark) {
            segmentsPending++;
            audioSinceMark = true;
        }
    }

    private static Duration durationOf(long frames) {
        return Duration.ofMillis(frames * 10);
    }

    /** Delivers acks and interrupts in order, one thread at a time, with no lock held. */
    private void flush() {
        while (!outbox.isEmpty()) {
            if (!draining.compareAndSet(false, true)) {
                return; // the thread draining now delivers ours too
            }
            try {
                Object o;
                while ((o = outbox.poll()) != null) {
                    try {
                        if (o == INTERRUPTED) {
                            onInterrupt.run();
                        } else {
                            ackSink.accept((String) o);
                        }
                    } catch (RuntimeException e) {
                        log.warn("Avatar: delivering {} failed", o == INTERRUPTED ? "an interrupt" : o, e);
                    }
                }
            } finally {
                draining.set(false);
            }
        }
    }

    /** Builder of an {@link AvatarAudioIn}; not thread-safe. */
    public static final class Builder {
        private PcmFormat format = PcmFormat.MONO_16K;
        private Duration cooldown = Duration.ofMillis(300);
        private Duration maxQueued = Duration.ofSeconds(60);
        private Ticker ticker = Ticker.system();
        private Consumer<String> ackSink = s -> {};
        private Runnable onInterrupt = () -> {};
        private java.util.function.IntSupplier unplayedFrames = () -> 0;

        private Builder() {}

        /**
         * How many of the frames already polled the player still holds unplayed (the SDK's send buffer,
         * which an interrupt clears); subtracted from the position of an interrupted segment. Called
         * under this object's lock: must be a cheap read. Default 0.
         */
        public Builder unplayedFrames(java.util.function.IntSupplier unplayedFrames) {
            this.unplayedFrames = Objects.requireNonNull(unplayedFrames, "unplayedFrames");
            return this;
        }

        /** The PCM format of the agent's binary messages (default 16 kHz mono). */
        public Builder format(PcmFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** How long audio is dropped after an interrupt (default 300 ms; 0..5 s). */
        public Builder cooldown(Duration cooldown) {
            Objects.requireNonNull(cooldown, "cooldown");
            if (cooldown.isNegative() || cooldown.compareTo(Duration.ofSeconds(5)) > 0) {
                throw new IllegalArgumentException("cooldown must be in 0..5 s; got " + cooldown);
            }
            this.cooldown = cooldown;
            return this;
        }

        /** The bound of the queue (default 60 s of audio; 10 ms..10 min); frames beyond it are dropped. */
        public Builder maxQueued(Duration maxQueued) {
            Objects.requireNonNull(maxQueued, "maxQueued");
            if (maxQueued.toMillis() < 10 || maxQueued.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("maxQueued must be in 10 ms..10 min; got " + maxQueued);
            }
            this.maxQueued = maxQueued;
            return this;
        }

        /** The clock of the cooldown (default the system ticker). */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Where the {@code stream_ended} acks go (the WebSocket back to the agent). */
        public Builder ackSink(Consumer<String> ackSink) {
            this.ackSink = Objects.requireNonNull(ackSink, "ackSink");
            return this;
        }

        /** Called after each interrupt that was not ignored (for example to clear the channel's send buffer). */
        public Builder onInterrupt(Runnable onInterrupt) {
            this.onInterrupt = Objects.requireNonNull(onInterrupt, "onInterrupt");
            return this;
        }

        public AvatarAudioIn build() {
            return new AvatarAudioIn(this);
        }
    }
}
