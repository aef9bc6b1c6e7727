package io.voiceagent.core.tts;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Minimal RIFF/WAVE reader for 16-bit PCM, private to the TTS package. Tolerates the size fields
 * that streaming writers such as {@code espeak-ng --stdout} leave unset (0x7ffff000 or
 * 0xffffffff): the data chunk then runs to the end of the input.
 */
final class WavPcm {

    final int sampleRateHz;
    final int channels;
    final short[] samples; // interleaved

    private WavPcm(int sampleRateHz, int channels, short[] samples) {
        this.sampleRateHz = sampleRateHz;
        this.channels = channels;
        this.samples = samples;
    }

    static WavPcm parse(byte[] wav) throws TtsException {
        ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        if (wav.length < 12 || b.getInt(0) != 0x46464952 /* RIFF */ || b.getInt(8) != 0x45564157 /* WAVE */) {
            throw new TtsException("not a RIFF/WAVE stream (" + wav.length + " bytes)");
        }
        int pos = 12;
        int rate = -1;
        int channels = -1;
        while (pos + 8 <= wav.length) {
            int id = b.getInt(pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id == 0x20746d66 /* "fmt " */) {
                if (size < 16 || body + 16 > wav.length) {
                    throw new TtsException("WAVE fmt chunk too short");
                }
                int format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                int bits = Short.toUnsignedInt(b.getShort(body + 14));
                if ((format != 1 && format != 0xFFFE) || bits != 16 || channels < 1 || rate <= 0) {
                    throw new TtsException("unsupported WAVE format " + format + ", " + bits + " bits, " + channels
                            + " channels, " + rate + " Hz (need 16-bit PCM)");
                }
            } else if (id == 0x61746164 /* "data" */) {
                if (rate < 0) {
                    throw new TtsException("WAVE data chunk before fmt chunk");
                }
                long available = wav.length - body;
                int len = (int) Math.min(size, available);
                len -= len % (2 * channels);
                short[] s = new short[len / 2];
                b.position(body);
                b.asShortBuffer().get(s);
                return new WavPcm(rate, channels, s);
            }
            pos = (int) Math.min(wav.length, body + size + (size & 1));
        }
        throw new TtsException("WAVE stream has no data chunk");
    }
}
