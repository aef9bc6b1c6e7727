package io.voiceagent.core.vad;

/** Per-frame output state of the VAD V2 turn detector (Agora's values 0-3). */
public enum VadState {
    /** Not speaking; no audio is returned. */
    NONE,
    /** Speech started at this frame; the audio is the pre-roll plus the start window, this frame last. */
    START_SPEAKING,
    /** Speech continues; the audio is this frame. */
    SPEAKING,
    /** Speech stopped at this frame; the audio is this frame, the last of the segment. */
    STOP_SPEAKING;

    /** Agora's numeric value of this state (0 none, 1 start, 2 speaking, 3 stop). */
    public int code() {
        return ordinal();
    }
}
