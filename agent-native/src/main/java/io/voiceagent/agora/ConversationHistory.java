package io.voiceagent.agora;

import io.voiceagent.core.llm.ChatMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The messages of one conversation (one {@link VoiceAgent}): an optional system prompt that is
 * always kept, then the most recent user and assistant messages, at most {@code maxMessages} of
 * them (older ones are forgotten first, so the LLM request stays bounded in a long session).
 *
 * <p>Thread-safe: turns are added on the connection executor or an I/O thread, answers on I/O
 * threads.
 */
public final class ConversationHistory {
    private final ChatMessage system; // may be null
    private final int maxMessages;
    private final ArrayDeque<ChatMessage> messages = new ArrayDeque<>(); // Guarded by this.

    /**
     * @param systemPrompt kept at the head of every {@link #messages()} snapshot; null or blank for none
     * @param maxMessages how many user/assistant messages to keep; 1..10000
     */
    public ConversationHistory(String systemPrompt, int maxMessages) {
        if (maxMessages < 1 || maxMessages > 10_000) {
            throw new IllegalArgumentException("maxMessages must be in 1..10000; got " + maxMessages);
        }
        this.system = systemPrompt == null || systemPrompt.isBlank() ? null : ChatMessage.system(systemPrompt);
        this.maxMessages = maxMessages;
    }

    /** Appends a message, forgetting the oldest one beyond the bound. */
    public synchronized void add(ChatMessage message) {
        Objects.requireNonNull(message, "message");
        messages.addLast(message);
        while (messages.size() > maxMessages) {
            messages.removeFirst();
        }
    }

    /** A snapshot: the system prompt (if any), then the kept messages, oldest first. */
    public synchronized List<ChatMessage> messages() {
        List<ChatMessage> out = new ArrayList<>(messages.size() + 1);
        if (system != null) {
            out.add(system);
        }
        out.addAll(messages);
        return List.copyOf(out);
    }

    /** Kept user/assistant messages (the system prompt not counted). */
    public synchronized int size() {
        return messages.size();
    }

    public int maxMessages() {
        return maxMessages;
    }
}
