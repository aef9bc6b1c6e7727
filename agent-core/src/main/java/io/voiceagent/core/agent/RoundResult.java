package io.voiceagent.core.agent;

/**
 * How a round ended, reported once per round by {@link AgentSessionListener#roundEnded(RoundResult)}.
 * Immutable.
 *
 * @param roundId the round's id (1 for the session's first round, then increasing by one)
 * @param reason how it ended
 * @param trigger what cut it off; null unless {@code reason} is {@link RoundEndReason#INTERRUPTED}
 * @param failure what failed; null unless {@code reason} is {@link RoundEndReason#FAILED}
 * @param answer the text of the answer as far as it was produced (handed to the TTS, or the audio
 *     LLM's transcript); empty if none
 * @param heard the part of {@code answer} the user heard: all of it when the round completed, else
 *     cut where its audio stopped playing (whole TTS pieces, then the played share of the next one's
 *     words); what enters the history. {@code answer} when the output cannot tell what played
 * @param played how much of the answer's audio the user heard, by the output's play-out schedule;
 *     null when the output cannot tell (an SDK-paced output)
 * @param latency the figures reached before it ended
 */
public record RoundResult(long roundId, RoundEndReason reason, InterruptTrigger trigger, Throwable failure,
        String answer, String heard, java.time.Duration played, RoundLatency latency) {
}
