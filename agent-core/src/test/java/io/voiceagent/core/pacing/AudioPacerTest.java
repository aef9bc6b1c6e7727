package io.voiceagent.core.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.testing.FakeTicker;
import io.voiceagent.testing.TestPcm;
import io.voiceagent.core.time.Ticker;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pacer as a thread (real clock; only completion and thread facts are asserted, never speed). */
@Timeout(60)
class AudioPacerTest {

    @Test
    void theSharedThreadSendsEveryFrameOfSeveralStreamsAndStopsOnClose() throws Exception {
        int streams = 20;
        PcmFormat f = PcmFormat.MONO_16K;
        List<Thread> senders = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(streams);
        List<ByteArrayOutputStream> received = new ArrayList<>();
        List<AudioConsumer> consumers = new ArrayList<>();
        try (AudioPacer pacer = AudioPacer.builder().threadName("test-pacer").build()) {
            for (int i = 0; i < streams; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                received.add(out);
                int expected = (int) f.bytesFor(200);
                consumers.add(pacer.newConsumer((data, off, len, fmt) -> {
                    synchronized (senders) {
                        senders.add(Thread.currentThread());
                    }
                    out.write(data, off, len);
                    if (out.size() == expected) {
                        done.countDown();
                    }
                }, f));
            }
            for (int i = 0; i < streams; i++) {
                consumers.get(i).push(TestPcm.pattern(i, (int) f.bytesFor(195)));
                consumers.get(i).endSegment();
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(pacer::runDue).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("test-pacer");
        }
        Thread pacerThread = senders.get(0);
        assertThat(senders).allMatch(t -> t == pacerThread);
        assertThat(pacerThread.getName()).isEqualTo("test-pacer");
        assertThat(pacerThread.isDaemon()).isTrue();
        assertThat(pacerThread.isAlive()).as("close() stops the thread").isFalse();
        for (int i = 0; i < streams; i++) {
            byte[] got = received.get(i).toByteArray();
            byte[] sent = TestPcm.pattern(i, (int) f.bytesFor(195));
            assertThat(java.util.Arrays.copyOf(got, sent.length)).isEqualTo(sent);
            assertThat(consumers.get(i).isClosed()).isTrue();
        }
    }

    @Test
    void aClosedPacerRejectsNewConsumersAndClosesItsConsumers() {
        FakeTicker ticker = new FakeTicker();
        AudioPacer pacer = AudioPacer.builder().ticker(ticker).buildManual();
        AudioConsumer c = pacer.newConsumer((d, o, l, f) -> {}, PcmFormat.MONO_16K);
        c.push(new byte[3200]);
        pacer.close();
        pacer.close();
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(() -> c.push(new byte[2])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pacer.newConsumer((d, o, l, f) -> {}, PcmFormat.MONO_16K))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(pacer::runDue).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void runDueReportsTheEarliestDeadlineAndNoDeadlineWhenIdle() {
        FakeTicker ticker = new FakeTicker();
        long t0 = ticker.nanoTime();
        AudioPacer pacer = AudioPacer.builder().ticker(ticker).buildManual();
        assertThat(pacer.runDue()).isEqualTo(AudioPacer.NO_DEADLINE);
        AudioConsumer a = pacer.newConsumer((d, o, l, f) -> {}, PcmFormat.MONO_16K);
        a.push(new byte[320 * 50]);
        // Frames 0..10 go at t0; frame 11 is due at t0 + 10 ms.
        assertThat(pacer.runDue()).isEqualTo(t0 + 10_000_000L);
        assertThat(a.framesSent()).isEqualTo(11);
        ticker.advanceMillis(4);
        AudioConsumer b = pacer.newConsumer((d, o, l, f) -> {}, PcmFormat.MONO_16K);
        b.push(new byte[320 * 50]);
        assertThat(pacer.runDue()).isEqualTo(t0 + 10_000_000L);
        ticker.advanceMillis(6);
        assertThat(pacer.runDue()).isEqualTo(t0 + 14_000_000L);
        a.clear();
        b.clear();
        ticker.advanceMillis(4);
        assertThat(pacer.runDue()).isEqualTo(AudioPacer.NO_DEADLINE);
        pacer.close();
    }

    @Test
    void runDueIsNotReentrant() {
        FakeTicker ticker = new FakeTicker();
        AudioPacer pacer = AudioPacer.builder().ticker(ticker).buildManual();
        List<Throwable> seen = new ArrayList<>();
        AudioConsumer c = pacer.newConsumer((d, o, l, f) -> {
            try {
                pacer.runDue();
            } catch (IllegalStateException e) {
                seen.add(e);
            }
        }, PcmFormat.MONO_16K);
        c.push(new byte[320]);
        pacer.runDue();
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).hasMessageContaining("re-entrantly");
        pacer.close();
    }

    @Test
    void builderValidatesNamingParameterAndValue() {
        assertThatThrownBy(() -> AudioPacer.builder().anchorGranularity(Duration.ofMillis(11)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("anchorGranularity").hasMessageContaining("11000000 ns");
        assertThatThrownBy(() -> AudioPacer.builder().threadName(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threadName");
    }

    @Test
    void systemTickerIsOneMonotonicInstance() {
        assertThat(Ticker.system()).isSameAs(Ticker.system());
        long a = Ticker.system().nanoTime();
        long b = Ticker.system().nanoTime();
        assertThat(b - a).isGreaterThanOrEqualTo(0);
    }
}
