package io.voiceagent.testing;

/**
 * Deterministic PCM test signals: byte {@code p} of a stream is a fixed hash of {@code p}, so any
 * lost, repeated or reordered byte shows up when comparing what a sink received.
 */
public final class TestPcm {
    private TestPcm() {}

    /** The pattern byte at absolute stream position {@code position}. */
    public static byte at(long position) {
        return (byte) ((position * 2654435761L) >>> 13);
    }

    /** {@code length} bytes of the pattern starting at stream position {@code start}. */
    public static byte[] pattern(long start, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = at(start + i);
        }
        return b;
    }

    /** {@code millis} of seeded white noise at about {@code dbfs} RMS, 16 kHz mono PCM16 (a synthetic "sound"). */
    public static byte[] noise(int millis, double dbfs, long seed) {
        java.util.Random r = new java.util.Random(seed);
        int samples = millis * 16;
        double amp = 32767 * Math.pow(10, dbfs / 20) * Math.sqrt(3); // uniform noise: rms = amp / sqrt(3)
        byte[] b = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            int v = (int) Math.round((r.nextDouble() * 2 - 1) * amp);
            v = Math.max(-32768, Math.min(32767, v));
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return b;
    }

    /** {@code millis} of digital silence, 16 kHz mono PCM16. */
    public static byte[] silence(int millis) {
        return new byte[millis * 32];
    }

    /** The arrays one after another. */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
