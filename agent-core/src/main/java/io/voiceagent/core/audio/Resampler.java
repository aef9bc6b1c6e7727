package io.voiceagent.core.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streaming mono sample-rate converter: a polyphase windowed-sinc (Blackman) filter, with the
 * cut-off at the lower of the two Nyquist frequencies, so downsampling is anti-aliased.
 *
 * <p>The filter is causal: output sample {@code n} is centred {@link #delaySamples()} input samples
 * before input position {@code n * inRate / outRate}, so every 10 ms of input yields exactly 10 ms
 * of output as soon as it arrives (e.g. 480 samples at 48 kHz give 160 at 16 kHz) and nothing is
 * held back. The price is a constant delay below 1 ms. Filter tables are shared between instances
 * of the same rate pair; per-instance state is a short history of input samples.
 *
 * <p>Not thread-safe: one instance per stream, used by one thread at a time.
 */
public final class Resampler {
    private static final Map<Long, Table> TABLES = new ConcurrentHashMap<>();

    private final int inRateHz;
    private final int outRateHz;
    private final Table table;
    // Input history: absolute input indices [histStart, inCount).
    private float[] hist;
    private int histLen;
    private long histStart;
    private long inCount;
    private long outCount;

    /**
     * @param inRateHz input sample rate in Hz (&gt; 0)
     * @param outRateHz output sample rate in Hz (&gt; 0)
     * @throws IllegalArgumentException naming the parameter if a rate is not positive
     */
    public Resampler(int inRateHz, int outRateHz) {
        if (inRateHz <= 0) {
            throw new IllegalArgumentException("inRateHz must be > 0; got " + inRateHz);
        }
        if (outRateHz <= 0) {
            throw new IllegalArgumentException("outRateHz must be > 0; got " + outRateHz);
        }
        this.inRateHz = inRateHz;
        this.outRateHz = outRateHz;
        this.table = TABLES.computeIfAbsent(((long) inRateHz << 32) | outRateHz,
                k -> new Table(inRateHz, outRateHz));
        this.hist = new float[2 * table.halfWidth + 1024];
    }

    /**
     * Converts a whole mono buffer at once, time-aligned (the streaming delay is compensated): the
     * output has {@code round(in.length * outRateHz / inRateHz)} samples, clipped to 16 bits. Same
     * rates give a copy.
     */
    public static short[] resample(short[] in, int inRateHz, int outRateHz) {
        if (inRateHz == outRateHz) {
            return in.clone();
        }
        Resampler r = new Resampler(inRateHz, outRateHz);
        int delay = r.delaySamples();
        float[] src = new float[in.length + 2 * delay + 2];
        for (int i = 0; i < in.length; i++) {
            src[i] = in[i];
        }
        float[] out = new float[r.maxOutput(src.length)];
        int n = r.process(src, 0, src.length, out, 0);
        int skip = (int) Math.round((double) delay * outRateHz / inRateHz);
        int len = (int) Math.round((double) in.length * outRateHz / inRateHz);
        short[] result = new short[len];
        for (int i = 0; i < len && skip + i < n; i++) {
            result[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(out[skip + i])));
        }
        return result;
    }

    public int inRateHz() {
        return inRateHz;
    }

    public int outRateHz() {
        return outRateHz;
    }

    /** The constant delay of the output, in input samples. */
    public int delaySamples() {
        return table.halfWidth;
    }

    /** Upper bound of the output samples that {@code inLen} more input samples can produce. */
    public int maxOutput(int inLen) {
        return (int) ((long) (inLen + 1) * table.up / table.down) + 2;
    }

    /**
     * Converts the next {@code len} input samples.
     *
     * @param in input samples (any scale; the output has the same scale)
     * @param out receives the output samples from {@code outOff}; needs room for
     *     {@link #maxOutput(int) maxOutput(len)} samples
     * @return the number of output samples written
     */
    public int process(float[] in, int off, int len, float[] out, int outOff) {
        if (table.up == table.down) {
            System.arraycopy(in, off, out, outOff, len);
            inCount += len;
            outCount += len;
            return len;
        }
        ensureHist(histLen + len);
        System.arraycopy(in, off, hist, histLen, len);
        histLen += len;
        inCount += len;
        final int up = table.up;
        final int down = table.down;
        final int taps = 2 * table.halfWidth;
        int written = 0;
        while (true) {
            long prod = outCount * down;
            long q = prod / up;
            if (q >= inCount) {
                break;
            }
            int phase = (int) (prod - q * up);
            float[] w = table.phases[phase];
            // Taps cover absolute input indices q-taps+1 .. q; indices before 0 are zeros.
            long first = q - taps + 1;
            double acc = 0;
            for (int t = 0; t < taps; t++) {
                long idx = first + t;
                if (idx >= histStart) {
                    acc += w[t] * hist[(int) (idx - histStart)];
                }
            }
            out[outOff + written++] = (float) acc;
            outCount++;
        }
        // Keep what the next output still needs: indices >= q(next) - taps + 1.
        long keepFrom = outCount * down / up - taps + 1;
        if (keepFrom > histStart) {
            int drop = (int) Math.min(keepFrom - histStart, histLen);
            System.arraycopy(hist, drop, hist, 0, histLen - drop);
            histLen -= drop;
            histStart += drop;
        }
        return written;
    }

    private void ensureHist(int needed) {
        if (needed > hist.length) {
            float[] bigger = new float[Math.max(needed, hist.length * 2)];
            System.arraycopy(hist, 0, bigger, 0, histLen);
            hist = bigger;
        }
    }

    /** Polyphase coefficients for one rate pair; immutable after construction. */
    private static final class Table {
        final int up;
        final int down;
        final int halfWidth;
        final float[][] phases;

        Table(int inRate, int outRate) {
            int g = gcd(inRate, outRate);
            up = outRate / g;
            down = inRate / g;
            double fc = Math.min(1.0, (double) up / down);
            if (fc < 1.0) {
                fc *= 0.95; // a little guard band below the output Nyquist frequency
            }
            halfWidth = up == down ? 0 : (int) Math.ceil(8.0 / fc);
            int taps = 2 * halfWidth;
            phases = new float[up][taps];
            for (int p = 0; p < up && taps > 0; p++) {
                double frac = (double) p / up;
                double sum = 0;
                double[] w = new double[taps];
                for (int t = 0; t < taps; t++) {
                    // Tap t reads input index q - taps + 1 + t; the centre is q - halfWidth + frac.
                    double tau = (t - taps + 1 + halfWidth) - frac;
                    double x = fc * tau;
                    double sinc = x == 0 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
                    double r = tau / halfWidth;
                    double win = Math.abs(r) >= 1 ? 0
                            : 0.42 + 0.5 * Math.cos(Math.PI * r) + 0.08 * Math.cos(2 * Math.PI * r);
                    w[t] = fc * sinc * win;
                    sum += w[t];
                }
                for (int t = 0; t < taps; t++) {
                    phases[p][t] = (float) (w[t] / sum); // unity gain at DC for every phase
                }
            }
        }

        private static int gcd(int a, int b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }
}
