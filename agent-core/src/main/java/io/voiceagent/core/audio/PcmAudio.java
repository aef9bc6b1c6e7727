package io.voiceagent.core.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A whole PCM16 clip in memory with its format, read from a raw {@code .pcm} file or a
 * {@code .wav} file (RIFF/WAVE, PCM 16-bit only). Immutable: {@link #data()} is the internal array
 * and must not be modified.
 *
 * @param format sample rate and channels
 * @param data little-endian interleaved PCM16 bytes (a whole number of sample frames)
 */
public record PcmAudio(PcmFormat format, byte[] data) {

    public PcmAudio {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(data, "data");
        if (data.length % format.bytesPerSampleFrame() != 0) {
            throw new IllegalArgumentException("data length " + data.length
                    + " is not a whole number of " + format + " sample frames");
        }
    }

    /** Duration in milliseconds (rounded down). */
    public long durationMillis() {
        return format.durationMillis(data.length);
    }

    /**
     * Reads a {@code .wav} file (format from its header) or, for any other name, raw PCM16 in
     * {@code rawFormat}. For WAV files a non-null {@code rawFormat} must match the header.
     *
     * @throws IOException if the file cannot be read or is not 16-bit PCM WAV
     */
    public static PcmAudio read(Path file, PcmFormat rawFormat) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav")) {
            PcmAudio wav = parseWav(bytes, file.toString());
            if (rawFormat != null && !rawFormat.equals(wav.format())) {
                throw new IOException(file + " is " + wav.format() + " but " + rawFormat + " was given");
            }
            return wav;
        }
        if (rawFormat == null) {
            throw new IOException(file + " is raw PCM: its sample rate and channels must be given");
        }
        int whole = bytes.length - bytes.length % rawFormat.bytesPerSampleFrame();
        return new PcmAudio(rawFormat, whole == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, whole));
    }

    /** Parses a RIFF/WAVE PCM16 image. */
    public static PcmAudio parseWav(byte[] bytes, String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(name + ": not a RIFF/WAVE file");
        }
        int pos = 12;
        PcmFormat format = null;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                int tag = b.getShort(body) & 0xffff;
                int channels = b.getShort(body + 2);
                int rate = b.getInt(body + 4);
                int bits = b.getShort(body + 14);
                if ((tag != 1 && tag != 0xFFFE) || bits != 16) {
                    throw new IOException(name + ": only 16-bit PCM WAV is supported (format tag "
                            + tag + ", " + bits + " bits)");
                }
                format = new PcmFormat(rate, channels);
            } else if (id == 0x61746164) { // "data"
                if (format == null) {
                    throw new IOException(name + ": data chunk before fmt chunk");
                }
                int len = Math.min(size < 0 ? Integer.MAX_VALUE : size, bytes.length - body);
                len -= len % format.bytesPerSampleFrame();
                byte[] data = new byte[len];
                System.arraycopy(bytes, body, data, 0, len);
                return new PcmAudio(format, data);
            }
            pos = body + size + (size & 1);
        }
        throw new IOException(name + ": no data chunk");
    }
}
