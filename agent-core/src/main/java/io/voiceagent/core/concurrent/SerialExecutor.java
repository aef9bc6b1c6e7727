package io.voiceagent.core.concurrent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Runs tasks one at a time, in submission order, on threads borrowed from a shared pool: a
 * single-thread executor per connection without a thread per connection (as Netty's event loops
 * confine a channel). At most one task of this executor runs at any moment, and each task sees the
 * effects of the previous one (happens-before through the queue).
 *
 * <p>The queue is bounded: {@link #offer(Runnable)} never blocks (it is called from SDK callback
 * threads, which must not block) and returns {@code false} when {@link #capacity()} tasks are
 * already queued; rejected tasks are counted in {@link #rejectedCount()}. A task that throws is
 * reported to the error handler and does not stop later tasks.
 *
 * <p><b>Closing.</b> Both {@code close} methods discard queued tasks and reject new ones; from then
 * on no task starts. {@link #close()} returns at once, while a task that is already running may
 * still be running. {@link #close(Duration)} also waits, bounded, until that task has returned, so
 * an owner can release what its tasks use. Called from inside a task of this executor
 * ({@link #inExecutor()}) it does not wait for that task, the caller itself, so it cannot deadlock.
 *
 * <p>Thread-safe.
 */
public final class SerialExecutor implements Executor {
    private static final int BATCH = 64;

    private final String name;
    private final Executor pool;
    private final int capacity;
    private final BiConsumer<String, Throwable> errorHandler;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final LongAdder rejected = new LongAdder();
    // Written under runLock; read without it as a fast-path check.
    private volatile boolean closed;
    private final Object runLock = new Object();
    // The thread running a task of this executor now, or null. Guarded by runLock.
    private Thread runner;
    // Threads waiting in close(Duration) for the running task. Guarded by runLock.
    private int closeWaiters;

    /**
     * @param name used in error reports
     * @param pool the shared pool whose threads run the tasks
     * @param capacity maximum queued tasks, at least 1
     * @param errorHandler receives (name, throwable) for each task that throws; must not throw
     */
    public SerialExecutor(String name, Executor pool, int capacity, BiConsumer<String, Throwable> errorHandler) {
        this.name = Objects.requireNonNull(name, "name");
        this.pool = Objects.requireNonNull(pool, "pool");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1; got " + capacity);
        }
        this.capacity = capacity;
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
    }

    /**
     * Queues {@code task}; never blocks.
     *
     * @return {@code false} if the queue is full or the executor is closed (the task will not run)
     */
    public boolean offer(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            rejected.increment();
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            rejected.increment();
            return false;
        }
        queue.add(task);
        schedule();
        return true;
    }

    /**
     * Like {@link #offer(Runnable)} but throws when the task cannot be queued.
     *
     * @throws java.util.concurrent.RejectedExecutionException if full or closed
     */
    @Override
    public void execute(Runnable task) {
        if (!offer(task)) {
            throw new java.util.concurrent.RejectedExecutionException(name + (closed ? " is closed"
                    : " queue is full (" + capacity + " tasks)"));
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RuntimeException e) {
                scheduled.set(false);
                errorHandler.accept(name, e);
            }
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable task = queue.poll();
                if (task == null) {
                    break;
                }
                size.decrementAndGet();
                if (!beginTask()) {
                    continue;
                }
                try {
                    task.run();
                } catch (Throwable t) {
                    errorHandler.accept(name, t);
                } finally {
                    endTask();
                }
            }
        } finally {
            scheduled.set(false);
            // A task added after our last poll must not be stranded.
            if (!queue.isEmpty()) {
                schedule();
            }
        }
    }

    /** Marks the calling thread as this executor's runner, unless closed (then the task is skipped). */
    private boolean beginTask() {
        synchronized (runLock) {
            if (closed) {
                return false;
            }
            runner = Thread.currentThread();
            return true;
        }
    }

    private void endTask() {
        synchronized (runLock) {
            runner = null;
            if (closeWaiters > 0) {
                runLock.notifyAll();
            }
        }
    }

    /** Whether the calling thread is running a task of this executor (as Netty's {@code inEventLoop()}). */
    public boolean inExecutor() {
        synchronized (runLock) {
            return runner == Thread.currentThread();
        }
    }

    /** Tasks queued and not yet started. */
    public int queued() {
        return size.get();
    }

    /** Maximum queued tasks. */
    public int capacity() {
        return capacity;
    }

    /** Tasks refused because the queue was full or the executor closed. */
    public long rejectedCount() {
        return rejected.sum();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Discards queued tasks and rejects new ones; idempotent; returns at once. No task starts after
     * this returns, but one already running is neither interrupted nor waited for: use
     * {@link #close(Duration)} to wait for it.
     */
    public void close() {
        synchronized (runLock) {
            closed = true;
        }
        discardQueued();
    }

    /**
     * Like {@link #close()}, then waits up to {@code timeout} for a task running on another thread to
     * return. From inside a task of this executor it does not wait (the running task is the caller).
     * Idempotent; a task is not interrupted.
     *
     * @return {@code true} if, on return, no task of this executor runs on another thread (and none
     *     will start); {@code false} if the running task was still running at the timeout
     * @throws InterruptedException if interrupted while waiting (the executor is closed all the same)
     */
    public boolean close(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        Thread me = Thread.currentThread();
        synchronized (runLock) {
            closed = true;
            discardQueued();
            closeWaiters++;
            try {
                while (runner != null && runner != me) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedWait(runLock, left);
                }
                return true;
            } finally {
                closeWaiters--;
            }
        }
    }

    private void discardQueued() {
        while (queue.poll() != null) {
            size.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "SerialExecutor[" + name + ", queued=" + size.get() + "/" + capacity + "]";
    }
}
