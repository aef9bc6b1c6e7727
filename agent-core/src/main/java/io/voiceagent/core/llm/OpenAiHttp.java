package io.voiceagent.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.http.OpenAiConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.List;

/** Request building and response checks shared by the OpenAI-compatible clients. */
final class OpenAiHttp {

    static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiHttp() {
    }

    static HttpClient newHttpClient(OpenAiConfig config) {
        // HTTP/1.1: closing a cancelled stream's body then closes the TCP connection, so the
        // server stops generating at once.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.connectTimeout())
                .build();
    }

    static HttpRequest streamingPost(OpenAiConfig config, String path, ObjectNode body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(config.resolve(path))
                .timeout(config.responseTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (config.hasApiKey()) {
            b.header("Authorization", "Bearer " + config.apiKey());
        }
        return b.build();
    }

    static ArrayNode messages(List<ChatMessage> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("messages must not be empty");
        }
        ArrayNode arr = JSON.createArrayNode();
        for (ChatMessage m : messages) {
            arr.addObject().put("role", m.role()).put("content", m.content());
        }
        return arr;
    }

    /** Throws if the chunk is an error object ({@code {"error": {...}}}). */
    static void checkError(JsonNode chunk) throws LlmException {
        JsonNode err = chunk.get("error");
        if (err != null && !err.isNull()) {
            JsonNode msg = err.get("message");
            throw new LlmException("LLM stream returned an error: " + (msg != null ? msg.asText() : err.toString()));
        }
    }

    static JsonNode parse(String data) throws LlmException {
        try {
            return JSON.readTree(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String excerpt = data.length() > 200 ? data.substring(0, 200) + "..." : data;
            throw new LlmException("LLM stream sent a data line that is not JSON: " + excerpt, e);
        }
    }

    /** {@code choices[0]}, or a missing node. */
    static JsonNode firstChoice(JsonNode chunk) {
        return chunk.path("choices").path(0);
    }
}
