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
}
