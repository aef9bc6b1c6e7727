package io.voiceagent.core.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A 16-bit PCM RIFF/WAVE image at any sample rate and channel count (unlike {@link PcmFormat},
 * which only admits the rates the SDK sends). Tolerates the size fields that streaming writers
 * such as {@code espeak-ng --stdout} leave unset ({@code 0x7ffff000} or {@code 0xffffffff}): the
 * data chunk then runs to the end of the input.
 *
 * @param sampleRateHz samples per second per channel, as the header says
 * @param channels interleaved channels
 * @param data the PCM16 LE bytes, a whole number of sample frames
 */
public record WavFile(int sampleRateHz, int channels, byte[] data) {

    /**
     * Parses {@code bytes}.
     *
     * @param name used in error messages (file name or source)
     * @throws IOException if it is not 16-bit PCM RIFF/WAVE, naming what was found
     */
    public static WavFile parse(byte[] bytes, String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || b.getInt(0) != 0x46464952 /* RIFF */ || b.getInt(8) != 0x45564157 /* WAVE */) {
            throw new IOException(name + ": not a RIFF/WAVE file (" + bytes.length + " bytes)");
        }
        int pos = 12;
        int rate = -1;
        int channels = -1;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id == 0x20746d66 /* "fmt " */) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new IOException(name + ": WAVE fmt chunk too short");
                }
                int tag = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                int bits = Short.toUnsignedInt(b.getShort(body + 14));
                if ((tag != 1 && tag != 0xFFFE) || bits != 16 || channels < 1 || rate <= 0) {
                    throw new IOException(name + ": only 16-bit PCM WAV is supported (format tag " + tag + ", " + bits
                            + " bits, " + channels + " channels, " + rate + " Hz)");
                }
            } else if (id == 0x61746164 /* "data" */) {
                if (rate < 0) {
                    throw new IOException(name + ": data chunk before fmt chunk");
                }
                int len = (int) Math.min(size, bytes.length - (long) body);
                len -= len % (2 * channels);
                byte[] data = new byte[len];
                System.arraycopy(bytes, body, data, 0, len);
                return new WavFile(rate, channels, data);
            }
            pos = (int) Math.min(bytes.length, body + size + (size & 1));
        }
        throw new IOException(name + ": no data chunk");
    }

    /**
     * A canonical 44-byte WAV header followed by {@code pcm} (PCM16 LE in {@code format}; a trailing
     * partial sample frame is dropped): the image a browser's {@code decodeAudioData} or an HTTP API
     * accepts.
     */
    public static byte[] encode(byte[] pcm, PcmFormat format) {
        int len = pcm.length - pcm.length % format.bytesPerSampleFrame();
        ByteBuffer b = ByteBuffer.allocate(44 + len).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952 /* RIFF */).putInt(36 + len).putInt(0x45564157 /* WAVE */);
        b.putInt(0x20746d66 /* "fmt " */).putInt(16).putShort((short) 1).putShort((short) format.channels())
                .putInt(format.sampleRateHz()).putInt(format.bytesPerSecond()).putShort((short) format.bytesPerSampleFrame())
                .putShort((short) 16);
        b.putInt(0x61746164 /* "data" */).putInt(len).put(pcm, 0, len);
        return b.array();
    }

    /** The samples as interleaved shorts. */
    public short[] samples() {
        short[] s = new short[data.length / 2];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }
}
