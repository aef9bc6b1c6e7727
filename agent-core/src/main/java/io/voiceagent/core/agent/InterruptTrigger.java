package io.voiceagent.core.agent;

/** Why a round was cut off; reported with {@link AgentSessionListener#interrupted} and in {@link RoundResult}. */
public enum InterruptTrigger {
    /** The VAD heard the user start speaking, in {@link InterruptMode#VOICE_ACTIVATION}. */
    VOICE_ACTIVATION,
    /** Speech recognition returned words, in {@link InterruptMode#ASR_ACTIVATION}. */
    ASR_ACTIVATION,
    /** A newer turn started a round while this one was still producing or playing. */
    NEW_ROUND,
    /** {@link AgentSession#interrupt()}. */
    EXPLICIT,
    /** {@link AgentSession#close()}. */
    CLOSE
}
