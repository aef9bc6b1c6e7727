package io.voiceagent.core.vad;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.Loudness;
import io.voiceagent.core.audio.Resampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResamplerTest {
    private static float[] sine(int rate, double hz, int n) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 24000, 32000, 44100, 48000})
    void tenMsInGivesTenMsOutAndKeepsAPassbandTone(int rate) {
        Resampler r = new Resampler(rate, 16000);
        float[] in = sine(rate, 1000, rate); // 1 s
        float[] out = new float[16000];
        int total = 0;
        float[] buf = new float[r.maxOutput(rate / 100)];
        for (int f = 0; f < 100; f++) {
            int n = r.process(in, f * rate / 100, rate / 100, buf, 0);
            assertThat(n).isEqualTo(160);
            System.arraycopy(buf, 0, out, total, n);
            total += n;
        }
        // Compare with the ideal 16 kHz tone delayed by the filter's delay (skip the warm-up).
        double delay = (double) r.delaySamples() / rate;
        double err = 0;
        for (int i = 1000; i < 16000; i++) {
            double ideal = 0.5 * Math.sin(2 * Math.PI * 1000 * (i / 16000.0 - delay));
            err = Math.max(err, Math.abs(out[i] - ideal));
        }
        assertThat(err).isLessThan(0.02);
    }

    @Test
    void downsamplingRejectsToneAboveTheNewNyquist() {
        Resampler r = new Resampler(48000, 16000);
        float[] in = sine(48000, 12000, 48000); // 12 kHz cannot exist at 16 kHz
        float[] out = new float[r.maxOutput(in.length)];
        int n = r.process(in, 0, in.length, out, 0);
        assertThat(n).isEqualTo(16000);
        assertThat(Loudness.rmsDbfs(out, 1000, n - 1000)).isLessThan(-50);
        assertThat(Loudness.rmsDbfs(in, 0, in.length)).isGreaterThan(-10);
    }

    @Test
    void sameRateIsACopy() {
        Resampler r = new Resampler(16000, 16000);
        float[] in = sine(16000, 440, 321);
        float[] out = new float[r.maxOutput(321)];
        assertThat(r.process(in, 0, 321, out, 0)).isEqualTo(321);
        assertThat(java.util.Arrays.copyOf(out, 321)).containsExactly(in);
    }
}
