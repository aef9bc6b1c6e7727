package io.voiceagent.core.agent;

/**
 * Events of an {@link AgentSession}: the users' turns and the agent's rounds. All methods have
 * no-op defaults.
 *
 * <p><b>Threads.</b> Every event runs on the session's executor, one at a time, in the order the
 * session's state changed, never on the pacer thread, an SDK thread or an I/O thread, and never
 * with a library lock held. A listener may call any method of the session: queries answer from a
 * snapshot at once, commands ({@code interrupt}, {@code sendText}, {@code close}, ...) are queued and
 * take effect after the current event returns. A listener that blocks delays only its own session,
 * but it does delay it (its VAD, its barge-in): keep listeners short. A listener that throws is
 * logged and does not stop later events or other listeners.
 *
 * <p><b>Order of a round's events:</b> {@link #roundStarted}, then any {@link #agentTextDelta}s,
 * {@link #agentSpeechStarted} just before its first audio is queued, {@link #interrupted} if it was
 * cut off (right after its audio was dropped), {@link #agentAnswer} with the text it produced, and
 * exactly one {@link #roundEnded}. A round ends before the next one starts. User events are paired:
 * {@link #userSpeechStarted} is followed by {@link #userSpeechEnded} unless the user leaves or the
 * session closes first.
 *
 * <p>Audio bytes are never passed to a listener, and API keys never reach one.
 */
public interface AgentSessionListener {

    /**
     * The transport reports {@code userId} present in the channel (every remote user, whether or not
     * {@link AgentSession.Builder#remoteUsers} selects them). Paired with {@link #userLeft}. Transports
     * that only know users by their audio (an {@link InMemoryTransport} unless told) never report it.
     */
    default void userJoined(String userId) {}

    /** The transport reports that {@code userId} left; their turn state was released just before. */
    default void userLeft(String userId) {}

    /** The VAD heard {@code userId} start speaking. In voice-activation mode the agent was already cut off. */
    default void userSpeechStarted(String userId) {}

    /**
     * The VAD heard {@code userId} stop speaking: the end of a turn.
     *
     * @param speechMs length of the voiced part (first to last voiced frame)
     */
    default void userSpeechEnded(String userId, long speechMs) {}

    /**
     * A streaming recognizer's current hypothesis of {@code userId}'s utterance, while they speak (the
     * whole utterance so far, not a delta; never empty). Only with a streaming
     * {@link io.voiceagent.core.stt.SpeechToText}; the final text follows as {@link #userTranscript}.
     * In ASR-activation mode the first partial with words has already cut the agent off.
     */
    default void userPartialTranscript(String userId, String text) {}

    /** Speech recognition returned {@code text} (possibly empty) for {@code userId}'s last utterance. */
    default void userTranscript(String userId, String text) {}

    /** A turn could not become a round (speech recognition failed); the conversation goes on. */
    default void turnFailed(String userId, Throwable error) {}

    /** Round {@code roundId} started: the answer to the latest turn is being produced. */
    default void roundStarted(long roundId) {}

    /** A piece of the answer's text, as the LLM streams it (the audio LLM's transcript). */
    default void agentTextDelta(long roundId, String delta) {}

    /**
     * The round's first audio is about to be queued on the output: the agent starts speaking. Runs
     * synchronously before that write on the session's executor, so a reading taken here (a frame
     * counter of the transport) precedes every byte of the round.
     */
    default void agentSpeechStarted(long roundId) {}

    /**
     * The round was cut off: its requests are cancelled and its audio was dropped, including the
     * transport's buffer. Runs right after that drop on the session's executor: no byte of the round
     * can reach the remote side from this moment on.
     */
    default void interrupted(long roundId, InterruptTrigger trigger) {}

    /**
     * A barge-in paused the round's audio (voice activation with false-interruption recovery): the user
     * hears nothing of it from now on unless {@link #falseInterruption} resumes it; if the user's words
     * confirm the barge-in, {@link #interrupted} follows.
     */
    default void agentPaused(long roundId) {}

    /**
     * The barge-in that paused the round was false (no words recognized in time: a cough, a knock, an
     * "mm"): the round's audio resumes from the first sample the user did not hear.
     */
    default void falseInterruption(long roundId) {}

    /**
     * What the user heard of the round's answer (all of it, or the part before it was cut off: see
     * {@link RoundResult#heard()}); not blank. This is what enters the history.
     */
    default void agentAnswer(long roundId, String text) {}

    /** The round ended; see {@link RoundResult}. */
    default void roundEnded(RoundResult result) {}

    /**
     * The output's far end (an avatar worker) reported how much of round {@code roundId}'s audio it
     * actually played: all of it ({@code interrupted} false) or {@code played} before a barge-in cut
     * it off. Arrives after the round's {@link #interrupted} or its last audio, possibly after
     * {@link #roundEnded}; only outputs that report playback ({@link AgentOutput.Listener#playbackEnded})
     * produce it.
     */
    default void agentPlaybackEnded(long roundId, java.time.Duration played, boolean interrupted) {}

    /** The session closed and released its transport. The last event. */
    default void sessionClosed() {}
}
