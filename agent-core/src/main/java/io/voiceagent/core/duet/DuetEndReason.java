package io.voiceagent.core.duet;

/** Why a running {@link Duet} stopped alternating; see {@link DuetListener#duetEnded}. */
public enum DuetEndReason {
    /** {@link Duet#stop()} (or {@link Duet#reset()}, {@link Duet#close()}). */
    STOPPED,
    /** The turn limit ({@link Duet.Builder#maxTurns}) was reached. */
    TURN_LIMIT,
    /** An agent said the stop phrase ({@link Duet.Builder#stopPhrase}). */
    STOP_PHRASE,
    /** An agent's turn failed with nothing said (its LLM or TTS failed). */
    FAILED
}
