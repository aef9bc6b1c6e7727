package io.voiceagent.core.agent;

/** How a round ended; reported with {@link AgentSessionListener#roundEnded(RoundResult)}. */
public enum RoundEndReason {
    /** Its answer was produced in full and finished playing (or it had no audio). */
    COMPLETED,
    /**
     * It was cut off (barge-in, an explicit interrupt, a newer turn, the session closing): its requests
     * were cancelled and its audio dropped, so no byte of it reaches the user afterwards.
     */
    INTERRUPTED,
    /** A provider (LLM, TTS) failed; audio already queued finished playing first. */
    FAILED
}
