package io.voiceagent.core.concurrent;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories of the SDK's pools: daemon threads (they never keep the JVM alive) named
 * {@code <prefix>1}, {@code <prefix>2}, ... so that a thread dump says which component each
 * thread belongs to.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** A factory of daemon threads named {@code prefix + n}, n counting from 1. Thread-safe. */
    public static ThreadFactory named(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
