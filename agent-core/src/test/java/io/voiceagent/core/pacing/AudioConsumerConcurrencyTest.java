package io.voiceagent.core.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.testing.FakeTicker;
import io.voiceagent.testing.PacerDriver;
import io.voiceagent.testing.RecordingPcmSink;
import io.voiceagent.testing.TestPcm;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * clear() racing a send in progress. The manual pacer's core runs on a helper thread standing in
 * for the pacer thread; a latch-controlled sink blocks mid-send. Latches and thread states order
 * the steps; nothing depends on timing.
 */
@Timeout(30)
class AudioConsumerConcurrencyTest {

    /** Blocks in its first call until released. */
    static final class BlockingSink extends RecordingPcmSink {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean blockedOnce = new AtomicBoolean();

        BlockingSink(FakeTicker ticker) {
            super(ticker);
        }

        @Override
        public void sendFrames(byte[] data, int offset, int length, PcmFormat format) {
            if (blockedOnce.compareAndSet(false, true)) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.sendFrames(data, offset, length, format);
        }
    }

    @Test
    void clearDuringASendWaitsForItAndNothingClearedIsSentAfterwards() throws Exception {
        FakeTicker ticker = new FakeTicker();
        AudioPacer pacer = AudioPacer.builder().ticker(ticker).buildManual();
        BlockingSink sink = new BlockingSink(ticker);
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        c.push(TestPcm.pattern(0, f.bytesPerSecond()));

        Thread pacerRole = new Thread(pacer::runDue, "pacer-role");
        pacerRole.start();
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).isTrue();

        AtomicLong dropped = new AtomicLong(-1);
        AtomicBoolean clearReturned = new AtomicBoolean();
        Thread clearer = new Thread(() -> {
            dropped.set(c.clear());
            clearReturned.set(true);
        }, "clearer");
        clearer.start();
        // Wait until clear() is parked on the send in flight (not merely not yet scheduled).
        while (clearer.getState() != Thread.State.WAITING && clearer.isAlive()) {
            Thread.onSpinWait();
        }
        assertThat(clearReturned).as("clear() must wait for the send in flight").isFalse();
        // Pushes are never blocked by a slow sink.
        c.push(TestPcm.pattern(0, 320));

        sink.release.countDown();
        clearer.join();
        pacerRole.join();
        long framesAtClear = sink.totalFrames();
        assertThat(framesAtClear).isBetween(10L, 11L);
        assertThat(dropped.get()).isEqualTo(f.bytesPerSecond() + 320 - framesAtClear * f.bytesPerFrame());

        PacerDriver.runFor(pacer, ticker, 5000);
        assertThat(sink.totalFrames()).as("no cleared byte reaches the sink after clear() returned")
                .isEqualTo(framesAtClear);
        assertThat(sink.bytes()).isEqualTo(TestPcm.pattern(0, (int) framesAtClear * f.bytesPerFrame()));
        pacer.close();
    }

    @Test
    void pacerCloseWaitsForASendInFlightThenStopsEveryConsumer() throws Exception {
        FakeTicker ticker = new FakeTicker();
        AudioPacer pacer = AudioPacer.builder().ticker(ticker).buildManual();
        BlockingSink sink = new BlockingSink(ticker);
        RecordingPcmSink other = new RecordingPcmSink(ticker);
        AudioConsumer a = pacer.newConsumer(sink, PcmFormat.MONO_16K);
        AudioConsumer b = pacer.newConsumer(other, PcmFormat.MONO_48K);
        a.push(new byte[32000]);
        b.push(new byte[96000]);
        Thread pacerRole = new Thread(pacer::runDue, "pacer-role");
        pacerRole.start();
        assertThat(sink.entered.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(pacer::close, "closer");
        closer.start();
        while (closer.getState() != Thread.State.WAITING && closer.isAlive()) {
            Thread.onSpinWait();
        }
        sink.release.countDown();
        closer.join();
        pacerRole.join();
        long aFrames = sink.totalFrames();
        long bFrames = other.totalFrames();
        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
        assertThat(a.pendingBytes()).isZero();
        assertThat(b.pendingBytes()).isZero();
        assertThat(pacer.consumerCount()).isZero();
        assertThat(pacer.isClosed()).isTrue();
        ticker.advanceMillis(5000);
        assertThat(sink.totalFrames()).isEqualTo(aFrames);
        assertThat(other.totalFrames()).isEqualTo(bFrames);
    }

    /**
     * The deadlock of the old design, reduced to the consumer: a listener that waits for something a
     * clearing thread does (here, for the clear itself) must not block that clear. The listener runs
     * after the send lock is released, so clear() returns while the listener waits; when the listener
     * was called under the send lock, clear() could only return after the listener, which waited for it.
     */
    @Test
    void aListenerThatWaitsForAClearOnAnotherThreadDoesNotBlockIt() throws Exception {
        FakeTicker ticker = new FakeTicker();
        AudioPacer pacer = AudioPacer.builder().ticker(ticker).buildManual();
        PcmFormat f = PcmFormat.MONO_16K;
        CountDownLatch clearReturned = new CountDownLatch(1);
        AtomicBoolean listenerSawClear = new AtomicBoolean();
        AudioConsumer[] ref = new AudioConsumer[1];
        AudioConsumer c = pacer.newConsumer(new RecordingPcmSink(ticker), f, AudioConsumerConfig.defaults(),
                new AudioConsumerListener() {
                    @Override
                    public void framesSent(AudioConsumer consumer, int frames, long deadline, long sent) {
                        if (clearReturned.getCount() == 0) {
                            return;
                        }
                        Thread barge = new Thread(() -> {
                            ref[0].clear();
                            clearReturned.countDown();
                        }, "barge-in");
                        barge.start();
                        try {
                            listenerSawClear.set(clearReturned.await(5, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
        ref[0] = c;
        c.push(TestPcm.pattern(0, f.bytesPerSecond()));
        pacer.runDue();
        assertThat(listenerSawClear).as("clear() returned while the listener waited for it").isTrue();
        assertThat(c.pendingBytes()).isZero();
    }
}
