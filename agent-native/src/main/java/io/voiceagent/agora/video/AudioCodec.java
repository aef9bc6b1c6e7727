package io.voiceagent.agora.video;

/** AUDIO_CODEC_TYPE of encoded audio frames (reference §6.2). */
public enum AudioCodec {
    OPUS(1, 960),
    PCMA(3, 0),
    PCMU(4, 0),
    G722(5, 0),
    AAC_LC(8, 1024),
    HE_AAC(9, 1024),
    JC1(10, 0),
    HE_AAC_V2(11, 1024),
    LPCNET(12, 0),
    OPUS_MC(13, 960);

    private final int value;
    private final int defaultSamplesPerChannel;

    AudioCodec(int value, int defaultSamplesPerChannel) {
        this.value = value;
        this.defaultSamplesPerChannel = defaultSamplesPerChannel;
    }

    public int value() {
        return value;
    }

    /** What the SDK assumes when a frame says 0 samples per channel (0 = no default). */
    public int defaultSamplesPerChannel() {
        return defaultSamplesPerChannel;
    }
}
