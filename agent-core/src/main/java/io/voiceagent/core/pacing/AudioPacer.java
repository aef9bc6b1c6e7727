package io.voiceagent.core.pacing;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives any number of {@link AudioConsumer}s from one thread: each consumer's 10 ms frames are
 * handed to its {@link PcmSink} on absolute deadlines (timeline start + n &times; 10 ms on the
 * monotonic {@link Ticker}, minus the consumer's lead), so rounding never accumulates into drift.
 *
 * <p><b>One per process or per connection pool.</b> Create it once ({@link #start()} or
 * {@link #builder()}), create consumers from it with {@link #newConsumer}, and {@link #close()}
 * it at shutdown. The pacer thread is a daemon named {@value #DEFAULT_THREAD_NAME} by default.
 * It only ever waits for the earliest deadline of all consumers ({@link LockSupport#parkNanos})
 * and is woken early when a consumer gets audio to send; it never polls. Work per wake-up is
 * O(log n) per consumer that is due, so idle consumers cost nothing and 500+ streams are cheap.
 * To bound wake-ups with many streams, each timeline start is rounded up to a grid
 * ({@link Builder#anchorGranularity}, default 1 ms), so at most 10 distinct phases per 10 ms
 * exist however many consumers run.
 *
 * <p><b>Deterministic core.</b> A pacer built with {@link Builder#buildManual()} has no thread:
 * the owner calls {@link #runDue()}, which sends everything due at the ticker's current reading
 * and returns the next deadline. Tests drive it with a fake ticker and never sleep; the thread
 * of a started pacer runs exactly the same code.
 *
 * <p>Thread-safety: all methods may be called from any thread, except that {@link #runDue()}
 * is for manual pacers only and must not be called concurrently with itself. Sinks and
 * listeners are only ever called from the thread running the core.
 */
public final class AudioPacer implements AutoCloseable {

    /** Returned by {@link #runDue()} when no consumer has anything scheduled. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    /** Name of the pacer thread unless the builder sets another. */
    public static final String DEFAULT_THREAD_NAME = "voiceagent-audio-pacer";

    /** Default rounding of timeline starts. */
    public static final Duration DEFAULT_ANCHOR_GRANULARITY = Duration.ofMillis(1);

    static final long FRAME_NANOS = PcmFormat.FRAME_MS * 1_000_000L;

    private static final Logger log = LoggerFactory.getLogger(AudioPacer.class);

    private final Ticker ticker;
    private final long anchorGranularityNanos;
    private final Thread thread; // null for a manual pacer

    // Consumers whose deadline may have moved earlier (new audio, close); drained by the core.
    private final ConcurrentLinkedQueue<AudioConsumer> signals = new ConcurrentLinkedQueue<>();
    // Every consumer not yet CLOSED, so close() can stop them all.
    private final Set<AudioConsumer> live = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    // Confined to the thread running the core.
    private final DeadlineHeap heap = new DeadlineHeap();
    // Reused for every send (sinks must copy what they keep); confined like the heap.
    private byte[] scratch = new byte[0];
    private boolean inRunDue;

    private AudioPacer(Builder b, boolean startThread) {
        this.ticker = b.ticker;
        this.anchorGranularityNanos = b.anchorGranularity.toNanos();
        if (startThread) {
            Thread t = new Thread(this::loop, b.threadName);
            t.setDaemon(true);
            // Audio deadlines are the most latency-sensitive work in the process.
            t.setPriority(Thread.MAX_PRIORITY);
            this.thread = t;
            t.start();
        } else {
            this.thread = null;
        }
    }

    /** Starts a pacer with the system ticker and default settings. */
    public static AudioPacer start() {
        return builder().build();
    }

    /** A builder with the system ticker, thread name {@value #DEFAULT_THREAD_NAME}, 1 ms grid. */
    public static Builder builder() {
        return new Builder();
    }

    /** The clock all deadlines of this pacer are read from. */
    public Ticker ticker() {
        return ticker;
    }

    /** Consumers created from this pacer that are not closed yet (draining ones included). */
    public int consumerCount() {
        return live.size();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /** {@link #newConsumer(PcmSink, PcmFormat, AudioConsumerConfig, AudioConsumerListener)} with defaults. */
    public AudioConsumer newConsumer(PcmSink sink, PcmFormat format) {
        return newConsumer(sink, format, AudioConsumerConfig.defaults(), null);
    }

    /** {@link #newConsumer(PcmSink, PcmFormat, AudioConsumerConfig, AudioConsumerListener)} without listener. */
    public AudioConsumer newConsumer(PcmSink sink, PcmFormat format, AudioConsumerConfig config) {
        return newConsumer(sink, format, config, null);
    }

    /**
     * Creates a consumer that paces audio of {@code format} into {@code sink}. The caller owns
     * the consumer and closes it; closing the pacer stops it too.
     *
     * @param listener events of this consumer, or null for none (then no per-send clock reading
     *     or callback is made)
     * @throws IllegalStateException if this pacer is closed
     */
    public AudioConsumer newConsumer(PcmSink sink, PcmFormat format, AudioConsumerConfig config,
            AudioConsumerListener listener) {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(config, "config");
        if (closed.get()) {
            throw new IllegalStateException("AudioPacer is closed");
        }
        AudioConsumer c = new AudioConsumer(this, sink, format, config, listener);
        live.add(c);
        // close() may have run between the check and add; don't leave a consumer it missed.
        if (closed.get()) {
            c.terminate();
            throw new IllegalStateException("AudioPacer is closed");
        }
        return c;
    }

    /**
     * Manual pacers only: sends everything due at {@code ticker().nanoTime()} and returns the
     * earliest future deadline ({@link #NO_DEADLINE} if none). A caller driving a fake ticker
     * advances it to the returned deadline (or to when it pushes more audio) and calls again.
     *
     * @throws IllegalStateException if this pacer has its own thread, is closed, or if called
     *     re-entrantly (from a sink or listener)
     */
    public long runDue() {
        if (thread != null) {
            throw new IllegalStateException("runDue() is only for pacers built with buildManual(); this one runs on "
                    + thread.getName());
        }
        if (closed.get()) {
            throw new IllegalStateException("AudioPacer is closed");
        }
        return runDue(ticker.nanoTime());
    }

    /**
     * Stops the pacer: the thread (if any) ends and, once this returns, no sink is called again
     * (unless called from the pacer thread itself, which finishes its current send first). Every
     * consumer still open is closed immediately, dropping audio not yet sent. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (thread != null) {
            LockSupport.unpark(thread);
            if (Thread.currentThread() != thread) {
                boolean interrupted = false;
                while (thread.isAlive()) {
                    try {
                        thread.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (AudioConsumer c : new ArrayList<>(live)) {
            c.terminate();
        }
        signals.clear();
    }

    @Override
    public String toString() {
        return "AudioPacer[" + (thread != null ? thread.getName() : "manual") + ", consumers=" + live.size()
                + (closed.get() ? ", closed" : "") + "]";
    }

    // ---- called by AudioConsumer ----

    /** Asks the core to recompute {@code c}'s deadline; wakes the thread. Any thread. */
    void signal(AudioConsumer c) {
        if (c.signalQueued.compareAndSet(false, true)) {
            signals.add(c);
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }

    void unregister(AudioConsumer c) {
        live.remove(c);
    }

    /** First timeline deadline at or after {@code now} on the anchor grid. */
    long alignAnchor(long now) {
        long g = anchorGranularityNanos;
        if (g <= 1) {
            return now;
        }
        return -Math.floorDiv(-now, g) * g;
    }

    /** The shared send buffer, at least {@code length} bytes. Core thread only. */
    byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[length];
        }
        return scratch;
    }

    // ---- the deterministic core ----

    /** Sends everything due at {@code now}; returns the earliest remaining deadline. */
    long runDue(long now) {
        if (inRunDue) {
            throw new IllegalStateException("runDue() called re-entrantly from a sink or listener");
        }
        inRunDue = true;
        try {
            AudioConsumer c;
            while ((c = signals.poll()) != null) {
                // Clear the flag before reading the state, so a push after the read signals again.
                c.signalQueued.set(false);
                heap.update(c, c.nextDeadline(now));
            }
            while (heap.size() > 0 && heap.peekDeadline() <= now && !closed.get()) {
                c = heap.peek();
                // sendDue either sends at least one frame or returns a deadline after now, so this ends.
                heap.update(c, c.sendDue(now));
            }
            return heap.peekDeadline();
        } finally {
            inRunDue = false;
        }
    }

    private void loop() {
        log.debug("{} started", Thread.currentThread().getName());
        while (!closed.get()) {
            long next;
            try {
                next = runDue(ticker.nanoTime());
            } catch (Throwable t) {
                // Consumers catch sink and listener failures; this is a bug in the pacer itself.
                // Keep the other streams alive and retry shortly.
                log.error("AudioPacer core failed; retrying in 10 ms", t);
                next = ticker.nanoTime() + FRAME_NANOS;
            }
            if (closed.get()) {
                break;
            }
            if (!signals.isEmpty()) {
                continue;
            }
            if (next == NO_DEADLINE) {
                LockSupport.park(this);
            } else {
                long wait = next - ticker.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
            // Interrupts are not a stop signal (close() is); clear so parking keeps working.
            Thread.interrupted();
        }
        heap.clear();
        log.debug("{} stopped", Thread.currentThread().getName());
    }

    /** Settings of an {@link AudioPacer}; not thread-safe. */
    public static final class Builder {
        private Ticker ticker = Ticker.system();
        private String threadName = DEFAULT_THREAD_NAME;
        private Duration anchorGranularity = DEFAULT_ANCHOR_GRANULARITY;

        private Builder() {}

        /** The clock deadlines are read from; default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Name of the pacer thread; default {@value AudioPacer#DEFAULT_THREAD_NAME}. */
        public Builder threadName(String threadName) {
            Objects.requireNonNull(threadName, "threadName");
            if (threadName.isBlank()) {
                throw new IllegalArgumentException("threadName must not be blank; got \"" + threadName + "\"");
            }
            this.threadName = threadName;
            return this;
        }

        /**
         * Rounding of each timeline start (0 to 10 ms; default 1 ms; 0 = none). A start is
         * delayed by less than this, and the deadlines of all consumers fall into at most
         * 10 ms / granularity phases, which bounds the thread's wake-ups with many streams.
         */
        public Builder anchorGranularity(Duration anchorGranularity) {
            Objects.requireNonNull(anchorGranularity, "anchorGranularity");
            if (anchorGranularity.isNegative() || anchorGranularity.toNanos() > FRAME_NANOS) {
                throw new IllegalArgumentException("anchorGranularity must be between 0 ms and 10 ms; got "
                        + anchorGranularity.toNanos() + " ns");
            }
            this.anchorGranularity = anchorGranularity;
            return this;
        }

        /** Starts a pacer with its own daemon thread. */
        public AudioPacer build() {
            return new AudioPacer(this, true);
        }

        /** A pacer without a thread, driven by calls to {@link AudioPacer#runDue()} (tests, simulations). */
        public AudioPacer buildManual() {
            return new AudioPacer(this, false);
        }
    }

    // Visible for tests in this package.
    List<AudioConsumer> liveConsumers() {
        return new ArrayList<>(live);
    }
}
