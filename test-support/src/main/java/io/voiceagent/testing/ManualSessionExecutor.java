package io.voiceagent.testing;

import io.voiceagent.core.agent.SessionExecutor;
import io.voiceagent.core.concurrent.Cancellable;
import io.voiceagent.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link SessionExecutor} with no thread: tasks wait until the test (or {@link FakeClock}) calls
 * {@link #runPending()}, and timers fire when the {@link FakeTicker} has passed their time and
 * {@link #runDueTimers()} is called. So a session's whole conversation runs deterministically on the
 * test's thread, in submission order, with exact times.
 *
 * <p>{@link #execute} may be called from any thread (a provider's I/O thread, the test); the tasks
 * run on whichever thread calls {@code runPending()}, one at a time.
 */
public final class ManualSessionExecutor implements SessionExecutor {
    private final FakeTicker ticker;
    private final String name;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(); // guarded by this
    private long timerSeq; // guarded by this
    private volatile Thread running;
    private volatile boolean closed;
    private long executed;

    private final class Timer implements Comparable<Timer>, Cancellable {
        final long dueNanos;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;

        Timer(long dueNanos, long seq, Runnable task) {
            this.dueNanos = dueNanos;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(dueNanos, o.dueNanos);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
            synchronized (ManualSessionExecutor.this) {
                timers.remove(this);
            }
        }
    }

    public ManualSessionExecutor(FakeTicker ticker, String name) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (!closed) {
            tasks.add(task);
        }
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        synchronized (this) {
            Timer t = new Timer(ticker.nanoTime() + Math.max(0, delay.toNanos()), timerSeq++, task);
            if (!closed) {
                timers.add(t);
            }
            return t;
        }
    }

    @Override
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public boolean inExecutor() {
        return running == Thread.currentThread();
    }

    /**
     * Runs queued tasks, including the ones they queue, until none is left.
     *
     * @return how many ran
     */
    public int runPending() {
        if (running == Thread.currentThread()) {
            throw new IllegalStateException("runPending called from a task of " + name);
        }
        int n = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            if (closed) {
                continue;
            }
            running = Thread.currentThread();
            try {
                task.run();
            } finally {
                running = null;
            }
            n++;
            executed++;
        }
        return n;
    }

    /** Moves every timer due at the ticker's reading to the task queue (in due order); returns how many. */
    public int runDueTimers() {
        int n = 0;
        while (true) {
            Timer t;
            synchronized (this) {
                t = timers.peek();
                if (t == null || t.dueNanos > ticker.nanoTime()) {
                    return n;
                }
                timers.poll();
            }
            if (!t.cancelled) {
                Timer fired = t;
                execute(() -> {
                    if (!fired.cancelled) {
                        fired.task.run();
                    }
                });
                n++;
            }
        }
    }

    /** The earliest timer's due time, or {@code Long.MAX_VALUE} if none. */
    public synchronized long nextTimerNanos() {
        Timer t = timers.peek();
        return t == null ? Long.MAX_VALUE : t.dueNanos;
    }

    /** Whether a task waits. */
    public boolean hasPending() {
        return !tasks.isEmpty();
    }

    /** Tasks run so far. */
    public long executed() {
        return executed;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        tasks.clear();
        synchronized (this) {
            timers.clear();
        }
    }

    @Override
    public String toString() {
        return "ManualSessionExecutor[" + name + "]";
    }
}
