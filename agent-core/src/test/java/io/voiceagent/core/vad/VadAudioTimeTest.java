package io.voiceagent.core.vad;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmAudio;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.testing.LoudnessModel;
import io.voiceagent.core.vad.VadTestSupport.Segment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Results are in audio time: a frame's probability is that of the model window containing it, and
 * segment boundaries are not late by the window/frame misalignment.
 */
class VadAudioTimeTest {
    private static final int WINDOW = 512;


    /** Mono 16 kHz PCM16 of {@code samples} zeros with value 1000 on [from, to). */
    static byte[] marked(int samples, int from, int to) {
        byte[] pcm = new byte[2 * samples];
        for (int i = from; i < to; i++) {
            pcm[2 * i] = (byte) 1000;
            pcm[2 * i + 1] = (byte) (1000 >> 8);
        }
        return pcm;
    }

    /** Feeds {@code pcm} frame by frame, then flushes; records when each result arrived. */
    private static List<VadResult> feed(VadDetector d, byte[] pcm, List<Long> framesFedAtDelivery,
            List<VadResult> sink) {
        for (int pos = 0; pos < pcm.length; pos += 320) {
            d.process(pcm, pos, 320);
            while (framesFedAtDelivery.size() < sink.size()) {
                framesFedAtDelivery.add((long) pos / 320 + 1);
            }
        }
        d.flush();
        return sink;
    }

    @ParameterizedTest(name = "lookahead={0}")
    @CsvSource({"0, 9 10 11", "1, 6 7 8"})
    void aFrameReadsItsOwnWindowOrWithLookaheadTheOneAfter(int lookahead, String expected) {
        // Window 3 = samples [1536, 2048) marked. Look-ahead 0: frames 9..11 end inside it. Frame 9
        // (1440..1599) straddles windows 2 and 3 with most of its samples in 2: it takes the later
        // window, 3. Frame 12 (1920..2079) has most samples in window 3 but its last in 4: it takes 4.
        // (The arrival-time mapping gave frames 12..14, the first frames ending after window 3.)
        // Look-ahead 1: the frames whose own window is 2 read window 3.
        List<VadResult> r = runMarked(VadV2Config.builder().lookaheadWindows(lookahead).build(), 3);
        List<Integer> voiced = new ArrayList<>();
        for (VadResult x : r) {
            assertThat(x.voiceProb()).isIn(0, 100);
            if (x.voiceProb() == 100) {
                voiced.add((int) x.frameIndex());
            }
        }
        assertThat(voiced).containsExactly(Arrays.stream(expected.split(" ")).map(Integer::valueOf)
                .toArray(Integer[]::new));
    }

    @Test
    void withTwoWindowsOfLookaheadTheShiftedProbabilityIsInterpolatedBetweenWindowCentres() {
        // Window 3's probability (1) is placed at the centre of window 2 (sample 1280), windows 2
        // and 4 (0) at the centres of windows 1 and 3 (768, 1792). Frame f is read at its midpoint
        // 160f + 80: frame 7 (1200) = 1 - 80/512, frame 5 (880) = (880 - 768)/512, and so on.
        List<VadResult> r = runMarked(VadV2Config.builder().lookaheadWindows(2).build(), 3);
        assertThat(r).extracting(VadResult::voiceProb)
                .containsExactly(0, 0, 0, 0, 0, 22, 53, 84, 84, 53, 22, 0, 0, 0, 0, 0);
    }

    /** 16 frames (5 windows) with window {@code w} marked, through a direct detector, flushed. */
    private static List<VadResult> runMarked(VadV2Config config, int w) {
        List<VadResult> r = new ArrayList<>();
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).config(config).model(LoudnessModel.anySound())
                .listener(r::add).build()) {
            d.process(marked(16 * 320 / 2, w * WINDOW, (w + 1) * WINDOW));
            d.flush();
        }
        assertThat(r).hasSize(16);
        return r;
    }

    @ParameterizedTest(name = "lookahead={0}, batched={1}")
    @CsvSource({"0, false", "0, true", "1, false", "1, true", "2, false", "2, true"})
    void everyFrameReadsTheWindowsOfItsRuleAndIsDecidedWhenTheyAreComplete(int lookahead, boolean batched)
            throws Exception {
        // One marked window at a time, each alone in a clip of 5 s: with look-ahead 0 every frame
        // ending inside it, and no other, reads 100; with 1 the frames ending in the window before.
        VadV2Config config = VadV2Config.builder().lookaheadWindows(lookahead).build();
        int samples = 80_000;
        for (int w = 0; w < 10; w++) {
            byte[] pcm = marked(samples, w * WINDOW, (w + 1) * WINDOW);
            List<VadResult> r = Collections.synchronizedList(new ArrayList<>());
            List<Long> fedAt = new ArrayList<>();
            int frames = samples / 160;
            CountDownLatch all = new CountDownLatch(frames);
            try (VadBatcher batcher = batched ? new VadBatcher(LoudnessModel.anySound(), 1, 8, Duration.ZERO) : null) {
                VadDetector.Builder b = VadDetector.builder(PcmFormat.MONO_16K).config(config).listener(x -> {
                    r.add(x);
                    all.countDown();
                });
                if (batched) {
                    b.batcher(batcher);
                } else {
                    b.model(LoudnessModel.anySound());
                }
                try (VadDetector d = b.build()) {
                    feed(d, pcm, fedAt, r);
                    assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
                    long previousDecision = 0;
                    for (VadResult x : r) {
                        long last = 160 * x.frameIndex() + 159;
                        long readWindow = last / WINDOW + lookahead;
                        if (lookahead < 2) {
                            assertThat(x.voiceProb()).as("window %d, frame %d", w, x.frameIndex())
                                    .isEqualTo(readWindow == w ? 100 : 0);
                        } else if (x.voiceProb() > 0) {
                            // Interpolated: only frames within a window of window w-1's centre.
                            assertThat(Math.abs(160 * x.frameIndex() + 80 - (WINDOW * (w - 1) + WINDOW / 2)))
                                    .as("frame %d", x.frameIndex()).isLessThan(WINDOW);
                        }
                        long decided = d.decisionTimeMs(x.frameIndex());
                        long frameEnd = 10 * x.frameIndex() + 10;
                        // The covering window completes < 32 ms after the frame, each look-ahead
                        // window 32 ms later; rounded up to the 10 ms frame that completes it.
                        assertThat(decided).isBetween(frameEnd, frameEnd + new long[] {30, 70, 80}[lookahead]);
                        assertThat(decided % 10).isZero();
                        assertThat(decided).isGreaterThanOrEqualTo(previousDecision);
                        previousDecision = decided;
                    }
                    if (lookahead == 2) {
                        assertThat(r).filteredOn(x -> x.voiceProb() > 0).isNotEmpty();
                    }
                    if (!batched) {
                        // Direct mode: each result comes with the frame that completes its window,
                        // except the tail that only the flush decides.
                        for (int i = 0; i < fedAt.size(); i++) {
                            assertThat(fedAt.get(i) * 10).as("frame %d delivered", i)
                                    .isEqualTo(d.decisionTimeMs(i));
                        }
                        assertThat(fedAt).hasSizeGreaterThan(frames - 4 * (1 + lookahead));
                    }
                }
            }
            assertThat(r).extracting(VadResult::frameIndex).isSorted().hasSize(frames);
        }
    }

    @Test
    void aSyntheticOnsetIsReportedAtItsAudioTimeNotAWindowLate() {
        // Silence, then "speech" (the marker model's 1.0) from 992 ms = the start of window 31.
        // A start window of 3 frames that must all be active: the start is the first voiced frame.
        VadV2Config quick = VadV2Config.builder().preStartRecognizeCount(0).startRecognizeCount(3)
                .activePercent(1).startRmsThreshold(-100).stopRmsThreshold(-100).lookaheadWindows(0).build();
        int onset = 31 * WINDOW;
        List<VadResult> r = new ArrayList<>();
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).config(quick).model(LoudnessModel.anySound())
                .listener(r::add).build()) {
            d.process(marked(48_000, onset, 48_000));
            d.flush();
        }
        List<Segment> segs = VadTestSupport.segments(r);
        assertThat(segs).hasSize(1);
        long onsetMs = onset / 16;
        // The frame 990-1000 ms ends inside window 31: it is the first voiced frame. The
        // arrival-time mapping reported 1020 ms (the first frame ending after window 31 completed).
        assertThat(segs.get(0).startMs()).isEqualTo(990);
        assertThat(segs.get(0).startMs()).isBetween(onsetMs - 32, onsetMs);
    }

    @ParameterizedTest(name = "{0}, lookahead={1}")
    @CsvSource({"espeak_gaps_16k_1ch, 0", "real_gaps_16k_1ch, 0", "espeak_gaps_16k_1ch, 1", "real_gaps_16k_1ch, 1",
        "espeak_gaps_16k_1ch, 2", "real_gaps_16k_1ch, 2"})
    void labelledSpeechStartsAreReportedWithinOneWindow(String name, int lookahead) throws Exception {
        PcmAudio audio = VadTestSupport.fixture(name + ".pcm");
        List<long[]> labels = VadTestSupport.labels(name + ".labels");
        List<Segment> segs = VadTestSupport.segments(VadTestSupport.run(audio,
                VadV2Config.builder().lookaheadWindows(lookahead).build()));
        assertThat(segs).hasSameSizeAs(labels);
        for (int i = 0; i < labels.size(); i++) {
            // The arrival-time mapping was 27-60 ms late here (one more window).
            assertThat(segs.get(i).startMs() - labels.get(i)[0]).as("start error of segment %d, ms", i)
                    .isBetween(-(long) WINDOW / 16, (long) WINDOW / 16);
        }
    }

    @Test
    void onRealSpeechLookaheadOneReadsTheNextWindowAndMovesStartsEarlier() throws Exception {
        PcmAudio audio = VadTestSupport.fixture("real_gaps_16k_1ch.pcm");
        List<VadResult> own = VadTestSupport.run(audio, VadV2Config.builder().lookaheadWindows(0).build());
        List<VadResult> next = VadTestSupport.run(audio, VadV2Config.builder().lookaheadWindows(1).build());
        assertThat(next).hasSameSizeAs(own);
        // Without look-ahead every frame carries its own window's probability: one value per window.
        java.util.Map<Long, Integer> byWindow = new java.util.HashMap<>();
        for (VadResult r : own) {
            Integer prev = byWindow.putIfAbsent((160 * r.frameIndex() + 159) / WINDOW, r.voiceProb());
            assertThat(prev == null || prev == r.voiceProb()).isTrue();
        }
        long lastWindow = (160L * own.size() - 1) / WINDOW;
        int checked = 0;
        for (VadResult r : next) {
            long ownWindow = (160 * r.frameIndex() + 159) / WINDOW;
            if (ownWindow + 1 < lastWindow) {
                assertThat(r.voiceProb()).as("frame %d", r.frameIndex()).isEqualTo(byWindow.get(ownWindow + 1));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(own.size() - 10);
        List<Segment> a = VadTestSupport.segments(own);
        List<Segment> b = VadTestSupport.segments(next);
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).startMs()).as("start %d", i).isLessThanOrEqualTo(a.get(i).startMs());
        }
        assertThat(b.stream().mapToLong(Segment::startMs).sum()).isLessThan(a.stream().mapToLong(Segment::startMs).sum());
    }

    @Test
    void energyGatingGivesTheSameResultsDirectAndBatched() throws Exception {
        PcmAudio audio = VadTestSupport.fixture("espeak_gaps_16k_1ch.pcm"); // long digital silences
        List<VadResult> direct = new ArrayList<>();
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).energyGating(true).listener(direct::add)
                .build()) {
            d.process(audio.data());
            d.flush();
        }
        int frames = audio.data().length / 320;
        List<VadResult> batched = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch all = new CountDownLatch(frames);
        try (VadBatcher batcher = new VadBatcher(SileroVad.shared(), 1, 16, Duration.ofMillis(1));
             VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).energyGating(true).batcher(batcher)
                     .listener(x -> {
                         batched.add(x);
                         all.countDown();
                     }).build()) {
            for (int pos = 0; pos < audio.data().length; pos += 320) {
                d.process(audio.data(), pos, Math.min(320, audio.data().length - pos));
            }
            d.flush();
            assertThat(all.await(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(direct).hasSize(frames);
        assertThat(batched).hasSize(frames);
        for (int i = 0; i < frames; i++) {
            assertThat(batched.get(i).voiceProb()).as("frame %d", i).isEqualTo(direct.get(i).voiceProb());
            assertThat(batched.get(i).state()).isEqualTo(direct.get(i).state());
        }
        assertThat(direct.stream().filter(x -> x.state() == VadState.START_SPEAKING)).hasSize(3);
    }
}
