package io.voiceagent.agora;

import java.time.Duration;
import java.util.Objects;

/**
 * Options of a custom PCM {@link LocalAudioTrack}.
 *
 * @param sendDelay how long the SDK holds audio before sending; the reference wrappers use 10 ms
 *     for agents (0 would mean the SDK default, about 260 ms). Range [10 ms, 1000 ms].
 * @param maxBufferedFrames how many 10 ms frames the SDK's send buffer holds (Agora's default 30,
 *     i.e. 300 ms). A send that would exceed it fails with {@link AgoraError#BUFFER_TOO_SMALL} on the
 *     loopback library. Range [1, 360000].
 */
public record AudioTrackOptions(Duration sendDelay, int maxBufferedFrames) {

    /** Validates both parameters, naming the bad one and its value. */
    public AudioTrackOptions {
        Objects.requireNonNull(sendDelay, "sendDelay");
        if (sendDelay.toMillis() < 10 || sendDelay.toMillis() > 1000) {
            throw new IllegalArgumentException("sendDelay must be in [10 ms, 1000 ms]; got " + sendDelay.toMillis()
                    + " ms");
        }
        if (maxBufferedFrames < 1 || maxBufferedFrames > 360_000) {
            throw new IllegalArgumentException("maxBufferedFrames must be in [1, 360000]; got " + maxBufferedFrames);
        }
    }

    /** 10 ms send delay, 30 buffered frames. */
    public static AudioTrackOptions defaults() {
        return new AudioTrackOptions(Duration.ofMillis(10), 30);
    }

    /** A copy with another send-buffer size. */
    public AudioTrackOptions withMaxBufferedFrames(int frames) {
        return new AudioTrackOptions(sendDelay, frames);
    }
}
