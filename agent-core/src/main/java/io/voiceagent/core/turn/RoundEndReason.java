package io.voiceagent.core.turn;

/** How a round ended; reported with {@link RoundListener#roundEnded(RoundResult)}. */
public enum RoundEndReason {
    /** Its producer called {@link Round#complete()} (its audio plays on unless interrupted later). */
    COMPLETED,
    /** It was cancelled while producing: its work was cancelled and its queued audio dropped. */
    INTERRUPTED,
    /** Its producer called {@link Round#fail(Throwable)}; its work was cancelled, audio already queued plays. */
    FAILED
}
