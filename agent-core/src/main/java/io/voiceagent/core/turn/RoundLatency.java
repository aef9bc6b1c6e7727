package io.voiceagent.core.turn;

import java.time.Duration;
import java.util.Optional;

/**
 * Latency figures of one round, each measured from the end of the user's speech (the time passed
 * to {@link RoundManager#startRound(long)}) on the manager's {@link io.voiceagent.core.time.Ticker}.
 * A figure is null when the round ended before reaching that point. Immutable.
 *
 * @param toFirstLlmToken until {@link Round#markFirstLlmToken()}
 * @param toFirstAudio until the first PCM of the round was accepted by {@link Round#writeAudio}
 *     (first TTS audio)
 * @param toFirstFrameSent until the audio output reported the first frame of the round sent
 *     ({@link RoundManager#audioFramesSent(long)})
 */
public record RoundLatency(Duration toFirstLlmToken, Duration toFirstAudio, Duration toFirstFrameSent) {

    /** No figure reached. */
    public static final RoundLatency NONE = new RoundLatency(null, null, null);

    public Optional<Duration> firstLlmToken() {
        return Optional.ofNullable(toFirstLlmToken);
    }

    public Optional<Duration> firstAudio() {
        return Optional.ofNullable(toFirstAudio);
    }

    public Optional<Duration> firstFrameSent() {
        return Optional.ofNullable(toFirstFrameSent);
    }
}
