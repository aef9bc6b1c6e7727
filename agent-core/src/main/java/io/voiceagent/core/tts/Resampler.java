package io.voiceagent.core.tts;

/**
 * Band-limited (windowed-sinc) sample-rate conversion of mono PCM16, private to the TTS package
 * (the {@code io.voiceagent.core.audio} package gets its own shared resampler separately). When
 * downsampling, the filter cuts below the new Nyquist frequency so high frequencies are removed
 * instead of folding back as aliases. Whole-buffer: TTS pieces are short. Stateless, thread-safe.
 */
final class Resampler {

    /** Zero crossings of the sinc on each side (at the narrower of the two rates). */
    private static final int HALF_TAPS = 16;

    private Resampler() {
    }

    static short[] resample(short[] in, int inRateHz, int outRateHz) {
        if (inRateHz <= 0 || outRateHz <= 0) {
            throw new IllegalArgumentException("rates must be positive; got " + inRateHz + " -> " + outRateHz);
        }
        if (inRateHz == outRateHz) {
            return in.clone();
        }
        int outLength = (int) ((long) in.length * outRateHz / inRateHz);
        short[] out = new short[outLength];
        double step = (double) inRateHz / outRateHz;          // input samples per output sample
        double cutoff = Math.min(1.0, (double) outRateHz / inRateHz) * 0.94; // fraction of input Nyquist
        double halfWidth = HALF_TAPS / cutoff;                // in input samples
        for (int n = 0; n < outLength; n++) {
            double t = n * step;
            int first = (int) Math.ceil(t - halfWidth);
            int last = (int) Math.floor(t + halfWidth);
            double sum = 0;
            for (int k = Math.max(0, first); k <= Math.min(in.length - 1, last); k++) {
                double x = t - k;
                double window = 0.5 * (1 + Math.cos(Math.PI * x / halfWidth));
                sum += in[k] * cutoff * sinc(cutoff * x) * window;
            }
            long v = Math.round(sum);
            out[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        return out;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-9) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }
}
