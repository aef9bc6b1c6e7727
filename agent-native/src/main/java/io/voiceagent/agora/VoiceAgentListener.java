package io.voiceagent.agora;

import io.voiceagent.core.turn.RoundListener;

/**
 * Events of a {@link VoiceAgent}: the user's turns and the agent's rounds (the inherited
 * {@link RoundListener} events: {@code roundStarted}, {@code interrupted}, {@code roundEnded} with
 * latency figures). All methods have no-op defaults.
 *
 * <p><b>Threads.</b> Speech events arrive on the connection's event executor; transcripts,
 * answers and round events on whichever thread drove the change (the connection executor, an I/O
 * thread, or the pacer thread). Listeners must be fast, must not block and should not throw (a
 * throwable is logged and ignored). Never printed: audio bytes; API keys never reach a listener.
 */
public interface VoiceAgentListener extends RoundListener {

    /** The VAD heard {@code userId} start speaking. */
    default void userSpeechStarted(String userId) {}

    /**
     * The VAD heard {@code userId} stop speaking.
     *
     * @param speechMs length of the voiced part (first to last voiced frame)
     */
    default void userSpeechEnded(String userId, long speechMs) {}

    /** Speech recognition returned {@code text} (possibly empty) for {@code userId}'s last utterance. */
    default void userTranscript(String userId, String text) {}

    /** The round's pipeline reported the text it spoke (all of it, or the part before an interrupt). */
    default void agentAnswer(long roundId, String text) {}

    /** A turn could not become a round (speech recognition failed); the conversation goes on. */
    default void turnFailed(String userId, Throwable error) {}
}
