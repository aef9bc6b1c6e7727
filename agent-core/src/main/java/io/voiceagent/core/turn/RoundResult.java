package io.voiceagent.core.turn;

/**
 * How a round ended, reported once per round by {@link RoundListener#roundEnded(RoundResult)}.
 * Immutable.
 *
 * @param roundId the round's id
 * @param reason how it ended
 * @param trigger what interrupted it; null unless {@code reason} is {@link RoundEndReason#INTERRUPTED}
 * @param failure the cause given to {@link Round#fail(Throwable)}; null unless {@link RoundEndReason#FAILED}
 * @param latency the figures reached before it ended
 */
public record RoundResult(long roundId, RoundEndReason reason, InterruptTrigger trigger, Throwable failure,
        RoundLatency latency) {
}
