package io.voiceagent.core.vad;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.Loudness;
import io.voiceagent.core.audio.PcmAudio;
import org.junit.jupiter.api.Test;

class SileroVadTest {
    /** Scores a clip window by window with context and carried state; returns the max probability. */
    private static float maxProbability(SileroVad vad, PcmAudio audio, boolean withContext) {
        float[] s = new float[audio.data().length / 2];
        Loudness.toMonoFloat(audio.data(), 0, s.length, 1, s, 0);
        float[][] in = {new float[576]};
        float[][] st = {new float[256]};
        float[] p = new float[1];
        float max = 0;
        for (int off = 0; off + 512 <= s.length; off += 512) {
            if (withContext) {
                System.arraycopy(in[0], 512, in[0], 0, 64);
            }
            System.arraycopy(s, off, in[0], 64, 512);
            vad.score(1, in, st, p);
            max = Math.max(max, p[0]);
        }
        return max;
    }

    @Test
    void bothShippedModelsDetectSpeechWithContext() throws Exception {
        PcmAudio hello = VadTestSupport.fixture("hello_16k_1ch.pcm");
        assertThat(maxProbability(SileroVad.shared(SileroModel.V6_2), hello, true)).isGreaterThan(0.9f);
        try (SileroVad v5 = SileroVad.load(SileroModel.V5)) {
            assertThat(v5.model()).isEqualTo(SileroModel.V5);
            assertThat(maxProbability(v5, hello, true)).isGreaterThan(0.9f);
        }
        assertThat(SileroModel.parse("v5")).isEqualTo(SileroModel.V5);
        assertThat(SileroModel.parse("6.2")).isEqualTo(SileroModel.V6_2);
    }

    @Test
    void batchedScoresAreIdenticalToSingleScores() throws Exception {
        PcmAudio a = VadTestSupport.fixture("real_gaps_16k_1ch.pcm");
        float[] s = new float[a.data().length / 2];
        Loudness.toMonoFloat(a.data(), 0, s.length, 1, s, 0);
        SileroVad vad = SileroVad.shared();
        int streams = 5;
        float[][] inB = new float[streams][576];
        float[][] stB = new float[streams][256];
        float[][] in1 = new float[streams][576];
        float[][] st1 = new float[streams][256];
        float[] pB = new float[streams];
        float[] p1 = new float[1];
        for (int w = 0; w < 100; w++) {
            for (int k = 0; k < streams; k++) {
                int off = (w * 512 + k * 4801) % (s.length - 512);
                System.arraycopy(s, off, inB[k], 64, 512);
                System.arraycopy(s, off, in1[k], 64, 512);
            }
            vad.score(streams, inB, stB, pB);
            for (int k = 0; k < streams; k++) {
                vad.score(1, new float[][] {in1[k]}, new float[][] {st1[k]}, p1);
                assertThat(pB[k]).isEqualTo(p1[0]);
                assertThat(stB[k]).containsExactly(st1[k]);
            }
        }
    }
}
