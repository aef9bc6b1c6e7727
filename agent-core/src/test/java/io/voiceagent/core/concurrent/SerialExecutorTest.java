package io.voiceagent.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        assertThat(errors).as("task errors").isEmpty();
    }

    private SerialExecutor executor(Executor on) {
        return new SerialExecutor("test", on, 16, (name, t) -> errors.add(t));
    }

    /** A task that says it started, then blocks until released, and notes what it saw when it returns. */
    private static final class BlockingTask implements Runnable {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean closeReturned = new AtomicBoolean();
        final AtomicReference<Boolean> closeReturnedWhenTaskEnded = new AtomicReference<>();

        @Override
        public void run() {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeReturnedWhenTaskEnded.set(closeReturned.get());
            }
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.await(10, TimeUnit.SECONDS)).as("task started").isTrue();
        }
    }

    /** Offers a {@link BlockingTask} to {@code ex} and returns it once it runs. */
    private static BlockingTask runBlockingTask(SerialExecutor ex) throws InterruptedException {
        BlockingTask task = new BlockingTask();
        ex.offer(task);
        task.awaitStarted();
        return task;
    }

    /** Calls close(LONG) on a new thread; returns once that thread waits in it (or has returned). */
    private static Thread closeOnAnotherThread(SerialExecutor ex, BlockingTask task, AtomicReference<Boolean> result)
            throws InterruptedException {
        Thread closer = new Thread(() -> {
            try {
                result.set(ex.close(LONG));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            task.closeReturned.set(true);
        }, "closer");
        closer.start();
        // Its only timed wait is the one in close(Duration).
        assertThat(await(() -> closer.getState() == Thread.State.TIMED_WAITING || !closer.isAlive())).isTrue();
        return closer;
    }

    @Test
    void closeWithTimeoutReturnsOnlyAfterTheRunningTaskReturned() throws Exception {
        SerialExecutor ex = executor(pool);
        BlockingTask task = runBlockingTask(ex);
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread closer = closeOnAnotherThread(ex, task, result);
        assertThat(task.closeReturned.get()).as("close returned while the task was still running").isFalse();
        task.release.countDown();
        closer.join(LONG.toMillis());
        assertThat(closer.isAlive()).isFalse();
        assertThat(task.closeReturnedWhenTaskEnded.get()).isFalse();
        assertThat(result.get()).isTrue();
    }

    @Test
    void closeWithTimeoutFromInsideATaskDoesNotWaitForItself() throws Exception {
        SerialExecutor ex = executor(pool);
        assertThat(ex.inExecutor()).isFalse();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Boolean> inside = new AtomicReference<>();
        AtomicReference<Boolean> result = new AtomicReference<>();
        ex.offer(() -> {
            inside.set(ex.inExecutor());
            try {
                result.set(ex.close(LONG));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).as("close from inside the task returned").isTrue();
        assertThat(inside.get()).isTrue();
        assertThat(result.get()).isTrue();
        assertThat(ex.isClosed()).isTrue();
    }

    @Test
    void closeWithTimeoutGivesUpOnATaskThatDoesNotReturn() throws Exception {
        SerialExecutor ex = executor(pool);
        BlockingTask task = runBlockingTask(ex);
        try {
            assertThat(ex.close(Duration.ofMillis(20))).isFalse();
        } finally {
            task.release.countDown();
        }
    }

    @Test
    void noTaskStartsOnceCloseHasReturnedEvenIfItsDrainRunsLater() throws Exception {
        // The pool hands us its work instead of running it, so "later" is whenever the test says.
        List<Runnable> drains = new ArrayList<>();
        SerialExecutor ex = executor(drains::add);
        List<String> ran = new ArrayList<>();
        assertThat(ex.offer(() -> ran.add("first"))).isTrue();
        assertThat(ex.offer(() -> ran.add("second"))).isTrue();
        assertThat(ex.close(LONG)).isTrue();
        assertThat(ex.offer(() -> ran.add("after close"))).isFalse();
        drains.forEach(Runnable::run);
        assertThat(ran).isEmpty();
        assertThat(ex.queued()).isZero();
        assertThat(ex.rejectedCount()).isEqualTo(1);
    }

    @Test
    void tasksQueuedBehindTheRunningOneNeverStartAfterClose() throws Exception {
        List<Runnable> drains = new ArrayList<>();
        SerialExecutor ex = executor(drains::add);
        BlockingTask task = new BlockingTask();
        List<String> ran = new CopyOnWriteArrayList<>();
        ex.offer(task);
        ex.offer(() -> ran.add("queued"));
        Thread drainer = new Thread(drains.get(0), "drainer");
        drainer.start();
        task.awaitStarted();
        Thread closer = closeOnAnotherThread(ex, task, new AtomicReference<>());
        task.release.countDown();
        closer.join(LONG.toMillis());
        drainer.join(LONG.toMillis());
        assertThat(drainer.isAlive()).isFalse();
        assertThat(ran).isEmpty();
        assertThat(task.closeReturnedWhenTaskEnded.get()).isFalse();
    }

    @Test
    void closeWithoutTimeoutStillReturnsAtOnce() throws Exception {
        SerialExecutor ex = executor(pool);
        BlockingTask task = runBlockingTask(ex);
        try {
            ex.close(); // must not block: the task is released only after close returned
            assertThat(ex.isClosed()).isTrue();
        } finally {
            task.release.countDown();
        }
    }

    /** Polls {@code condition} until true or 10 s. */
    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
