package io.voiceagent.agora.video;

import java.util.Objects;

/**
 * How an {@link EncodedVideoTrack} is created ({@code sender_options}, reference §2.1).
 *
 * @param codec the codec every frame must be in (default H.264); {@link VideoCodec#NONE} accepts any
 * @param congestionControl whether the SDK adapts sending to the network (TCcMode 0, default true)
 * @param targetBitrateKbps the stream's target bitrate (default 640, as Agora's Python sample)
 */
public record EncodedVideoOptions(VideoCodec codec, boolean congestionControl, int targetBitrateKbps) {

    public EncodedVideoOptions {
        Objects.requireNonNull(codec, "codec");
        if (targetBitrateKbps < 0) {
            throw new IllegalArgumentException("targetBitrateKbps must be >= 0; got " + targetBitrateKbps);
        }
    }

    /** H.264, congestion control on, 640 Kbps. */
    public static EncodedVideoOptions h264() {
        return new EncodedVideoOptions(VideoCodec.H264, true, 640);
    }
}
