package io.voiceagent.agora;

import io.voiceagent.core.vad.VadOptions;
import io.voiceagent.core.vad.VadResult;

/**
 * Turn events of each remote user, from the per-user VAD enabled with
 * {@link LocalUser#enableVad(VadOptions, SpeechListener)}. Paired: every {@link #speechStarted} is
 * followed by one {@link #speechEnded} unless the user leaves or the VAD is closed first.
 *
 * <p>Called on the connection's event executor, in frame order per user. Must be fast; an exception
 * is logged and does not stop later events.
 */
public interface SpeechListener {

    /**
     * The user started speaking (the moment to interrupt the agent's answer, in voice-activation mode).
     *
     * @param start its {@link VadResult#audio()} is the pre-roll plus the start window, in the
     *     connection's receive format; {@link VadResult#speechStartMs()} is on that user's stream time axis
     */
    default void speechStarted(RtcConnection connection, String userId, VadResult start) {}

    /**
     * The user stopped speaking.
     *
     * @param audio the whole utterance (pre-roll included) in the connection's receive format
     * @param speechStartMs first voiced frame, ms on the user's stream time axis
     * @param speechEndMs end of the last voiced frame, ms on the same axis
     */
    default void speechEnded(RtcConnection connection, String userId, byte[] audio, long speechStartMs,
            long speechEndMs) {}
}
