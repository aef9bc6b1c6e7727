package io.voiceagent.core.llm;

import java.util.Objects;

/**
 * One message of a chat conversation. Immutable.
 *
 * @param role {@code system}, {@code user} or {@code assistant} (any non-blank role is passed through)
 * @param content the text
 */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank; got " + role);
        }
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }
}
