package io.voiceagent.agora;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.llm.ChatMessage;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * One user turn handed to an {@link AgentPipeline}: who spoke, what they said (audio, and the
 * recognized text when the agent has speech recognition), and the conversation so far.
 *
 * <p>Immutable except for {@link #reportAnswer}, which a pipeline calls once with the text it spoke
 * (thread-safe).
 */
public final class UserTurn {
    private final String userId;
    private final byte[] audio;
    private final PcmFormat format;
    private final String text;
    private final List<ChatMessage> messages;
    private final BiConsumer<UserTurn, String> answerSink;
    private final java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();

    UserTurn(String userId, byte[] audio, PcmFormat format, String text, List<ChatMessage> messages,
            BiConsumer<UserTurn, String> answerSink) {
        this.userId = Objects.requireNonNull(userId, "userId");
        this.audio = Objects.requireNonNull(audio, "audio");
        this.format = Objects.requireNonNull(format, "format");
        this.text = text;
        this.messages = List.copyOf(messages);
        this.answerSink = answerSink;
    }

    public String userId() {
        return userId;
    }

    /** The utterance as the VAD collected it (pre-roll included), in {@link #format()}. Do not modify. */
    public byte[] audio() {
        return audio;
    }

    public PcmFormat format() {
        return format;
    }

    public Duration audioDuration() {
        return Duration.ofMillis(format.durationMillis(audio.length));
    }

    /** The recognized text, or null when the agent has no speech recognition. */
    public String text() {
        return text;
    }

    /**
     * The conversation to send to the LLM: the history (system prompt first) ending with this
     * turn's user message.
     */
    public List<ChatMessage> messages() {
        return messages;
    }

    /**
     * The pipeline reports the answer it spoke (the whole text, or the part produced before an
     * interrupt); it is added to the conversation history. Only the first call counts.
     */
    public void reportAnswer(String answerText) {
        if (answerText != null && !answerText.isBlank() && answered.compareAndSet(false, true) && answerSink != null) {
            answerSink.accept(this, answerText);
        }
    }

    @Override
    public String toString() {
        return "UserTurn[" + userId + ", " + audioDuration().toMillis() + " ms" + (text == null ? "" : ", text") + "]";
    }
}
