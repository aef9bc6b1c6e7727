package io.voiceagent.core.agent;

/**
 * How a round ended, reported once per round by {@link AgentSessionListener#roundEnded(RoundResult)}.
 * Immutable.
 *
 * @param roundId the round's id (1 for the session's first round, then increasing by one)
 * @param reason how it ended
 * @param trigger what cut it off; null unless {@code reason} is {@link RoundEndReason#INTERRUPTED}
 * @param failure what failed; null unless {@code reason} is {@link RoundEndReason#FAILED}
 * @param answer the text of the answer as far as it was produced for the user (handed to the TTS,
 *     or the audio LLM's transcript); empty if none
 * @param latency the figures reached before it ended
 */
public record RoundResult(long roundId, RoundEndReason reason, InterruptTrigger trigger, Throwable failure,
        String answer, RoundLatency latency) {
}
