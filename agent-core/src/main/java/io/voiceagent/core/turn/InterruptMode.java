package io.voiceagent.core.turn;

/** What cuts off the agent when the user starts talking (see {@link RoundManager}). */
public enum InterruptMode {
    /**
     * Interrupt at the start of user speech as the VAD reports it
     * ({@link RoundManager#onSpeechStarted()}). Lowest latency; noise the VAD takes for speech
     * (typing, coughs) cuts the agent off too.
     */
    VOICE_ACTIVATION,
    /**
     * Interrupt when speech recognition returns text with at least
     * {@link RoundManagerConfig#minInterruptLetters()} letters or digits for the speech that
     * started ({@link RoundManager#onRecognizedText(String)}). Fewer false interrupts; slower by
     * the recognizer's latency.
     */
    ASR_ACTIVATION
}
