package io.voiceagent.core.agent;

import java.time.Duration;
import java.util.Optional;

/**
 * Latency figures of one round, each measured from the end of the user's turn (the moment the VAD
 * reported the end of speech, or the moment a typed text or {@link AgentSession#say} arrived) on
 * the session's {@link io.voiceagent.core.time.Ticker}. A figure is null when the round ended before
 * reaching that point. Immutable.
 *
 * @param toFirstLlmToken until the first text (or audio) of the LLM's answer arrived
 * @param toFirstAudio until the first PCM of the answer was queued on the output (first TTS audio)
 * @param toFirstFrameSent until the output reported the first 10 ms frame of the answer sent to the
 *     channel (measured on the sending thread, so the session's own queueing is not included)
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
