package io.voiceagent.core.agent;

import io.voiceagent.core.llm.ChatMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The messages of one session's conversation: an optional system prompt that is always kept, then
 * the most recent user and assistant messages, at most {@code maxMessages} of them (older ones are
 * forgotten first, so an LLM request stays bounded in a long session).
 *
 * <p>Confined to the session's executor (not thread-safe); {@link #messages()} returns an immutable
 * snapshot that may be handed to other threads.
 */
final class ConversationHistory {
    static final int MAX_MESSAGES_LIMIT = 10_000;

    private ChatMessage system; // may be null
    private final int maxMessages;
    private final ArrayDeque<ChatMessage> messages = new ArrayDeque<>();

    /**
     * @param systemPrompt kept at the head of every snapshot; null or blank for none
     * @param maxMessages how many user/assistant messages to keep; 1..{@value #MAX_MESSAGES_LIMIT}
     */
    ConversationHistory(String systemPrompt, int maxMessages) {
        if (maxMessages < 1 || maxMessages > MAX_MESSAGES_LIMIT) {
            throw new IllegalArgumentException("maxHistoryMessages must be in 1.." + MAX_MESSAGES_LIMIT + "; got "
                    + maxMessages);
        }
        this.system = systemPrompt == null || systemPrompt.isBlank() ? null : ChatMessage.system(systemPrompt);
        this.maxMessages = maxMessages;
    }

    /** Appends a message, forgetting the oldest one beyond the bound. */
    void add(ChatMessage message) {
        messages.addLast(Objects.requireNonNull(message, "message"));
        while (messages.size() > maxMessages) {
            messages.removeFirst();
        }
    }

    /** Replaces the system prompt; null or blank for none. */
    void setSystemPrompt(String systemPrompt) {
        this.system = systemPrompt == null || systemPrompt.isBlank() ? null : ChatMessage.system(systemPrompt);
    }

    /** Forgets every user and assistant message; the system prompt stays. */
    void clear() {
        messages.clear();
    }

    /** A snapshot: the system prompt (if any), then the kept messages, oldest first. */
    List<ChatMessage> messages() {
        List<ChatMessage> out = new ArrayList<>(messages.size() + 1);
        if (system != null) {
            out.add(system);
        }
        out.addAll(messages);
        return List.copyOf(out);
    }
}
