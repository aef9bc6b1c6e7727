package io.voiceagent.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Runs a concurrency test body on its own thread and fails it with a full thread dump, instead of
 * letting the build hang, when: a deadlock between threads is detected (monitors or
 * {@code java.util.concurrent} locks), a progress counter stops moving for longer than its allowed
 * stall (a stuck pacer thread silences every agent of a process while other threads run on), or the
 * body does not finish within the time limit. The body's own exception is rethrown.
 *
 * <pre>{@code
 * Watchdog.limit(Duration.ofSeconds(60))
 *         .progress("frames sent", sink::frames, Duration.ofSeconds(3))
 *         .run(() -> { ... });
 * }</pre>
 */
public final class Watchdog {
    private final Duration limit;
    private final Map<String, Progress> progress = new LinkedHashMap<>();

    private record Progress(LongSupplier counter, Duration maxStall) {}

    /** A functional body that may throw. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private Watchdog(Duration limit) {
        this.limit = limit;
    }

    /** A watchdog that fails the body after {@code limit}. */
    public static Watchdog limit(Duration limit) {
        return new Watchdog(limit);
    }

    /** Fails the body when {@code counter} has not changed for {@code maxStall} while the body runs. */
    public Watchdog progress(String name, LongSupplier counter, Duration maxStall) {
        progress.put(name, new Progress(counter, maxStall));
        return this;
    }

    /** Runs {@code body}; see the class comment. */
    public void run(Body body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "watchdog-body");
        t.setDaemon(true);
        long start = System.nanoTime();
        Map<String, long[]> last = new LinkedHashMap<>(); // name -> {value, changedAtNanos}
        progress.forEach((n, p) -> last.put(n, new long[] {p.counter().getAsLong(), start}));
        t.start();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        while (t.isAlive()) {
            t.join(50);
            long now = System.nanoTime();
            long[] deadlocked = mx.findDeadlockedThreads();
            if (deadlocked != null) {
                fail(t, "deadlock between " + deadlocked.length + " threads", mx);
            }
            for (Map.Entry<String, Progress> e : progress.entrySet()) {
                long v = e.getValue().counter().getAsLong();
                long[] l = last.get(e.getKey());
                if (v != l[0]) {
                    l[0] = v;
                    l[1] = now;
                } else if (now - l[1] > e.getValue().maxStall().toNanos() && t.isAlive()) {
                    fail(t, "no progress of '" + e.getKey() + "' (stuck at " + v + ") for "
                            + e.getValue().maxStall().toMillis() + " ms", mx);
                }
            }
            if (now - start > limit.toNanos() && t.isAlive()) {
                fail(t, "the body did not finish within " + limit.toMillis() + " ms", mx);
            }
        }
        Throwable f = failure.get();
        if (f instanceof Exception ex) {
            throw ex;
        }
        if (f instanceof Error er) {
            throw er;
        }
    }

    private static void fail(Thread body, String why, ThreadMXBean mx) {
        String dump = threadDump(mx);
        body.interrupt();
        throw new AssertionError("Watchdog: " + why + ". Thread dump:\n" + dump);
    }

    /** Every live thread's stack with the locks it holds and waits for. */
    public static String threadDump() {
        return threadDump(ManagementFactory.getThreadMXBean());
    }

    private static String threadDump(ThreadMXBean mx) {
        StringBuilder sb = new StringBuilder();
        List<ThreadInfo> infos = new ArrayList<>(List.of(mx.dumpAllThreads(true, true)));
        for (ThreadInfo ti : infos) {
            sb.append('"').append(ti.getThreadName()).append("\" ").append(ti.getThreadState());
            if (ti.getLockName() != null) {
                sb.append(" on ").append(ti.getLockName());
            }
            if (ti.getLockOwnerName() != null) {
                sb.append(" owned by \"").append(ti.getLockOwnerName()).append('"');
            }
            sb.append('\n');
            for (StackTraceElement el : ti.getStackTrace()) {
                sb.append("    at ").append(el).append('\n');
            }
            for (var s : ti.getLockedSynchronizers()) {
                sb.append("    - holds ").append(s).append('\n');
            }
            for (var m : ti.getLockedMonitors()) {
                sb.append("    - holds monitor ").append(m).append('\n');
            }
        }
        return sb.toString();
    }
}
