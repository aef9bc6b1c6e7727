package io.voiceagent.core.llm;

import io.voiceagent.core.http.StreamCall;
import java.util.List;

/**
 * A streaming chat LLM. Implementations are thread-safe and may run many calls at once.
 * {@link OpenAiChatClient} talks to any OpenAI-compatible {@code /chat/completions} endpoint.
 */
public interface ChatClient {

    /**
     * Starts a streaming completion of {@code messages}; returns at once. Cancel the returned call
     * (for example through {@code round.own(call::cancel)}) to abort the HTTP request.
     */
    StreamCall streamChat(List<ChatMessage> messages, ChatStreamListener listener);
}
