package io.voiceagent.core.duet;

import io.voiceagent.core.audio.PcmFormat;

/**
 * Events of a {@link Duet}. All methods have no-op defaults.
 *
 * <p><b>Threads.</b> Every event runs on the duet's executor, one at a time, in the order the duet's
 * state changed, never on an agent session's executor, the pacer or an I/O thread, and never with a
 * lock held. A listener may call the duet's methods (they are queued). Keep listeners short: a slow
 * one delays the duet's next decision. A listener that throws is logged and ignored.
 *
 * <p><b>Order of a turn's events:</b> {@link #turnStarted}, then {@link #agentSpoke} once its whole
 * speech is synthesized (unless it is cut off first), {@link #speakerInterrupted} if the user (or
 * {@code interrupt}, {@code stop}, {@code reset}) cut it off, and exactly one {@link #turnEnded}. A
 * {@link #speakerInterrupted} always precedes the next turn's {@link #turnStarted}.
 */
public interface DuetListener {

    /** The agents alternate from now on ({@link Duet#start()}). */
    default void duetStarted() {}

    /** The agents stopped alternating. */
    default void duetEnded(DuetEndReason reason) {}

    /** {@code turn}'s agent was asked to speak (its LLM request is on its way). */
    default void turnStarted(DuetTurn turn) {}

    /**
     * {@code turn}'s whole answer: its text and its speech, PCM16 in {@code format} (possibly empty if
     * the TTS produced nothing). The array is shared by every listener: do not modify it. Playback of
     * the turn on the agent's output starts now (or has started, on a streaming transport).
     */
    default void agentSpoke(DuetTurn turn, String text, byte[] pcm, PcmFormat format) {}

    /**
     * {@code turn} was cut off: its session drops its audio now (its output's queue and the
     * transport's buffer; the interrupt is queued there), and the next turn's audio starts only once
     * that is done. A client playing the turn's audio itself must stop it now.
     */
    default void speakerInterrupted(DuetTurn turn) {}

    /**
     * {@code turn} ended: what was heard of it ({@code heard}, possibly empty), and whether it was cut
     * off. That text is in both agents' histories.
     */
    default void turnEnded(DuetTurn turn, String heard, boolean interrupted) {}

    /** {@code turn}'s agent failed (LLM or TTS); the duet goes on with what was heard of it, or ends. */
    default void turnFailed(DuetTurn turn, Throwable error) {}

    /** The listening agent's VAD heard the user start to speak: the speaker, if any, was cut off. */
    default void userSpeechStarted() {}

    /**
     * The user's words (typed, or recognized from speech with {@code spoken} true) entered both
     * agents' histories; the next speaker answers them.
     */
    default void userText(String text, boolean spoken) {}

    /** Speech recognition of the user's utterance failed; the duet goes on. */
    default void userSpeechFailed(Throwable error) {}

    /** {@link Duet#setAgent} changed {@code role}'s spec; the change applies from its next turn. */
    default void agentUpdated(DuetRole role, DuetAgent agent) {}

    /** {@link Duet#reset()}: both histories were cleared. */
    default void historyCleared() {}
}
