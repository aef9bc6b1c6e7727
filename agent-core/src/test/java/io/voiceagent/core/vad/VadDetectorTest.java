package io.voiceagent.core.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmAudio;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.audio.Resampler;
import io.voiceagent.core.audio.Loudness;
import io.voiceagent.core.vad.VadTestSupport.Segment;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VadDetectorTest {

    @ParameterizedTest
    @ValueSource(strings = {"espeak_gaps_16k_1ch", "real_gaps_16k_1ch"})
    void segmentsMatchLabels(String name) throws Exception {
        PcmAudio audio = VadTestSupport.fixture(name + ".pcm");
        List<long[]> labels = VadTestSupport.labels(name + ".labels");
        List<Segment> segs = VadTestSupport.segments(VadTestSupport.run(audio, VadV2Config.DEFAULT));
        assertThat(segs).as("segments of %s", name).hasSameSizeAs(labels);
        long endTolerance = VadV2Config.DEFAULT.stopRecognizeCount() * 10L + 150;
        for (int i = 0; i < labels.size(); i++) {
            assertThat(segs.get(i).startMs()).as("start of segment %d", i).isCloseTo(labels.get(i)[0],
                    org.assertj.core.data.Offset.offset(150L));
            assertThat(segs.get(i).endMs()).as("end of segment %d", i).isCloseTo(labels.get(i)[1],
                    org.assertj.core.data.Offset.offset(endTolerance));
        }
    }

    @Test
    void noSegmentOnSilenceNoiseOrTone() {
        byte[] silence = new byte[16000 * 2 * 5];
        byte[] noise = VadTestSupport.whiteNoise(-40, 5000, 42);
        byte[] tone = VadTestSupport.tone(16000, 1000, -6, 5000);
        assertThat(Loudness.rmsDbfs(noise, 0, noise.length)).isBetween(-40.5, -39.5);
        for (byte[] clip : List.of(silence, noise, tone)) {
            List<VadResult> r = VadTestSupport.run(new PcmAudio(PcmFormat.MONO_16K, clip), VadV2Config.DEFAULT);
            assertThat(r).hasSize(500);
            assertThat(r).allMatch(x -> x.state() == VadState.NONE);
        }
    }

    @Test
    void resampled48kStereoGivesTheSameSegmentsWithinOneFrame() throws Exception {
        // Recorded speech: espeak-ng's synthetic pauses sit right at the stop threshold, where the
        // filter's 1 ms delay alone moves Silero's probabilities across it.
        PcmAudio a16 = VadTestSupport.fixture("real_gaps_16k_1ch.pcm");
        // Upsample to 48 kHz with the same resampler class, then duplicate into stereo.
        float[] in = new float[a16.data().length / 2];
        Loudness.toMonoFloat(a16.data(), 0, in.length, 1, in, 0);
        Resampler up = new Resampler(16000, 48000);
        float[] out = new float[up.maxOutput(in.length)];
        int n = up.process(in, 0, in.length, out, 0);
        assertThat(n).isEqualTo(in.length * 3);
        byte[] mono48 = Loudness.toPcm16(out, 0, n);
        byte[] stereo = new byte[mono48.length * 2];
        for (int i = 0; i < n; i++) {
            stereo[4 * i] = mono48[2 * i];
            stereo[4 * i + 1] = mono48[2 * i + 1];
            stereo[4 * i + 2] = mono48[2 * i];
            stereo[4 * i + 3] = mono48[2 * i + 1];
        }
        PcmAudio a48 = new PcmAudio(PcmFormat.STEREO_48K, stereo);
        List<Segment> s16 = VadTestSupport.segments(VadTestSupport.run(a16, VadV2Config.DEFAULT));
        List<VadResult> r48 = VadTestSupport.run(a48, VadV2Config.DEFAULT);
        List<Segment> s48 = VadTestSupport.segments(r48);
        assertThat(s48).hasSameSizeAs(s16).hasSize(3);
        for (int i = 0; i < s16.size(); i++) {
            assertThat(Math.abs(s48.get(i).startMs() - s16.get(i).startMs())).isLessThanOrEqualTo(10);
            assertThat(Math.abs(s48.get(i).endMs() - s16.get(i).endMs())).isLessThanOrEqualTo(10);
            assertThat(Math.abs(s48.get(i).stopFrameEndMs() - s16.get(i).stopFrameEndMs())).isLessThanOrEqualTo(10);
        }
        // Audio is returned in the input format: a START carries whole 48 kHz stereo frames.
        VadResult start = r48.stream().filter(x -> x.state() == VadState.START_SPEAKING).findFirst().orElseThrow();
        assertThat(start.audio().length % PcmFormat.STEREO_48K.bytesPerFrame()).isZero();
        assertThat(start.audio().length / PcmFormat.STEREO_48K.bytesPerFrame()).isEqualTo(46);
    }

    @Test
    void oddChunkSizesAreBufferedNotDropped() throws Exception {
        PcmAudio audio = VadTestSupport.fixture("real_gaps_16k_1ch.pcm");
        List<VadResult> whole = VadTestSupport.run(audio, VadV2Config.DEFAULT);
        List<VadResult> chunked = new ArrayList<>();
        byte[] data = audio.data();
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).listener(chunked::add).build()) {
            int[] sizes = {1, 7, 333, 320, 4097, 2};
            int pos = 0;
            for (int i = 0; pos < data.length; i++) {
                int len = Math.min(sizes[i % sizes.length], data.length - pos);
                d.process(data, pos, len);
                pos += len;
            }
            d.flush();
        }
        assertThat(chunked).hasSameSizeAs(whole).hasSize(data.length / 320);
        for (int i = 0; i < whole.size(); i++) {
            assertThat(chunked.get(i).state()).isEqualTo(whole.get(i).state());
            assertThat(chunked.get(i).voiceProb()).isEqualTo(whole.get(i).voiceProb());
            assertThat(chunked.get(i).audio()).isEqualTo(whole.get(i).audio());
        }
        // Every input byte of each segment comes back exactly once, in order.
        ByteArrayOutputStream emitted = new ByteArrayOutputStream();
        chunked.forEach(r -> emitted.writeBytes(r.audio()));
        long speechFrames = chunked.stream().filter(r -> r.state() != VadState.NONE).count();
        assertThat(emitted.size()).isGreaterThan((int) speechFrames * 320);
    }

    @Test
    void acceptsAudioFramesAndRejectsOtherFormats() {
        List<VadResult> r = new ArrayList<>();
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).listener(r::add).build()) {
            d.process(new AudioFrame(PcmFormat.MONO_16K, new byte[320], 0));
            assertThat(r).as("frame 0 waits for the window that covers it").isEmpty();
            assertThat(d.pendingFrames()).isEqualTo(1);
            d.flush();
            assertThat(r).hasSize(1);
            assertThat(d.pendingFrames()).isZero();
            assertThatThrownBy(() -> d.process(new AudioFrame(PcmFormat.MONO_48K, new byte[960], 0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("48000 Hz mono");
            d.close();
            assertThatThrownBy(() -> d.process(new byte[320])).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void batchedModeGivesIdenticalResultsToDirectMode() throws Exception {
        List<PcmAudio> clips = List.of(VadTestSupport.fixture("espeak_gaps_16k_1ch.pcm"),
                VadTestSupport.fixture("real_gaps_16k_1ch.pcm"), VadTestSupport.fixture("hello_16k_1ch.pcm"));
        int streams = 6;
        // Each clip runs twice, with two different look-aheads: every (clip, look-ahead) pair differs.
        List<VadV2Config> configs = new ArrayList<>();
        List<List<VadResult>> direct = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            configs.add(VadV2Config.builder().lookaheadWindows((s + s / 3) % 3).build());
            direct.add(VadTestSupport.run(clips.get(s % 3), configs.get(s)));
        }
        try (VadBatcher batcher = new VadBatcher(SileroVad.shared(), 2, 64, Duration.ofMillis(1))) {
            List<List<VadResult>> got = new ArrayList<>();
            List<VadDetector> ds = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(streams);
            for (int s = 0; s < streams; s++) {
                List<VadResult> out = Collections.synchronizedList(new ArrayList<>());
                got.add(out);
                int expected = clips.get(s % 3).data().length / 320;
                ds.add(VadDetector.builder(PcmFormat.MONO_16K).config(configs.get(s)).batcher(batcher).listener(r -> {
                    out.add(r);
                    if (out.size() == expected) {
                        done.countDown();
                    }
                }).build());
            }
            // Interleave the streams frame by frame, as a connection would.
            int maxLen = clips.stream().mapToInt(c -> c.data().length).max().orElseThrow();
            for (int pos = 0; pos < maxLen; pos += 320) {
                for (int s = 0; s < streams; s++) {
                    byte[] d = clips.get(s % 3).data();
                    if (pos < d.length) {
                        ds.get(s).process(d, pos, Math.min(320, d.length - pos));
                    }
                }
            }
            ds.forEach(VadDetector::flush);
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            for (int s = 0; s < streams; s++) {
                List<VadResult> want = direct.get(s);
                List<VadResult> have = got.get(s);
                assertThat(have).hasSameSizeAs(want);
                for (int i = 0; i < want.size(); i++) {
                    assertThat(have.get(i).frameIndex()).isEqualTo(i);
                    assertThat(have.get(i).voiceProb()).as("stream %d frame %d", s, i).isEqualTo(want.get(i).voiceProb());
                    assertThat(have.get(i).state()).isEqualTo(want.get(i).state());
                }
            }
            assertThat(batcher.batchCount()).isLessThan(batcher.scoredWindows());
            ds.forEach(VadDetector::close);
        }
    }

    @Test
    void energyGatingSkipsDigitalSilenceWithoutChangingSegments() throws Exception {
        PcmAudio audio = VadTestSupport.fixture("espeak_gaps_16k_1ch.pcm");
        List<Segment> plain = VadTestSupport.segments(VadTestSupport.run(audio, VadV2Config.DEFAULT));
        CountingModel counting = new CountingModel(SileroVad.shared());
        List<VadResult> gated = new ArrayList<>();
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).model(counting).energyGating(true)
                .listener(gated::add).build()) {
            d.process(audio.data());
            d.flush();
        }
        int windows = audio.data().length / 2 / 512;
        assertThat(counting.scored).isLessThan(windows * 3 / 4); // >= 25 % of this file is long silence
        assertThat(VadTestSupport.segments(gated)).isEqualTo(plain);
    }

    @Test
    void dumpWritesSourceSegmentsAndLabels(@TempDir Path tmp) throws Exception {
        PcmAudio audio = VadTestSupport.fixture("espeak_gaps_16k_1ch.pcm");
        VadDump dump = new VadDump(tmp);
        List<VadResult> r = new ArrayList<>();
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).dump(dump).listener(r::add).build()) {
            d.process(audio.data());
            d.flush();
        }
        Path dir = dump.directory();
        assertThat(dir.getParent()).isEqualTo(tmp);
        assertThat(dir.getFileName().toString()).matches("\\d{14}(-\\d+)?");
        int whole = audio.data().length - audio.data().length % 320; // a partial last frame stays buffered
        assertThat(Files.readAllBytes(dir.resolve("source.pcm"))).isEqualTo(java.util.Arrays.copyOf(audio.data(), whole));
        assertThat(Files.readAllLines(dir.resolve("label.txt"))).hasSize(r.size());
        assertThat(Files.readAllLines(dir.resolve("frames.csv"))).hasSize(r.size() + 2);
        assertThat(dump.segmentCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            ByteArrayOutputStream seg = new ByteArrayOutputStream();
            int n = -1;
            for (VadResult x : r) {
                if (x.state() == VadState.START_SPEAKING) {
                    n++;
                }
                if (n == i && x.state() != VadState.NONE) {
                    seg.writeBytes(x.audio());
                }
                if (n == i && x.state() == VadState.STOP_SPEAKING) {
                    break;
                }
            }
            byte[] file = Files.readAllBytes(dir.resolve("vad_" + i + ".pcm"));
            assertThat(file.length).as("segment %d length", i).isEqualTo(seg.size());
            assertThat(file).isEqualTo(seg.toByteArray());
        }
    }

    @Test
    void segmentListenerPairsStartAndEndWithTheWholeSegment() throws Exception {
        PcmAudio audio = VadTestSupport.fixture("real_gaps_16k_1ch.pcm");
        List<String> events = new ArrayList<>();
        List<byte[]> segments = new ArrayList<>();
        SpeechSegmentListener l = new SpeechSegmentListener() {
            @Override
            public void speechStarted(VadResult start) {
                events.add("start");
            }

            @Override
            public void speechEnded(byte[] a, long s, long e) {
                events.add("end");
                segments.add(a);
                assertThat(e).isGreaterThan(s);
            }
        };
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).listener(l.asVadListener()).build()) {
            d.process(audio.data());
        }
        assertThat(events).containsExactly("start", "end", "start", "end", "start", "end");
        assertThat(segments.get(0).length % 320).isZero();
        assertThat(segments.get(0).length).isGreaterThan(46 * 320);
    }

    /** Counts the windows actually scored. */
    private static final class CountingModel implements VoiceProbabilityModel {
        private final VoiceProbabilityModel delegate;
        int scored;

        CountingModel(VoiceProbabilityModel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int windowSamples() {
            return delegate.windowSamples();
        }

        @Override
        public int contextSamples() {
            return delegate.contextSamples();
        }

        @Override
        public int stateSize() {
            return delegate.stateSize();
        }

        @Override
        public void score(int count, float[][] inputs, float[][] states, float[] probabilities) {
            scored += count;
            delegate.score(count, inputs, states, probabilities);
        }
    }
}
