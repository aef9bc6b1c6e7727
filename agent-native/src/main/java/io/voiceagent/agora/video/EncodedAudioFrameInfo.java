package io.voiceagent.agora.video;

import java.util.Objects;
import java.util.Set;

/**
 * What describes one encoded audio frame ({@code encoded_audio_frame_info}, reference §3.4).
 *
 * @param codec the codec of the payload
 * @param sampleRateHz 8000, 16000, 22050, 24000, 32000, 44100 or 48000
 * @param channels 1 or 2
 * @param samplesPerChannel samples per channel in this frame, 0..8192 (0 = the codec's default:
 *     1024 for AAC, 960 for Opus)
 * @param speech whether the frame is speech (Agora's samples send music as {@code false})
 * @param sendEvenIfEmpty whether the SDK sends the frame even if it decodes to silence (samples: true)
 */
public record EncodedAudioFrameInfo(AudioCodec codec, int sampleRateHz, int channels, int samplesPerChannel,
        boolean speech, boolean sendEvenIfEmpty) {

    private static final Set<Integer> RATES = Set.of(8000, 16000, 22050, 24000, 32000, 44100, 48000);

    /** Checks every field; see the parameter list. */
    public EncodedAudioFrameInfo {
        Objects.requireNonNull(codec, "codec");
        if (!RATES.contains(sampleRateHz)) {
            throw new IllegalArgumentException("sampleRateHz must be one of " + new java.util.TreeSet<>(RATES)
                    + "; got " + sampleRateHz);
        }
        if (channels != 1 && channels != 2) {
            throw new IllegalArgumentException("channels must be 1 or 2; got " + channels);
        }
        if (samplesPerChannel < 0 || samplesPerChannel > 8192) {
            throw new IllegalArgumentException("samplesPerChannel must be in 0..8192; got " + samplesPerChannel);
        }
    }

    /** AAC-LC frames of 1024 samples, not speech, sent even if empty: what Agora's encoded-audio sample sends. */
    public static EncodedAudioFrameInfo aac(int sampleRateHz, int channels) {
        return new EncodedAudioFrameInfo(AudioCodec.AAC_LC, sampleRateHz, channels, 1024, false, true);
    }

    /** Opus frames of 20 ms. */
    public static EncodedAudioFrameInfo opus(int sampleRateHz, int channels) {
        return new EncodedAudioFrameInfo(AudioCodec.OPUS, sampleRateHz, channels, sampleRateHz / 50, true, true);
    }
}
