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
        return io.voiceagent.core.http.OpenAiRequests.newHttpClient(config);
    }

    static HttpRequest streamingPost(OpenAiConfig config, String path, ObjectNode body) {
        return io.voiceagent.core.http.OpenAiRequests.post(config, path, body.toString(), "text/event-stream");
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
