package io.voiceagent.core.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.testing.FakeTicker;
import io.voiceagent.testing.PacerDriver;
import io.voiceagent.testing.RecordingPcmSink;
import io.voiceagent.testing.TestPcm;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** AudioConsumer driven by a manual pacer and a fake clock: exact, no sleeping. */
class AudioConsumerTest {
    private static final long MS = 1_000_000L;
    private static final long F = 10 * MS;
    private static final long LEAD = 100 * MS;

    private final FakeTicker ticker = new FakeTicker();
    private final long t0 = ticker.nanoTime();
    private final AudioPacer pacer = AudioPacer.builder().ticker(ticker).buildManual();
    private final RecordingPcmSink sink = new RecordingPcmSink(ticker);

    @AfterEach
    void closePacer() {
        pacer.close();
    }

    /** Frame k of a timeline started at {@code start} is due at start + k*10 ms - lead, not before start. */
    private static long expectedSendTime(long start, long k, long lead) {
        return start + Math.max(0, k * F - lead);
    }

    /** Send time of each frame, in order. */
    private static List<Long> frameTimes(RecordingPcmSink sink) {
        List<Long> times = new ArrayList<>();
        for (RecordingPcmSink.Send s : sink.sends()) {
            for (int i = 0; i < s.frames(); i++) {
                times.add(s.atNanos());
            }
        }
        return times;
    }

    @Test
    void oneSecondIsSentAsExactlyOneHundredFramesOnTheirDeadlines() {
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        byte[] pcm = TestPcm.pattern(0, f.bytesPerSecond());
        c.push(pcm);
        c.endSegment();

        PacerDriver.runUntil(pacer, ticker, t0 + 999 * MS);
        assertThat(c.isPushToRtcCompleted()).as("last frame still playing at 999 ms").isFalse();
        PacerDriver.runUntil(pacer, ticker, t0 + 1000 * MS);
        assertThat(c.isPushToRtcCompleted()).isTrue();
        PacerDriver.runUntil(pacer, ticker, t0 + 3000 * MS);

        assertThat(c.framesSent()).isEqualTo(100);
        assertThat(sink.bytes()).isEqualTo(pcm);
        List<Long> times = frameTimes(sink);
        assertThat(times).hasSize(100);
        for (int k = 0; k < 100; k++) {
            assertThat(times.get(k)).as("frame %d", k).isEqualTo(expectedSendTime(t0, k, LEAD));
        }
        // The start burst is lead/10 ms + 1 frames, all at t0; then one frame per call.
        assertThat(times.stream().filter(t -> t == t0).count()).isEqualTo(11);
        assertThat(sink.sends().get(11).frames()).isEqualTo(1);
        assertThat(sink.maxAheadNanos()).isEqualTo(LEAD + F);
        assertThat(sink.receiverGaps()).isZero();
        assertThat(c.pendingBytes()).isZero();
    }

    /**
     * Long runs with a producer that tops up one second at a time: every frame is sent at exactly
     * start + k*10 ms - lead, so there is no drift however long the stream runs.
     */
    @ParameterizedTest
    @ValueSource(ints = {10, 3600})
    void longStreamsHaveExactFrameCountAndNoDrift(int seconds) {
        PcmFormat f = PcmFormat.MONO_16K;
        int bpf = f.bytesPerFrame();
        long[] frameIndex = {0};
        long[] mismatches = {0};
        long[] firstMismatch = {-1};
        PcmSink checking = (data, off, len, fmt) -> {
            long now = ticker.nanoTime();
            for (int i = 0; i < len / bpf; i++) {
                long k = frameIndex[0]++;
                boolean timeOk = now == expectedSendTime(t0, k, LEAD);
                boolean dataOk = data[off + i * bpf] == TestPcm.at(k * bpf)
                        && data[off + i * bpf + bpf - 1] == TestPcm.at(k * bpf + bpf - 1);
                if (!timeOk || !dataOk) {
                    mismatches[0]++;
                    if (firstMismatch[0] < 0) {
                        firstMismatch[0] = k;
                    }
                }
            }
        };
        AudioConsumer c = pacer.newConsumer(checking, f);
        long pushed = 0;
        // Two seconds up front, then one more second at the start of every second.
        for (int s = 0; s < seconds; s++) {
            if (s == 0) {
                int n = Math.min(2, seconds) * f.bytesPerSecond();
                c.push(TestPcm.pattern(pushed, n));
                pushed += n;
            } else if (s + 1 < seconds) {
                c.push(TestPcm.pattern(pushed, f.bytesPerSecond()));
                pushed += f.bytesPerSecond();
            }
            PacerDriver.runUntil(pacer, ticker, t0 + (s + 1) * 1000 * MS - 1);
        }
        assertThat(pushed).isEqualTo((long) seconds * f.bytesPerSecond());
        assertThat(c.isPushToRtcCompleted()).isFalse();
        PacerDriver.runUntil(pacer, ticker, t0 + seconds * 1000 * MS);

        assertThat(frameIndex[0]).isEqualTo(seconds * 100L);
        assertThat(c.framesSent()).isEqualTo(seconds * 100L);
        assertThat(mismatches[0]).as("frames off their deadline or with wrong bytes, first at %d", firstMismatch[0])
                .isZero();
        assertThat(c.isPushToRtcCompleted()).as("done exactly when the last frame has played").isTrue();
        assertThat(c.underruns()).isZero();
    }

    @Test
    void senderIsNeverMoreThanLeadPlusOneFrameAheadUnderAnIrregularProducer() {
        Random random = new Random(42);
        for (long leadMs : new long[] {10, 40, 100, 250}) {
            FakeTicker t = new FakeTicker();
            AudioPacer p = AudioPacer.builder().ticker(t).buildManual();
            RecordingPcmSink s = new RecordingPcmSink(t);
            PcmFormat f = PcmFormat.of(24000, 1);
            AudioConsumer c = p.newConsumer(s, f, AudioConsumerConfig.builder().lead(Duration.ofMillis(leadMs)).build());
            long pushed = 0;
            long end = t.nanoTime() + 60_000 * MS;
            while (t.nanoTime() < end) {
                int bytes = random.nextInt(f.bytesPerSecond() / 2) + 1; // odd lengths too
                if (c.pendingBytes() + bytes <= c.bufferLimitBytes()) {
                    c.push(TestPcm.pattern(pushed, bytes));
                    pushed += bytes;
                }
                PacerDriver.runFor(p, t, random.nextInt(700) + 1);
            }
            c.close();
            PacerDriver.runFor(p, t, 120_000);
            assertThat(s.maxAheadNanos()).as("lead %d ms", leadMs).isLessThanOrEqualTo(leadMs * MS + F);
            assertThat(c.isClosed()).isTrue();
            byte[] got = s.bytes();
            assertThat(got.length % f.bytesPerFrame()).isZero();
            assertThat(Arrays.copyOf(got, (int) pushed)).isEqualTo(TestPcm.pattern(0, (int) pushed));
            for (int i = (int) pushed; i < got.length; i++) {
                assertThat(got[i]).as("padding at %d", i).isZero();
            }
            p.close();
        }
    }

    @Test
    void afterALongGapANewTimelineStartsWithNoMoreThanTheLead() {
        PcmFormat f = PcmFormat.MONO_48K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        c.push(TestPcm.pattern(0, (int) f.bytesFor(300)));
        c.endSegment();
        PacerDriver.runUntil(pacer, ticker, t0 + 2000 * MS);
        assertThat(c.framesSent()).isEqualTo(30);
        assertThat(c.isPushToRtcCompleted()).isTrue();

        long t1 = t0 + 2000 * MS;
        c.push(TestPcm.pattern(0, (int) f.bytesFor(300)));
        c.endSegment();
        PacerDriver.runUntil(pacer, ticker, t1 + 2000 * MS);

        List<Long> times = frameTimes(sink);
        assertThat(times).hasSize(60);
        for (int k = 0; k < 30; k++) {
            assertThat(times.get(30 + k)).as("frame %d of the second segment", k).isEqualTo(expectedSendTime(t1, k, LEAD));
        }
        assertThat(sink.maxAheadNanos()).isEqualTo(LEAD + F);
        assertThat(sink.receiverGaps()).as("the receiver idled once, between the segments").isEqualTo(1);
        assertThat(c.underruns()).as("a pause after endSegment is not an underrun").isZero();
    }

    @Test
    void starvingMidSegmentRestartsCleanlyAndCountsAnUnderrun() {
        PcmFormat f = PcmFormat.MONO_16K;
        List<Long> silences = new ArrayList<>();
        AudioConsumer c = pacer.newConsumer(sink, f, AudioConsumerConfig.defaults(), new AudioConsumerListener() {
            @Override
            public void underrun(AudioConsumer consumer, long silentNanos) {
                silences.add(silentNanos);
            }
        });
        c.push(TestPcm.pattern(0, (int) f.bytesFor(200)));
        PacerDriver.runUntil(pacer, ticker, t0 + 500 * MS); // played out at t0 + 200 ms
        long t1 = ticker.nanoTime();
        c.push(TestPcm.pattern(0, (int) f.bytesFor(500)));
        PacerDriver.runUntil(pacer, ticker, t1 + 1000 * MS);

        assertThat(c.underruns()).isEqualTo(1);
        assertThat(silences).containsExactly(300 * MS);
        List<Long> times = frameTimes(sink);
        assertThat(times).hasSize(70);
        for (int k = 0; k < 50; k++) {
            assertThat(times.get(20 + k)).isEqualTo(expectedSendTime(t1, k, LEAD));
        }
        assertThat(sink.maxAheadNanos()).isLessThanOrEqualTo(LEAD + F);
    }

    @Test
    void aGapShorterThanTheLeadIsBridgedOnTheSameTimeline() {
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        c.push(TestPcm.pattern(0, (int) f.bytesFor(300)));
        // All 30 frames are sent by t0 + 200 ms and play until t0 + 300 ms.
        PacerDriver.runUntil(pacer, ticker, t0 + 250 * MS);
        assertThat(c.framesSent()).isEqualTo(30);
        c.push(TestPcm.pattern(f.bytesFor(300), (int) f.bytesFor(300)));
        PacerDriver.runUntil(pacer, ticker, t0 + 2000 * MS);

        List<Long> times = frameTimes(sink);
        assertThat(times).hasSize(60);
        for (int k = 30; k < 60; k++) {
            // Frames 30..35 were overdue at 250 ms and go at once (no more than the lead); the rest on time.
            assertThat(times.get(k)).as("frame %d", k).isEqualTo(Math.max(t0 + 250 * MS, expectedSendTime(t0, k, LEAD)));
        }
        assertThat(c.underruns()).isZero();
        assertThat(sink.receiverGaps()).isZero();
        assertThat(sink.maxAheadNanos()).isLessThanOrEqualTo(LEAD + F);
        assertThat(sink.bytes()).isEqualTo(TestPcm.pattern(0, (int) f.bytesFor(600)));
    }

    @Test
    void trailingPartialFrameWaitsUntilEndSegmentThenGoesOutZeroPadded() {
        PcmFormat f = PcmFormat.MONO_16K; // 320-byte frames
        AudioConsumer c = pacer.newConsumer(sink, f);
        c.push(TestPcm.pattern(0, 480));
        PacerDriver.runUntil(pacer, ticker, t0 + 1000 * MS);
        assertThat(c.framesSent()).isEqualTo(1);
        assertThat(c.pendingBytes()).isEqualTo(160);
        assertThat(c.isPushToRtcCompleted()).as("half a frame is still waiting").isFalse();

        c.endSegment();
        assertThat(c.pendingBytes()).isEqualTo(320);
        PacerDriver.runUntil(pacer, ticker, t0 + 2000 * MS);
        assertThat(c.framesSent()).isEqualTo(2);
        byte[] expected = new byte[640];
        System.arraycopy(TestPcm.pattern(0, 480), 0, expected, 0, 480);
        assertThat(sink.bytes()).isEqualTo(expected);
        assertThat(c.isPushToRtcCompleted()).isTrue();

        c.endSegment(); // nothing pending: no extra frame
        PacerDriver.runUntil(pacer, ticker, t0 + 3000 * MS);
        assertThat(c.framesSent()).isEqualTo(2);
    }

    @Test
    void oddLengthPushesAreReassembledByteExact() {
        PcmFormat f = PcmFormat.STEREO_48K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        int total = 0;
        int[] sizes = {1, 3, 5, 1917, 2, 1, 7777, 13, 1920 * 3 + 1};
        for (int n : sizes) {
            c.push(TestPcm.pattern(total, n));
            total += n;
            PacerDriver.runFor(pacer, ticker, 3);
        }
        c.endSegment();
        PacerDriver.runFor(pacer, ticker, 1000);
        int frames = (total + 1919) / 1920;
        assertThat(c.framesSent()).isEqualTo(frames);
        byte[] expected = Arrays.copyOf(TestPcm.pattern(0, total), frames * 1920);
        assertThat(sink.bytes()).isEqualTo(expected);
    }

    @Test
    void byteBufferPushConsumesTheRemainingBytes() {
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        ByteBuffer direct = ByteBuffer.allocateDirect(1000);
        direct.put(TestPcm.pattern(0, 1000)).flip();
        direct.position(40);
        c.push(direct);
        assertThat(direct.remaining()).isZero();
        assertThat(c.pendingBytes()).isEqualTo(960);
        PacerDriver.runFor(pacer, ticker, 100);
        assertThat(sink.bytes()).isEqualTo(Arrays.copyOfRange(TestPcm.pattern(0, 1000), 40, 1000));
    }

    @Test
    void stereoAt44100HzSendsFramesOf441SamplesPerChannel() {
        PcmFormat f = PcmFormat.of(44100, 2);
        AudioConsumer c = pacer.newConsumer(sink, f);
        // Left = +i, right = -i for sample frame i, so channel swaps or misalignment show.
        int sampleFrames = 44100;
        ByteBuffer pcm = ByteBuffer.allocate(sampleFrames * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < sampleFrames; i++) {
            pcm.putShort((short) i).putShort((short) -i);
        }
        c.push(pcm.array());
        c.endSegment();
        PacerDriver.runFor(pacer, ticker, 2000);

        assertThat(c.framesSent()).isEqualTo(100);
        for (RecordingPcmSink.Send s : sink.sends()) {
            assertThat(s.data().length).isEqualTo(s.frames() * 441 * 2 * 2);
            assertThat(s.format()).isEqualTo(f);
        }
        ByteBuffer got = ByteBuffer.wrap(sink.bytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(got.remaining() / 4).as("samples per channel").isEqualTo(44100);
        for (int i = 0; i < sampleFrames; i++) {
            assertThat(got.getShort()).isEqualTo((short) i);
            assertThat(got.getShort()).isEqualTo((short) -i);
        }
    }

    static Stream<Arguments> everyFormat() {
        List<Arguments> out = new ArrayList<>();
        for (int rate : PcmFormat.SUPPORTED_RATES_HZ) {
            out.add(Arguments.of(rate, 1));
            out.add(Arguments.of(rate, 2));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} Hz x{1}")
    @MethodSource("everyFormat")
    void everySupportedFormatSendsWholeFramesAtRealTimePace(int rate, int channels) {
        PcmFormat f = PcmFormat.of(rate, channels);
        AudioConsumer c = pacer.newConsumer(sink, f);
        int halfFrame = f.bytesPerFrame() / 2;
        byte[] pcm = TestPcm.pattern(0, f.bytesPerSecond() + halfFrame); // 1005 ms
        c.push(pcm);
        c.endSegment();
        PacerDriver.runUntil(pacer, ticker, t0 + 1009 * MS);
        assertThat(c.isPushToRtcCompleted()).isFalse();
        PacerDriver.runUntil(pacer, ticker, t0 + 1010 * MS);
        assertThat(c.isPushToRtcCompleted()).isTrue();

        assertThat(c.framesSent()).isEqualTo(101);
        byte[] got = sink.bytes();
        assertThat(got).hasSize(101 * f.bytesPerFrame());
        assertThat(Arrays.copyOf(got, pcm.length)).isEqualTo(pcm);
        assertThat(Arrays.copyOfRange(got, pcm.length, got.length)).containsOnly(0);
        List<Long> times = frameTimes(sink);
        for (int k = 0; k < 101; k++) {
            assertThat(times.get(k)).isEqualTo(expectedSendTime(t0, k, LEAD));
        }
    }

    @Test
    void clearDropsUnsentAudioAndRestartsTheTimeline() {
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        c.push(TestPcm.pattern(0, f.bytesPerSecond()));
        PacerDriver.runUntil(pacer, ticker, t0 + 300 * MS);
        assertThat(c.framesSent()).isEqualTo(41);

        long dropped = c.clear();
        sink.discardQueued(); // what interruptAudio() does to the SDK's buffer
        assertThat(dropped).isEqualTo(f.bytesPerSecond() - 41L * f.bytesPerFrame());
        assertThat(c.pendingBytes()).isZero();
        assertThat(c.clear()).as("idempotent").isZero();
        PacerDriver.runFor(pacer, ticker, 1000);
        assertThat(c.framesSent()).isEqualTo(41);

        long t1 = ticker.nanoTime();
        c.push(TestPcm.pattern(7, (int) f.bytesFor(200)));
        PacerDriver.runFor(pacer, ticker, 1000);
        List<Long> times = frameTimes(sink);
        assertThat(times).hasSize(61);
        for (int k = 0; k < 20; k++) {
            assertThat(times.get(41 + k)).isEqualTo(expectedSendTime(t1, k, LEAD));
        }
        assertThat(c.underruns()).isZero();
        assertThat(sink.maxAheadNanos()).isLessThanOrEqualTo(LEAD + F);
    }

    @Test
    void pushBeyondTheBufferLimitFailsNamingTheSizesAndKeepsWhatWasBuffered() {
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f,
                AudioConsumerConfig.builder().bufferLimit(Duration.ofSeconds(1)).build());
        assertThat(c.bufferLimitBytes()).isEqualTo(32000);
        c.push(TestPcm.pattern(0, 31000));
        assertThatThrownBy(() -> c.push(new byte[1001]))
                .isInstanceOf(AudioBufferFullException.class)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1001 bytes")
                .hasMessageContaining("32000 bytes")
                .hasMessageContaining("1000 ms")
                .hasMessageContaining("31000 bytes are waiting")
                .satisfies(e -> {
                    AudioBufferFullException full = (AudioBufferFullException) e;
                    assertThat(full.limitBytes()).isEqualTo(32000);
                    assertThat(full.pendingBytes()).isEqualTo(31000);
                    assertThat(full.pushBytes()).isEqualTo(1001);
                });
        ByteBuffer bb = ByteBuffer.wrap(new byte[1001]);
        assertThatThrownBy(() -> c.push(bb)).isInstanceOf(AudioBufferFullException.class);
        assertThat(bb.position()).as("a rejected ByteBuffer push leaves the position").isZero();
        assertThat(c.pendingBytes()).isEqualTo(31000);
        c.push(TestPcm.pattern(31000, 1000)); // exactly at the limit is fine

        PacerDriver.runFor(pacer, ticker, 100); // 20 frames sent, room again
        c.push(TestPcm.pattern(32000, 1001));
        c.endSegment();
        PacerDriver.runFor(pacer, ticker, 2000);
        byte[] expected = Arrays.copyOf(TestPcm.pattern(0, 33001), 104 * 320);
        assertThat(sink.bytes()).isEqualTo(expected);
    }

    @Test
    void closeDrainsThenRejectsPushes() {
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        c.push(TestPcm.pattern(0, f.bytesPerSecond() + 100));
        assertThat(pacer.consumerCount()).isEqualTo(1);
        c.close();
        c.close(); // idempotent
        assertThatThrownBy(() -> c.push(new byte[320])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closing");
        assertThatThrownBy(c::endSegment).isInstanceOf(IllegalStateException.class);
        assertThat(c.isClosed()).isFalse();

        PacerDriver.runUntil(pacer, ticker, t0 + 2000 * MS);
        assertThat(c.framesSent()).as("the padded tail is sent too").isEqualTo(101);
        assertThat(c.isClosed()).isTrue();
        assertThat(pacer.consumerCount()).isZero();
        assertThatThrownBy(() -> c.push(new byte[320])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> c.push(ByteBuffer.allocate(2))).isInstanceOf(IllegalStateException.class);
        assertThat(c.clear()).isZero();
    }

    @Test
    void clearThenCloseStopsImmediately() {
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        c.push(TestPcm.pattern(0, f.bytesPerSecond()));
        PacerDriver.runFor(pacer, ticker, 50);
        long sent = c.framesSent();
        c.close();
        c.clear();
        assertThat(c.isClosed()).isTrue();
        assertThat(pacer.consumerCount()).isZero();
        PacerDriver.runFor(pacer, ticker, 2000);
        assertThat(c.framesSent()).isEqualTo(sent);
        assertThat(sink.totalFrames()).isEqualTo(sent);
    }

    @Test
    void closingAnEmptyConsumerClosesAtOnce() {
        AudioConsumer c = pacer.newConsumer(sink, PcmFormat.MONO_16K);
        assertThat(c.isPushToRtcCompleted()).as("nothing pushed yet").isTrue();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThat(pacer.consumerCount()).isZero();
    }

    @Test
    void aThrowingSinkStopsOnlyItsConsumerAndIsReported() {
        PcmFormat f = PcmFormat.MONO_16K;
        RuntimeException boom = new RuntimeException("native send failed: -5");
        int[] calls = {0};
        PcmSink failing = (data, off, len, fmt) -> {
            if (++calls[0] == 3) {
                throw boom;
            }
        };
        List<Throwable> reported = new ArrayList<>();
        AudioConsumer bad = pacer.newConsumer(failing, f, AudioConsumerConfig.defaults(), new AudioConsumerListener() {
            @Override
            public void sinkFailed(AudioConsumer consumer, Throwable error) {
                reported.add(error);
            }
        });
        AudioConsumer good = pacer.newConsumer(sink, f);
        bad.push(TestPcm.pattern(0, f.bytesPerSecond()));
        good.push(TestPcm.pattern(0, f.bytesPerSecond()));
        PacerDriver.runUntil(pacer, ticker, t0 + 2000 * MS);

        assertThat(calls[0]).isEqualTo(3);
        assertThat(reported).containsExactly(boom);
        assertThat(bad.failure()).isSameAs(boom);
        assertThat(bad.isClosed()).isTrue();
        assertThat(bad.pendingBytes()).isZero();
        assertThatThrownBy(() -> bad.push(new byte[2])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PcmSink failed").hasCause(boom);
        assertThat(good.framesSent()).isEqualTo(100);
        assertThat(pacer.consumerCount()).isEqualTo(1);
    }

    @Test
    void aThrowingListenerDoesNotStopTheConsumer() {
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f, AudioConsumerConfig.defaults(), new AudioConsumerListener() {
            @Override
            public void framesSent(AudioConsumer consumer, int frameCount, long deadlineNanos, long sentNanos) {
                throw new IllegalStateException("listener bug");
            }
        });
        c.push(TestPcm.pattern(0, f.bytesPerSecond()));
        PacerDriver.runFor(pacer, ticker, 2000);
        assertThat(c.framesSent()).isEqualTo(100);
        assertThat(c.failure()).isNull();
    }

    @Test
    void listenerSeesDeadlineAndActualSendTimeForLatenessMeasurement() {
        PcmFormat f = PcmFormat.MONO_16K;
        List<long[]> events = new ArrayList<>(); // frames, deadline, sent
        AudioConsumer c = pacer.newConsumer(sink, f, AudioConsumerConfig.defaults(), new AudioConsumerListener() {
            @Override
            public void framesSent(AudioConsumer consumer, int frameCount, long deadlineNanos, long sentNanos) {
                events.add(new long[] {frameCount, deadlineNanos, sentNanos});
            }
        });
        c.push(TestPcm.pattern(0, (int) f.bytesFor(300)));
        PacerDriver.runUntil(pacer, ticker, t0 + 49 * MS);
        // The pacer wakes 13 ms late once: frames 15 and 16 (due at 50 and 60 ms) go at 63 ms.
        ticker.setNanos(t0 + 63 * MS);
        pacer.runDue();
        PacerDriver.runUntil(pacer, ticker, t0 + 1000 * MS);

        assertThat(events.get(0)).containsExactly(10, t0, t0);
        assertThat(events.get(1)).containsExactly(1, t0, t0);
        long[] late = events.stream().filter(e -> e[2] == t0 + 63 * MS).findFirst().orElseThrow();
        assertThat(late).containsExactly(2, t0 + 50 * MS, t0 + 63 * MS);
        long onTime = events.stream().filter(e -> e[1] == e[2]).count();
        assertThat(onTime).isEqualTo(events.size() - 1);
        assertThat(events.stream().mapToLong(e -> e[0]).sum()).isEqualTo(30);
    }

    @Test
    void aTimelineStartIsRoundedUpToTheAnchorGrid() {
        FakeTicker t = new FakeTicker();
        long start = t.nanoTime();
        AudioPacer p = AudioPacer.builder().ticker(t).anchorGranularity(Duration.ofMillis(1)).buildManual();
        RecordingPcmSink s = new RecordingPcmSink(t);
        AudioConsumer c = p.newConsumer(s, PcmFormat.MONO_16K);
        t.setNanos(start + 300_000); // 0.3 ms past a grid line
        c.push(TestPcm.pattern(0, 320 * 30));
        PacerDriver.runUntil(p, t, start + 1000 * MS);
        List<Long> times = frameTimes(s);
        // Timeline anchored at start + 1 ms: frames 0..9 are due at once, frame k >= 10 at 1 ms + (k-10) * 10 ms.
        for (int k = 0; k < 30; k++) {
            assertThat(times.get(k)).as("frame %d", k).isEqualTo(k < 10 ? start + 300_000 : start + MS + k * F - LEAD);
        }
        assertThat(s.maxAheadNanos()).isLessThanOrEqualTo(LEAD + F);
        p.close();
    }

    @Test
    void manyConsumersOnOnePacerEachKeepExactTiming() {
        int n = 500;
        List<AudioConsumer> consumers = new ArrayList<>();
        List<RecordingPcmSink> sinks = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PcmFormat f = PcmFormat.of(PcmFormat.SUPPORTED_RATES_HZ[i % 6], 1 + i % 2);
            RecordingPcmSink s = new RecordingPcmSink(ticker);
            AudioConsumer c = pacer.newConsumer(s, f);
            // Staggered starts on whole milliseconds so they fall into different phases.
            PacerDriver.runUntil(pacer, ticker, t0 + i * MS);
            starts.add(ticker.nanoTime());
            c.push(TestPcm.pattern(i, f.bytesPerSecond()));
            c.endSegment();
            consumers.add(c);
            sinks.add(s);
        }
        assertThat(pacer.consumerCount()).isEqualTo(n);
        PacerDriver.runUntil(pacer, ticker, t0 + 3000 * MS);
        for (int i = 0; i < n; i++) {
            AudioConsumer c = consumers.get(i);
            RecordingPcmSink s = sinks.get(i);
            assertThat(c.framesSent()).as("consumer %d", i).isEqualTo(100);
            assertThat(s.bytes()).isEqualTo(TestPcm.pattern(i, c.format().bytesPerSecond()));
            List<Long> times = frameTimes(s);
            for (int k = 0; k < 100; k++) {
                assertThat(times.get(k)).isEqualTo(expectedSendTime(starts.get(i), k, LEAD));
            }
            assertThat(s.maxAheadNanos()).isEqualTo(LEAD + F);
            assertThat(c.isPushToRtcCompleted()).isTrue();
        }
    }

    // ---- pause / resume / played frames ----

    @Test
    void pauseTakesBackWhatHasNotPlayedAndResumeContinuesFromTheFirstUnheardFrame() {
        PcmFormat f = PcmFormat.MONO_16K;
        int fb = f.bytesPerFrame();
        AudioConsumer c = pacer.newConsumer(sink, f);
        c.push(TestPcm.pattern(0, f.bytesPerSecond()));
        PacerDriver.runUntil(pacer, ticker, t0 + 300 * MS);
        // 30 frames have played; frames 30..40 are ahead of play-out (the lead).
        assertThat(c.playedFrames()).isEqualTo(30);
        assertThat(c.framesSent()).isEqualTo(41);

        assertThat(c.pause()).as("frames taken back").isEqualTo(11);
        assertThat(c.isPaused()).isTrue();
        assertThat(c.pendingBytes()).isEqualTo((100 - 30) * (long) fb);
        int sendsAtPause = sink.sends().size();
        PacerDriver.runUntil(pacer, ticker, t0 + 1300 * MS);
        assertThat(sink.sends()).as("nothing sent while paused").hasSize(sendsAtPause);
        assertThat(c.playedFrames()).as("nothing heard while paused").isEqualTo(30);
        c.push(TestPcm.pattern(f.bytesPerSecond(), fb * 10)); // accepted while paused, queued behind

        c.resume();
        PacerDriver.runUntil(pacer, ticker, t0 + 3000 * MS);
        byte[] all = sink.bytes();
        // Before the pause: frames 0..40. After: frame 30 again, then on without a gap or a repeat.
        byte[] before = Arrays.copyOfRange(all, 0, 41 * fb);
        byte[] after = Arrays.copyOfRange(all, 41 * fb, all.length);
        assertThat(before).isEqualTo(TestPcm.pattern(0, 41 * fb));
        assertThat(after).isEqualTo(TestPcm.pattern(30L * fb, 80 * fb));
        assertThat(c.playedFrames()).isEqualTo(110);
        assertThat(c.underruns()).as("a pause is not an underrun").isZero();
    }

    @Test
    void clearWhilePausedDropsEverythingAndUnpauses() {
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        c.push(TestPcm.pattern(0, f.bytesPerSecond()));
        PacerDriver.runUntil(pacer, ticker, t0 + 200 * MS);
        c.pause();
        assertThat(c.clear()).isEqualTo((100 - 20) * (long) f.bytesPerFrame());
        assertThat(c.isPaused()).isFalse();
        assertThat(c.playedFrames()).isEqualTo(20);
        c.push(TestPcm.pattern(0, f.bytesPerFrame() * 5));
        PacerDriver.runUntil(pacer, ticker, t0 + 1000 * MS);
        assertThat(c.playedFrames()).isEqualTo(25);
    }

    @Test
    void playedFramesCountsEveryTimelineAndOnlyWhatPlayedBeforeAClear() {
        PcmFormat f = PcmFormat.MONO_16K;
        AudioConsumer c = pacer.newConsumer(sink, f);
        c.push(TestPcm.pattern(0, f.bytesPerFrame() * 20)); // 200 ms
        c.endSegment();
        PacerDriver.runUntil(pacer, ticker, t0 + 500 * MS);
        assertThat(c.playedFrames()).isEqualTo(20);
        c.push(TestPcm.pattern(0, f.bytesPerSecond())); // a new timeline
        PacerDriver.runUntil(pacer, ticker, t0 + 650 * MS);
        assertThat(c.playedFrames()).isEqualTo(35);
        c.clear(); // the 10 frames sent ahead of play-out are dropped unheard
        PacerDriver.runUntil(pacer, ticker, t0 + 2000 * MS);
        assertThat(c.playedFrames()).isEqualTo(35);
        assertThat(c.pause()).as("nothing to take back when idle").isZero();
        c.resume();
    }
}
