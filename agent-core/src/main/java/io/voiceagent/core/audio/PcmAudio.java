package io.voiceagent.core.audio;

import java.io.IOException;
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

    /**
     * Parses a RIFF/WAVE PCM16 image whose rate and channels are a {@link PcmFormat}.
     *
     * @throws IOException if it is not 16-bit PCM WAV or its format is not one the SDK sends
     */
    public static PcmAudio parseWav(byte[] bytes, String name) throws IOException {
        WavFile wav = WavFile.parse(bytes, name);
        try {
            return new PcmAudio(new PcmFormat(wav.sampleRateHz(), wav.channels()), wav.data());
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }
}
