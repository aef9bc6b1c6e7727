package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link RtcConnection#close()} against a listener call in flight on the connection's event executor. */
@ExtendWith(NativeLeakExtension.class)
class ConnectionCloseListenerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A listener whose onConnected blocks until released, recording what it saw. */
    private static final class BlockingListener implements RtcConnectionListener {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean closeReturned = new AtomicBoolean();
        final AtomicReference<Boolean> closeReturnedWhenListenerReturned = new AtomicReference<>();
        final AtomicInteger callsStartedAfterClose = new AtomicInteger();
        volatile Thread thread;

        @Override
        public void onConnected(RtcConnection c, ConnectionInfo info, ConnectionChangedReason reason) {
            thread = Thread.currentThread();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeReturnedWhenListenerReturned.set(closeReturned.get());
            }
        }

        @Override
        public void onDisconnected(RtcConnection c, ConnectionInfo info, ConnectionChangedReason reason) {
            record();
        }

        @Override
        public void onUserJoined(RtcConnection c, String userId) {
            record();
        }

        private void record() {
            if (closeReturned.get()) {
                callsStartedAfterClose.incrementAndGet();
            }
        }
    }

    @Test
    void closeDoesNotReturnBeforeTheListenerInFlightReturns() throws Exception {
        RtcConnection conn = TestNative.service().createConnection();
        BlockingListener l = new BlockingListener();
        conn.addListener(l);
        conn.connect("", TestNative.channel("close-wait"), "agent");
        assertThat(l.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        Thread closer = closeOnAnotherThread(conn, l);
        assertThat(TestNative.await(() -> waitsInExecutorClose(closer) || !closer.isAlive(), WAIT)).isTrue();
        assertThat(l.closeReturned.get()).as("close returned while the listener was still running").isFalse();
        l.release.countDown();
        closer.join(WAIT.toMillis());

        assertThat(closer.isAlive()).isFalse();
        assertThat(l.closeReturnedWhenListenerReturned.get()).isFalse();
        assertThat(conn.isClosed()).isTrue();
    }

    @Test
    void closeFromInsideTheListenerReturnsNormally() throws Exception {
        RtcConnection conn = TestNative.service().createConnection();
        CountDownLatch returned = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        conn.addListener(new RtcConnectionListener() {
            @Override
            public void onConnected(RtcConnection c, ConnectionInfo info, ConnectionChangedReason reason) {
                try {
                    c.close();
                } catch (Throwable t) {
                    failure.set(t);
                }
                returned.countDown();
            }
        });
        try {
            conn.connect("", TestNative.channel("close-inside"), "agent");
            assertThat(returned.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("close from the listener returned")
                    .isTrue();
            assertThat(failure.get()).isNull();
            assertThat(conn.isClosed()).isTrue();
        } finally {
            conn.close();
        }
    }

    @Test
    void noListenerCallStartsAfterCloseReturned() throws Exception {
        RtcConnection conn = TestNative.service().createConnection();
        BlockingListener l = new BlockingListener();
        conn.addListener(l);
        String channel = TestNative.channel("close-after");
        conn.connect("", channel, "agent");
        assertThat(l.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // Events and tasks queue up behind the blocked listener.
        AtomicInteger lateTasks = new AtomicInteger();
        try (RtcConnection peer = TestNative.service().createConnection()) {
            peer.connect("", channel, "peer");
            assertThat(conn.offerEvent(lateTasks::incrementAndGet)).isTrue();

            Thread closer = closeOnAnotherThread(conn, l);
            assertThat(TestNative.await(() -> waitsInExecutorClose(closer) || !closer.isAlive(), WAIT)).isTrue();
            l.release.countDown();
            closer.join(WAIT.toMillis());
            assertThat(closer.isAlive()).isFalse();
        }
        assertThat(conn.offerEvent(lateTasks::incrementAndGet)).isFalse();
        // Whatever the executor's drain still had to run, it has run once its thread is back in the pool.
        assertThat(TestNative.await(() -> idleInPool(l.thread), WAIT)).isTrue();
        assertThat(lateTasks.get()).isZero();
        assertThat(l.callsStartedAfterClose.get()).isZero();
    }

    private static Thread closeOnAnotherThread(RtcConnection conn, BlockingListener l) {
        Thread closer = new Thread(() -> {
            conn.close();
            l.closeReturned.set(true);
        }, "closer");
        closer.start();
        return closer;
    }

    private static boolean waitsInExecutorClose(Thread t) {
        return t.getState() == Thread.State.TIMED_WAITING && Arrays.stream(t.getStackTrace()).anyMatch(f ->
                f.getClassName().endsWith(".SerialExecutor") && f.getMethodName().equals("close"));
    }

    private static boolean idleInPool(Thread t) {
        return t.getState() == Thread.State.WAITING && Arrays.stream(t.getStackTrace()).anyMatch(f ->
                f.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
                        && f.getMethodName().equals("getTask"));
    }
}
