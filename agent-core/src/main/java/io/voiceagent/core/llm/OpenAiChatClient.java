package io.voiceagent.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.http.SseHttpCall;
import io.voiceagent.core.http.StreamCall;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * {@link ChatClient} for OpenAI-compatible streaming chat completions:
 * {@code POST {baseUri}/chat/completions} with {@code "stream": true}, read as Server-Sent Events
 * until {@code data: [DONE]} (or the end of the body). Each chunk's
 * {@code choices[0].delta.content} is a text delta; an {@code error} object fails the call.
 *
 * <p>Thread-safe; one instance serves many calls. The body is read on the I/O executor
 * (default {@link IoExecutors#shared()}). The API key is only sent in the
 * {@code Authorization} header, never logged.
 */
public final class OpenAiChatClient implements ChatClient {

    private final OpenAiConfig config;
    private final HttpClient http;
    private final Executor ioExecutor;

    /** A client with its own {@link HttpClient} and the shared I/O executor. */
    public OpenAiChatClient(OpenAiConfig config) {
        this(config, OpenAiHttp.newHttpClient(config), IoExecutors.shared());
    }

    public OpenAiChatClient(OpenAiConfig config, HttpClient http, Executor ioExecutor) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.ioExecutor = Objects.requireNonNull(ioExecutor, "ioExecutor");
    }

    public OpenAiConfig config() {
        return config;
    }

    @Override
    public StreamCall streamChat(List<ChatMessage> messages, ChatStreamListener listener) {
        Objects.requireNonNull(listener, "listener");
        ObjectNode body = OpenAiHttp.JSON.createObjectNode();
        body.put("model", config.model());
        body.put("stream", true);
        body.set("messages", OpenAiHttp.messages(messages));
        return SseHttpCall.start(http, OpenAiHttp.streamingPost(config, "/chat/completions", body), ioExecutor,
                new Handler(listener));
    }

    /** Confined to the call's reading thread. */
    private static final class Handler extends OpenAiChoiceHandler {
        private final ChatStreamListener listener;
        private final StringBuilder text = new StringBuilder();
        private String finishReason;

        Handler(ChatStreamListener listener) {
            this.listener = listener;
        }

        @Override
        protected void onChoice(JsonNode choice) {
            JsonNode content = choice.path("delta").path("content");
            if (content.isTextual() && !content.asText().isEmpty()) {
                text.append(content.asText());
                listener.onTextDelta(content.asText());
            }
            JsonNode finish = choice.path("finish_reason");
            if (finish.isTextual()) {
                finishReason = finish.asText();
            }
        }

        @Override
        public void onComplete() {
            listener.onComplete(text.toString(), finishReason);
        }

        @Override
        public void onError(Throwable error) {
            listener.onError(error);
        }
    }

    @Override
    public String toString() {
        return "OpenAiChatClient[" + config + "]";
    }
}
