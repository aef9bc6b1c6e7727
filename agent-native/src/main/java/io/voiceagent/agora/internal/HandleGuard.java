package io.voiceagent.agora.internal;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Keeps a native handle alive while calls use it: calls run under the read lock and fail with
 * {@link IllegalStateException} once closed; closing (and other exclusive changes) run under the
 * write lock, so they wait for calls in flight on other threads and a handle is never destroyed
 * under a running native call. The closed flag flips exactly once.
 */
public final class HandleGuard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Object owner;
    // Written under the write lock; read without a lock as a fast-path check.
    private volatile boolean closed;

    /** @param owner named in the "is closed" message (its {@code toString()}) */
    public HandleGuard(Object owner) {
        this.owner = owner;
    }

    /** Runs {@code action} while the handle is guaranteed alive; throws if closed. */
    public <T> T withHandle(Supplier<T> action) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code action} alone (no call in flight); throws if closed. */
    public <T> T exclusive(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            ensureOpen();
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Marks the handle closed and runs {@code teardown} alone, once. Returns false (and runs nothing)
     * if it was already closed.
     */
    public boolean closeOnce(Runnable teardown) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            teardown.run();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(owner + " is closed");
        }
    }

    public boolean isClosed() {
        return closed;
    }
}
