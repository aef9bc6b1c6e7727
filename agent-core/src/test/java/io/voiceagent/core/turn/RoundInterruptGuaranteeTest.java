package io.voiceagent.core.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.time.Ticker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * "After an interrupt returns, no byte produced for round N reaches the channel", under real
 * concurrency: several producer threads write round-tagged PCM as fast as they can while another
 * thread interrupts at a seeded random moment, and a pacer thread moves queued audio to a
 * recording "channel" (calling back into the manager like the real pacer does). No sleeps.
 */
class RoundInterruptGuaranteeTest {

    private static final int CHUNK = 32;

    /**
     * Models AudioConsumer + SDK sender: a queue drained by a pacer thread into the channel; clear()
     * waits for a send in flight (send lock), like AudioConsumer.clear().
     */
    static final class SimulatedConnection implements RoundAudioOutput {
        private final ReentrantLock sendLock = new ReentrantLock();
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>(); // guarded by itself
        private final List<Long> channel = new ArrayList<>(); // round tag per chunk; guarded by itself
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Throwable> pacerError = new AtomicReference<>();
        private final Thread pacer;
        volatile RoundManager manager;

        SimulatedConnection() {
            pacer = new Thread(this::pace, "test-pacer");
            pacer.start();
        }

        private void pace() {
            try {
                while (running.get()) {
                    byte[] chunk;
                    sendLock.lock();
                    try {
                        synchronized (queue) {
                            chunk = queue.poll();
                        }
                        if (chunk != null) {
                            long tag = chunk[0];
                            for (byte b : chunk) {
                                if (b != tag) {
                                    throw new AssertionError("torn chunk");
                                }
                            }
                            synchronized (channel) {
                                channel.add(tag);
                            }
                            RoundManager m = manager;
                            if (m != null) {
                                m.audioFramesSent(System.nanoTime());
                            }
                        }
                    } finally {
                        sendLock.unlock();
                    }
                    if (chunk == null) {
                        Thread.onSpinWait();
                    }
                }
            } catch (Throwable t) {
                pacerError.set(t);
            }
        }

        @Override
        public void write(long roundId, byte[] pcm, int offset, int length) {
            byte[] copy = java.util.Arrays.copyOfRange(pcm, offset, offset + length);
            synchronized (queue) {
                queue.add(copy);
            }
        }

        @Override
        public long clear() {
            sendLock.lock();
            try {
                synchronized (queue) {
                    long n = (long) queue.size() * CHUNK;
                    queue.clear();
                    return n;
                }
            } finally {
                sendLock.unlock();
            }
        }

        int channelSize() {
            synchronized (channel) {
                return channel.size();
            }
        }

        List<Long> channel() {
            synchronized (channel) {
                return List.copyOf(channel);
            }
        }

        void drainAndStop() throws InterruptedException {
            while (true) {
                synchronized (queue) {
                    if (queue.isEmpty()) {
                        break;
                    }
                }
                Thread.onSpinWait();
            }
            sendLock.lock(); // the last send has finished
            sendLock.unlock();
            running.set(false);
            pacer.join();
            assertThat(pacerError.get()).isNull();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void noByteOfTheInterruptedRoundReachesTheChannelAfterTheInterruptReturns() throws Exception {
        Random gen = new Random(0x5EEDL);
        long round1BytesBeforeInterrupt = 0;
        long rejectedWrites = 0;
        for (int iter = 0; iter < 300; iter++) {
            SimulatedConnection conn = new SimulatedConnection();
            RoundManager m = new RoundManager(RoundManagerConfig.defaults(), conn, new RoundListener() { },
                    Ticker.system());
            conn.manager = m;
            Round r1 = m.startRound();
            int writerCount = 1 + gen.nextInt(4);
            long threshold = gen.nextInt(400);
            int how = gen.nextInt(4);
            AtomicLong written = new AtomicLong();
            AtomicLong rejected = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < writerCount; w++) {
                Thread t = new Thread(() -> {
                    byte[] chunk = new byte[CHUNK];
                    java.util.Arrays.fill(chunk, (byte) r1.id());
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 5000; i++) {
                        if (r1.writeAudio(chunk)) {
                            written.incrementAndGet();
                        } else {
                            rejected.incrementAndGet();
                            if (rejected.get() > 50) {
                                return;
                            }
                        }
                    }
                }, "test-writer-" + w);
                t.start();
                writers.add(t);
            }
            go.countDown();
            while (written.get() < threshold && writers.stream().anyMatch(Thread::isAlive)) {
                Thread.onSpinWait();
            }
            Round r2 = null;
            switch (how) {
                case 0 -> m.interrupt();
                case 1 -> m.onSpeechStarted();
                case 2 -> r1.cancel();
                default -> r2 = m.startRound();
            }
            int mark = conn.channelSize();
            assertThat(r1.isCancelled() || !r1.isOpen()).isTrue();

            for (Thread t : writers) {
                t.join();
            }
            // The channel still works after the interrupt: round 2's audio arrives.
            if (r2 == null) {
                r2 = m.startRound();
            }
            byte[] chunk2 = new byte[CHUNK];
            java.util.Arrays.fill(chunk2, (byte) r2.id());
            for (int i = 0; i < 5; i++) {
                assertThat(r2.writeAudio(chunk2)).isTrue();
            }
            conn.drainAndStop();

            List<Long> channel = conn.channel();
            List<Long> after = channel.subList(mark, channel.size());
            assertThat(after).as("iteration %d: chunks after the interrupt returned", iter).doesNotContain(r1.id());
            assertThat(after).as("iteration %d", iter).containsOnly(r2.id()).hasSize(5);
            round1BytesBeforeInterrupt += channel.subList(0, mark).size();
            rejectedWrites += rejected.get();
        }
        // The test is not vacuous: round-1 audio did flow before interrupts, and writers raced them.
        assertThat(round1BytesBeforeInterrupt).isPositive();
        assertThat(rejectedWrites).isPositive();
    }
}
