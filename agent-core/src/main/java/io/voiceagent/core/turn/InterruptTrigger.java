package io.voiceagent.core.turn;

/** Why a round was cut off; reported in {@link RoundListener#interrupted} and {@link RoundResult}. */
public enum InterruptTrigger {
    /** {@link RoundManager#onSpeechStarted()} in {@link InterruptMode#VOICE_ACTIVATION}. */
    VOICE_ACTIVATION,
    /** {@link RoundManager#onRecognizedText(String)} in {@link InterruptMode#ASR_ACTIVATION}. */
    ASR_ACTIVATION,
    /** {@link RoundManager#startRound()} while the previous round was still producing. */
    NEW_ROUND,
    /** {@link RoundManager#interrupt()} or {@link Round#cancel()}. */
    EXPLICIT,
    /** {@link RoundManager#close()}. */
    CLOSE
}
