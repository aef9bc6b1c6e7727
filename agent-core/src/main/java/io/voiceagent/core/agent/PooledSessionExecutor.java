package io.voiceagent.core.agent;

import io.voiceagent.core.concurrent.Cancellable;
import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.core.concurrent.SerialExecutor;
import io.voiceagent.core.time.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SessionExecutor#onPool}: a {@link SerialExecutor} plus the owner-thread check and shared timers. */
final class PooledSessionExecutor implements SessionExecutor {
    static final String TIMER_THREAD = "voiceagent-session-timer-1";
    private static final Logger log = LoggerFactory.getLogger(PooledSessionExecutor.class);
    /** Effectively unbounded: the session bounds what it posts (audio frames are admitted by count). */
    private static final int CAPACITY = 1 << 20;

    private static final class Timer {
        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
                    DaemonThreads.named("voiceagent-session-timer-"));
            t.setRemoveOnCancelPolicy(true);
            return t;
        }
    }

    private final String name;
    private final SerialExecutor serial;
    private volatile Thread running;

    PooledSessionExecutor(String name, Executor pool) {
        this.name = Objects.requireNonNull(name, "name");
        this.serial = new SerialExecutor(name, Objects.requireNonNull(pool, "pool"), CAPACITY,
                (n, t) -> log.warn("A task of session executor {} threw", n, t));
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (!serial.offer(() -> run(task)) && !serial.isClosed()) {
            log.error("Session executor {} refused a task: {} tasks queued", name, serial.queued());
        }
    }

    private void run(Runnable task) {
        running = Thread.currentThread();
        try {
            task.run();
        } finally {
            running = null;
        }
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        AtomicBoolean cancelled = new AtomicBoolean();
        Runnable guarded = () -> {
            if (!cancelled.get()) {
                task.run();
            }
        };
        ScheduledFuture<?> f = Timer.INSTANCE.schedule(() -> execute(guarded), Math.max(0, delay.toNanos()),
                TimeUnit.NANOSECONDS);
        return () -> {
            cancelled.set(true);
            f.cancel(false);
        };
    }

    @Override
    public Ticker ticker() {
        return Ticker.system();
    }

    @Override
    public boolean inExecutor() {
        return running == Thread.currentThread();
    }

    @Override
    public void close() {
        serial.close();
    }

    @Override
    public String toString() {
        return "SessionExecutor[" + name + ", queued=" + serial.queued() + "]";
    }
}
