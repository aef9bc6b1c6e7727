package io.voiceagent.core.vad;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmAudio;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.vad.VadTestSupport.Segment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Results are in audio time: a frame's probability is that of the model window containing it, and
 * segment boundaries are not late by the window/frame misalignment.
 */
class VadAudioTimeTest {
    private static final int WINDOW = 512;

    /**
     * A fake model: probability 1 for a window whose new samples contain any non-zero sample, else 0.
     * Stateless, so thread-safe and usable by a batcher.
     */
    static final class MarkerModel implements VoiceProbabilityModel {
        @Override
        public int windowSamples() {
            return WINDOW;
        }

        @Override
        public int contextSamples() {
            return 64;
        }

        @Override
        public int stateSize() {
            return 1;
        }

        @Override
        public void score(int count, float[][] inputs, float[][] states, float[] probabilities) {
            for (int i = 0; i < count; i++) {
                float p = 0;
                for (int k = contextSamples(); k < inputs[i].length; k++) {
                    if (inputs[i][k] != 0) {
                        p = 1;
                        break;
                    }
                }
                probabilities[i] = p;
            }
        }
    }

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

    @Test
    void eachFrameTakesTheProbabilityOfTheWindowThatContainsIt() {
        // Window 3 = samples [1536, 2048). Frames 9..11 end inside it. Frame 9 (1440..1599) straddles
        // windows 2 and 3 with most of its samples in 2: it takes the later window, 3. Frame 12
        // (1920..2079) has most samples in window 3 but its last in 4: it takes window 4.
        List<VadResult> r = new ArrayList<>();
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).model(new MarkerModel())
                .listener(r::add).build()) {
            d.process(marked(16 * 320 / 2, 3 * WINDOW, 4 * WINDOW));
            d.flush();
        }
        assertThat(r).hasSize(16);
        List<Integer> voiced = new ArrayList<>();
        for (VadResult x : r) {
            assertThat(x.voiceProb()).isIn(0, 100);
            if (x.voiceProb() == 100) {
                voiced.add((int) x.frameIndex());
            }
        }
        // The arrival-time mapping gave frames 12..14 (the first frames ending after window 3 completed).
        assertThat(voiced).containsExactly(9, 10, 11);
    }

    @ParameterizedTest(name = "batched={0}")
    @ValueSource(booleans = {false, true})
    void everyFrameIsScoredByItsOwnWindowAndDecidedWithinOneWindow(boolean batched) throws Exception {
        // One marked window at a time, each alone in a clip of 5 s: every frame ending inside it,
        // and no other, reads 100.
        int samples = 80_000;
        for (int w = 0; w < 10; w++) {
            byte[] pcm = marked(samples, w * WINDOW, (w + 1) * WINDOW);
            List<VadResult> r = Collections.synchronizedList(new ArrayList<>());
            List<Long> fedAt = new ArrayList<>();
            int frames = samples / 160;
            CountDownLatch all = new CountDownLatch(frames);
            try (VadBatcher batcher = batched ? new VadBatcher(new MarkerModel(), 1, 8, Duration.ZERO) : null) {
                VadDetector.Builder b = VadDetector.builder(PcmFormat.MONO_16K).listener(x -> {
                    r.add(x);
                    all.countDown();
                });
                if (batched) {
                    b.batcher(batcher);
                } else {
                    b.model(new MarkerModel());
                }
                try (VadDetector d = b.build()) {
                    feed(d, pcm, fedAt, r);
                    assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
                    for (VadResult x : r) {
                        long first = 160 * x.frameIndex();
                        long last = first + 159;
                        boolean ownWindowMarked = last / WINDOW == w;
                        assertThat(x.voiceProb()).as("window %d, frame %d", w, x.frameIndex())
                                .isEqualTo(ownWindowMarked ? 100 : 0);
                        long decided = d.decisionTimeMs(x.frameIndex());
                        long frameEnd = 10 * x.frameIndex() + 10;
                        assertThat(decided).isBetween(frameEnd, frameEnd + 31);
                        assertThat(decided % 10).isZero();
                    }
                    if (!batched) {
                        // Direct mode: each result comes with the frame that completes its window,
                        // except the tail that only the flush decides.
                        for (int i = 0; i < fedAt.size(); i++) {
                            assertThat(fedAt.get(i) * 10).as("frame %d delivered", i)
                                    .isEqualTo(d.decisionTimeMs(i));
                        }
                        assertThat(fedAt).hasSizeGreaterThan(frames - 4);
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
                .activePercent(1).startRmsThreshold(-100).stopRmsThreshold(-100).build();
        int onset = 31 * WINDOW;
        List<VadResult> r = new ArrayList<>();
        try (VadDetector d = VadDetector.builder(PcmFormat.MONO_16K).config(quick).model(new MarkerModel())
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

    @ParameterizedTest
    @ValueSource(strings = {"espeak_gaps_16k_1ch", "real_gaps_16k_1ch"})
    void labelledSpeechStartsAreReportedWithinOneWindow(String name) throws Exception {
        PcmAudio audio = VadTestSupport.fixture(name + ".pcm");
        List<long[]> labels = VadTestSupport.labels(name + ".labels");
        List<Segment> segs = VadTestSupport.segments(VadTestSupport.run(audio, VadV2Config.DEFAULT));
        assertThat(segs).hasSameSizeAs(labels);
        for (int i = 0; i < labels.size(); i++) {
            // The arrival-time mapping was 27-60 ms late here (one more window).
            assertThat(segs.get(i).startMs() - labels.get(i)[0]).as("start error of segment %d, ms", i)
                    .isBetween(-(long) WINDOW / 16, (long) WINDOW / 16);
        }
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
