package io.voiceagent.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.http.SseHttpCall;
import io.voiceagent.core.http.StreamCall;
import java.net.http.HttpClient;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Client of the "audio modalities" endpoint: {@code POST {baseUri}/audio/chat/completions} with
 * {@code "modalities": ["text","audio"]} and {@code "stream": true}. The answer streams as SSE:
 * transcript deltas ({@code choices[0].delta.audio.transcript}, or {@code delta.content}), then
 * base64 PCM chunks ({@code choices[0].delta.audio.data}) that all carry the same
 * {@code delta.audio.id}, then {@code data: [DONE]}. A chunk with a different audio id, a chunk
 * that is not JSON, bad base64 or an {@code error} object fail the call with {@link LlmException}.
 *
 * <p>In an agent session, give it as the audio LLM: {@code AgentSession.builder().audioLlm(client)}.
 *
 * <p>Thread-safe; one instance serves many calls.
 */
public final class AudioModalitiesClient implements AudioChatClient {

    /** The endpoint path appended to the base URI. */
    public static final String PATH = "/audio/chat/completions";

    private final OpenAiConfig config;
    private final HttpClient http;
    private final Executor ioExecutor;

    public AudioModalitiesClient(OpenAiConfig config) {
        this(config, OpenAiHttp.newHttpClient(config), IoExecutors.shared());
    }

    public AudioModalitiesClient(OpenAiConfig config, HttpClient http, Executor ioExecutor) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.ioExecutor = Objects.requireNonNull(ioExecutor, "ioExecutor");
    }

    public OpenAiConfig config() {
        return config;
    }

    /** Starts the request; returns at once. Cancel the call to abort the HTTP exchange. */
    @Override
    public StreamCall stream(List<ChatMessage> messages, AudioModalitiesListener listener) {
        Objects.requireNonNull(listener, "listener");
        ObjectNode body = OpenAiHttp.JSON.createObjectNode();
        body.put("model", config.model());
        body.put("stream", true);
        body.putArray("modalities").add("text").add("audio");
        body.putObject("audio").put("format", "pcm16");
        body.set("messages", OpenAiHttp.messages(messages));
        return SseHttpCall.start(http, OpenAiHttp.streamingPost(config, PATH, body), ioExecutor, new Handler(listener));
    }

    /** Confined to the call's reading thread. */
    private static final class Handler extends OpenAiChoiceHandler {
        private final AudioModalitiesListener listener;
        private String audioId;

        Handler(AudioModalitiesListener listener) {
            this.listener = listener;
        }

        @Override
        protected void onChoice(JsonNode choice) throws Exception {
            JsonNode delta = choice.path("delta");
            JsonNode content = delta.path("content");
            if (content.isTextual() && !content.asText().isEmpty()) {
                listener.onTranscript(content.asText());
            }
            JsonNode audio = delta.path("audio");
            if (!audio.isObject()) {
                return;
            }
            JsonNode id = audio.path("id");
            if (id.isTextual()) {
                if (audioId == null) {
                    audioId = id.asText();
                } else if (!audioId.equals(id.asText())) {
                    throw new LlmException("audio id changed within one answer: " + audioId + " then " + id.asText());
                }
            }
            JsonNode transcript = audio.path("transcript");
            if (transcript.isTextual() && !transcript.asText().isEmpty()) {
                listener.onTranscript(transcript.asText());
            }
            JsonNode b64 = audio.path("data");
            if (b64.isTextual() && !b64.asText().isEmpty()) {
                byte[] pcm;
                try {
                    pcm = Base64.getDecoder().decode(b64.asText());
                } catch (IllegalArgumentException e) {
                    throw new LlmException("audio chunk is not valid base64", e);
                }
                listener.onAudio(audioId == null ? "" : audioId, pcm);
            }
        }

        @Override
        public void onComplete() {
            listener.onComplete();
        }

        @Override
        public void onError(Throwable error) {
            listener.onError(error);
        }
    }

    @Override
    public String toString() {
        return "AudioModalitiesClient[" + config + "]";
    }
}
