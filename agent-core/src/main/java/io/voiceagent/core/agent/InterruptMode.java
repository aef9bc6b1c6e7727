package io.voiceagent.core.agent;

/** What cuts the agent off when the user starts talking over it (see {@link AgentSession}). */
public enum InterruptMode {
    /**
     * Interrupt at the start of user speech as the VAD reports it. Lowest latency (one VAD window
     * after the user starts); noise the VAD takes for speech (typing, coughs) cuts the agent off too.
     */
    VOICE_ACTIVATION,
    /**
     * Interrupt when speech recognition returns text with at least
     * {@link AgentSession.Builder#minInterruptLetters(int) minInterruptLetters} letters or digits for the
     * speech that started while the agent was talking. Fewer false interrupts (an utterance recognized
     * as empty, a cough, interrupts nothing); later by the recognizer's latency. Needs a
     * {@link io.voiceagent.core.stt.SpeechToText}.
     */
    ASR_ACTIVATION
}
