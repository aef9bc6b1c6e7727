package io.voiceagent.testing;

import io.voiceagent.core.agent.InMemoryTransport;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.pacing.PcmSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * One fake time line for a whole conversation: a {@link FakeTicker}, a manual {@link AudioPacer} on
 * it, the {@link ManualSessionExecutor}s of the sessions, and "world" events (a user's audio frames,
 * a provider's delayed answer) scheduled on the same ticker. {@link #advance} steps from one due
 * event to the next in time order (pacer sends, session timers, world events), running every task
 * they cause before moving on, so an hour of conversation runs in milliseconds with exact times and
 * nothing ever sleeps.
 *
 * <p>Single-threaded: use it from the test's thread only (providers given {@link #scheduler()}
 * deliver their callbacks on it too).
 */
public final class FakeClock {
    private final FakeTicker ticker = new FakeTicker();
    private final AudioPacer pacer = AudioPacer.builder().ticker(ticker).buildManual();
    private final List<ManualSessionExecutor> executors = new ArrayList<>();
    private final PriorityQueue<Event> world = new PriorityQueue<>();
    private long seq;

    private record Event(long dueNanos, long seq, Runnable task) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(dueNanos, o.dueNanos);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    public FakeTicker ticker() {
        return ticker;
    }

    /** The manual pacer every output on this clock sends through. */
    public AudioPacer pacer() {
        return pacer;
    }

    public long nanoTime() {
        return ticker.nanoTime();
    }

    /** A new session executor on this clock; {@link #advance} runs it. */
    public ManualSessionExecutor newExecutor(String name) {
        ManualSessionExecutor e = new ManualSessionExecutor(ticker, name);
        executors.add(e);
        return e;
    }

    /** An in-memory transport on this clock whose output paces 16 kHz mono into {@code remote}. */
    public InMemoryTransport transport(String name, PcmSink remote) {
        return InMemoryTransport.create(newExecutor(name), pacer, PcmFormat.MONO_16K, AudioConsumerConfig.defaults(),
                remote);
    }

    /** An in-memory transport on this clock whose output paces 16 kHz mono into a {@link PlayoutReceiver}. */
    public InMemoryTransport transport(String name, PlayoutReceiver remote) {
        return InMemoryTransport.create(newExecutor(name), pacer, PcmFormat.MONO_16K, AudioConsumerConfig.defaults(),
                remote, remote::discardQueued);
    }

    /** Runs {@code task} on the test's thread when the clock reaches now + {@code delay}. */
    public void schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        world.add(new Event(ticker.nanoTime() + Math.max(0, delay.toNanos()), seq++, task));
    }

    /** A provider's scheduler on this clock (see the scripted providers). */
    public Scheduler scheduler() {
        return (delay, task) -> schedule(delay, task);
    }

    /**
     * A user speaking: delivers {@code pcm} to {@code transport} as 10 ms frames, one every 10 ms of
     * clock time, the first one now (as a real channel delivers them).
     */
    public void play(InMemoryTransport transport, String userId, byte[] pcm, PcmFormat format) {
        int fb = format.bytesPerFrame();
        for (int i = 0; (i + 1) * fb <= pcm.length; i++) {
            byte[] frame = Arrays.copyOfRange(pcm, i * fb, (i + 1) * fb);
            schedule(Duration.ofMillis(10L * i), () -> transport.deliver(userId, new AudioFrame(format, frame, 0)));
        }
    }

    /** Advances by {@code d}, running everything that falls due on the way, in time order. */
    public void advance(Duration d) {
        advanceTo(ticker.nanoTime() + d.toNanos());
    }

    /** Advances to {@code targetNanos}; see {@link #advance}. */
    public void advanceTo(long targetNanos) {
        while (true) {
            runReady();
            long next = nextDue();
            if (next > targetNanos) {
                break;
            }
            if (next > ticker.nanoTime()) {
                ticker.setNanos(next);
            }
            fireDueNow();
        }
        if (targetNanos > ticker.nanoTime()) {
            ticker.setNanos(targetNanos);
        }
        fireDueNow();
        runReady();
    }

    /**
     * Runs the executors (without moving the clock) until {@code f}, completed by another thread, is
     * done: for a call that waits for a session's executor, such as {@code close()} run on a second
     * thread ({@link #close(AutoCloseable)}).
     *
     * @throws AssertionError if it is not done within 10 s of real time
     */
    public void await(java.util.concurrent.CompletableFuture<?> f) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!f.isDone()) {
            runReady();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within 10 s while running the fake clock's executors");
            }
            Thread.onSpinWait();
        }
        runReady();
    }

    /** Closes {@code resource} (a session: its close waits for its executor) on a second thread, running the executors meanwhile. */
    public void close(AutoCloseable resource) {
        await(java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }

    /** Runs what is due now and every task it causes, without moving the clock. */
    public void runReady() {
        boolean again = true;
        while (again) {
            again = false;
            for (ManualSessionExecutor e : List.copyOf(executors)) {
                if (e.runPending() > 0) {
                    again = true;
                }
            }
            if (fireDueNow()) {
                again = true;
            }
        }
    }

    private long nextDue() {
        long next = pacer.runDue();
        for (ManualSessionExecutor e : executors) {
            next = Math.min(next, e.nextTimerNanos());
        }
        Event w = world.peek();
        if (w != null) {
            next = Math.min(next, w.dueNanos());
        }
        return next;
    }

    /** Pacer sends, executor timers and world events due at the current reading; whether anything fired. */
    private boolean fireDueNow() {
        boolean fired = false;
        long now = ticker.nanoTime();
        long pacerNext = pacer.runDue();
        if (pacerNext <= now) {
            fired = true; // more sends due right now (more than one send per consumer per call)
        }
        for (ManualSessionExecutor e : executors) {
            if (e.runDueTimers() > 0) {
                fired = true;
            }
        }
        while (!world.isEmpty() && world.peek().dueNanos() <= now) {
            world.poll().task().run();
            fired = true;
        }
        for (ManualSessionExecutor e : executors) {
            if (e.hasPending()) {
                fired = true;
            }
        }
        return fired;
    }
}
