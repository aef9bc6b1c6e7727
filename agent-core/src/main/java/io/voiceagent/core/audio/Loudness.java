package io.voiceagent.core.audio;

/**
 * Loudness of PCM samples as RMS in dBFS (0 dBFS = a full-scale square wave), and conversions
 * between PCM16 bytes and float samples. Stateless and thread-safe.
 */
public final class Loudness {
    /** The value reported for digital silence (and the floor of every result), in dBFS. */
    public static final double MIN_DBFS = -127.0;

    private Loudness() {
    }

    /**
     * RMS level of {@code len} samples in [-1, 1], in dBFS: {@code 20*log10(sqrt(mean(s^2)))},
     * never below {@link #MIN_DBFS}.
     */
    public static double rmsDbfs(float[] samples, int off, int len) {
        if (len <= 0) {
            return MIN_DBFS;
        }
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += (double) samples[i] * samples[i];
        }
        return toDbfs(Math.sqrt(sum / len));
    }

    /** RMS level of little-endian PCM16 bytes (all channels pooled), in dBFS. */
    public static double rmsDbfs(byte[] pcm16le, int off, int len) {
        int n = len / 2;
        if (n == 0) {
            return MIN_DBFS;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int s = (short) ((pcm16le[off + 2 * i] & 0xff) | (pcm16le[off + 2 * i + 1] << 8));
            sum += (double) s * s;
        }
        return toDbfs(Math.sqrt(sum / n) / 32768.0);
    }

    /** Converts a linear RMS (full scale 1.0) to dBFS, floored at {@link #MIN_DBFS}. */
    public static double toDbfs(double rms) {
        if (rms <= 0) {
            return MIN_DBFS;
        }
        return Math.max(MIN_DBFS, 20.0 * Math.log10(rms));
    }

    /**
     * Decodes little-endian PCM16 to floats in [-1, 1) (divided by 32768), mixing interleaved
     * channels down to mono by averaging.
     *
     * @param frames number of sample frames (samples per channel) to decode
     * @return {@code frames}
     */
    public static int toMonoFloat(byte[] pcm, int off, int frames, int channels, float[] out, int outOff) {
        if (channels == 1) {
            for (int i = 0; i < frames; i++) {
                int b = off + 2 * i;
                out[outOff + i] = (short) ((pcm[b] & 0xff) | (pcm[b + 1] << 8)) / 32768f;
            }
        } else {
            for (int i = 0; i < frames; i++) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    int b = off + 2 * (i * channels + c);
                    sum += (short) ((pcm[b] & 0xff) | (pcm[b + 1] << 8));
                }
                out[outOff + i] = sum / (32768f * channels);
            }
        }
        return frames;
    }

    /** Encodes floats in [-1, 1] as little-endian PCM16 with clipping. */
    public static byte[] toPcm16(float[] samples, int off, int len) {
        byte[] out = new byte[2 * len];
        for (int i = 0; i < len; i++) {
            int s = Math.round(samples[off + i] * 32768f);
            s = Math.max(-32768, Math.min(32767, s));
            out[2 * i] = (byte) s;
            out[2 * i + 1] = (byte) (s >> 8);
        }
        return out;
    }
}
