package io.voiceagent.core.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Resampler#resample(short[], int, int)}: whole buffers, time-aligned, anti-aliased. */
class OneShotResampleTest {

    private static short[] tone(double hz, int rate, int n, double amplitude) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    private static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Power at {@code hz} (Goertzel), normalised so a full-length sine of amplitude A gives about A. */
    private static double amplitudeAt(short[] s, double hz, int rate, int from, int to) {
        double w = 2 * Math.PI * hz / rate;
        double re = 0;
        double im = 0;
        for (int i = from; i < to; i++) {
            re += s[i] * Math.cos(w * i);
            im += s[i] * Math.sin(w * i);
        }
        return 2 * Math.hypot(re, im) / (to - from);
    }

    @Test
    void downsamplingKeepsAToneItsFrequencyAndLevel() {
        short[] in = tone(440, 22050, 22050, 10000);
        short[] out = Resampler.resample(in, 22050, 16000);
        assertThat(out).hasSize(16000);
        // Skip the edges, where the filter sees zeros beyond the buffer.
        assertThat(amplitudeAt(out, 440, 16000, 500, 15500)).isBetween(9500.0, 10500.0);
        assertThat(amplitudeAt(out, 660, 16000, 500, 15500)).isLessThan(200.0);
    }

    @Test
    void downsamplingRemovesFrequenciesAboveTheNewNyquistInsteadOfAliasingThem() {
        // 10 kHz is above 8 kHz (Nyquist of 16 kHz); naive interpolation folds it to 6 kHz.
        short[] in = tone(10000, 22050, 22050, 10000);
        short[] out = Resampler.resample(in, 22050, 16000);
        assertThat(rms(out, 500, 15500)).isLessThan(300.0);
    }

    @Test
    void upsamplingTo48kKeepsTheTone() {
        short[] in = tone(1000, 22050, 22050, 8000);
        short[] out = Resampler.resample(in, 22050, 48000);
        assertThat(out).hasSize(48000);
        assertThat(amplitudeAt(out, 1000, 48000, 1000, 47000)).isBetween(7600.0, 8400.0);
    }

    @Test
    void outputIsTimeAlignedWithTheInput() {
        // A click at 0.5 s must stay at 0.5 s after conversion (the streaming filter's delay is removed).
        short[] in = new short[22050];
        in[11025] = 20000;
        short[] out = Resampler.resample(in, 22050, 16000);
        int peak = 0;
        for (int i = 1; i < out.length; i++) {
            if (Math.abs(out[i]) > Math.abs(out[peak])) {
                peak = i;
            }
        }
        assertThat(peak).isBetween(7998, 8002);
    }

    @Test
    void sameRateIsACopy() {
        short[] in = {1, -2, 3};
        short[] out = Resampler.resample(in, 16000, 16000);
        assertThat(out).containsExactly(1, -2, 3).isNotSameAs(in);
    }
}
