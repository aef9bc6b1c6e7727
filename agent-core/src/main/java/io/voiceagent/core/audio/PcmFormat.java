package io.voiceagent.core.audio;

/**
 * The format of 16-bit signed little-endian interleaved PCM: sample rate and channel count.
 *
 * <p>Only the rates that the Agora SDK accepts for PCM input and that divide into whole 10 ms
 * frames are allowed (8, 16, 24, 32, 44.1 and 48 kHz), with one or two channels. Instances are
 * immutable and thread-safe; the common formats are constants.
 *
 * @param sampleRateHz samples per second per channel; one of {@link #SUPPORTED_RATES_HZ}
 * @param channels 1 (mono) or 2 (stereo, interleaved L/R)
 */
public record PcmFormat(int sampleRateHz, int channels) {

    /** Sample rates accepted everywhere in this SDK, in Hz. */
    public static final int[] SUPPORTED_RATES_HZ = {8000, 16000, 24000, 32000, 44100, 48000};

    /** Bytes per single-channel sample: PCM16. */
    public static final int BYTES_PER_SAMPLE = 2;

    /** Length of one frame as the SDK moves audio, in milliseconds. */
    public static final int FRAME_MS = 10;

    /** 16 kHz mono: what VAD and speech recognition consume. */
    public static final PcmFormat MONO_16K = new PcmFormat(16000, 1);
    /** 48 kHz mono. */
    public static final PcmFormat MONO_48K = new PcmFormat(48000, 1);
    /** 48 kHz stereo. */
    public static final PcmFormat STEREO_48K = new PcmFormat(48000, 2);

    /**
     * @throws IllegalArgumentException naming the parameter and value if the rate or channel
     *     count is not supported
     */
    public PcmFormat {
        if (!isSupportedRate(sampleRateHz)) {
            throw new IllegalArgumentException("sampleRateHz must be one of 8000, 16000, 24000, 32000, 44100, 48000; got "
                    + sampleRateHz);
        }
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("channels must be 1 or 2; got " + channels);
        }
    }

    /** Shorthand for {@code new PcmFormat(sampleRateHz, channels)}. */
    public static PcmFormat of(int sampleRateHz, int channels) {
        return new PcmFormat(sampleRateHz, channels);
    }

    /** Whether {@code sampleRateHz} is one of {@link #SUPPORTED_RATES_HZ}. */
    public static boolean isSupportedRate(int sampleRateHz) {
        for (int r : SUPPORTED_RATES_HZ) {
            if (r == sampleRateHz) {
                return true;
            }
        }
        return false;
    }

    /** Samples per channel in one 10 ms frame (e.g. 160 at 16 kHz, 441 at 44.1 kHz). */
    public int samplesPerChannelPerFrame() {
        return sampleRateHz / 100;
    }

    /** Bytes in one 10 ms frame, all channels. */
    public int bytesPerFrame() {
        return samplesPerChannelPerFrame() * channels * BYTES_PER_SAMPLE;
    }

    /** Bytes of one sample in every channel (the interleaving unit). */
    public int bytesPerSampleFrame() {
        return channels * BYTES_PER_SAMPLE;
    }

    /** Bytes per second of audio. */
    public int bytesPerSecond() {
        return sampleRateHz * channels * BYTES_PER_SAMPLE;
    }

    /** Duration in milliseconds of {@code byteCount} bytes (rounded down). */
    public long durationMillis(long byteCount) {
        return byteCount * 1000L / bytesPerSecond();
    }

    /** Number of bytes in {@code millis} milliseconds (rounded down to whole sample frames). */
    public long bytesFor(long millis) {
        return millis * sampleRateHz / 1000L * bytesPerSampleFrame();
    }

    @Override
    public String toString() {
        return sampleRateHz + " Hz " + (channels == 1 ? "mono" : "stereo");
    }
}
