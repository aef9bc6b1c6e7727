package io.voiceagent.core.llm;

import io.voiceagent.core.http.StreamCall;
import java.time.Duration;
import java.util.List;

/**
 * An offline "LLM" that answers with what it understood: {@code "You said: <the user's last
 * message>."} ({@code "I did not catch that."} for nothing), streamed word by word, one word every
 * {@code wordInterval} (a {@link ResponderChatClient}). So a voice agent runs end to end with no key
 * and no network, and what the recognizer heard is spoken back.
 *
 * <p>Callbacks run on one shared daemon timer thread ({@value #THREAD}); a call is cancelled by
 * {@link StreamCall#cancel()}, after which no callback starts. Thread-safe.
 */
public final class EchoChatClient implements ChatClient {
    static final String THREAD = ResponderChatClient.THREAD;

    private final Duration wordInterval;
    private final ResponderChatClient streaming;

    /** Words 20 ms apart. */
    public EchoChatClient() {
        this(Duration.ofMillis(20));
    }

    /** @param wordInterval between two streamed words (0..1 s) */
    public EchoChatClient(Duration wordInterval) {
        this.streaming = new ResponderChatClient(wordInterval, EchoChatClient::answer, "EchoChatClient");
        this.wordInterval = wordInterval;
    }

    /** The answer to {@code messages}. */
    public static String answer(List<ChatMessage> messages) {
        String said = "";
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role().equals("user")) {
                said = messages.get(i).content().strip();
                break;
            }
        }
        return said.isEmpty() ? "I did not catch that." : "You said: " + said + ".";
    }

    @Override
    public StreamCall streamChat(List<ChatMessage> messages, ChatStreamListener listener) {
        return streaming.streamChat(messages, listener);
    }

    @Override
    public String toString() {
        return "EchoChatClient[" + wordInterval.toMillis() + " ms/word]";
    }
}
