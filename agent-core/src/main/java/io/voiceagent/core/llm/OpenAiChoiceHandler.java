package io.voiceagent.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.voiceagent.core.http.SseEvent;
import io.voiceagent.core.http.SseHandler;

/**
 * The part every OpenAI-compatible streaming response shares: stop at {@code [DONE]}, skip
 * keep-alive events, parse each chunk, fail on an error object, and hand the first choice on.
 * Confined to the call's reading thread.
 */
abstract class OpenAiChoiceHandler implements SseHandler {

    @Override
    public final boolean onEvent(SseEvent event) throws Exception {
        String data = event.data().strip();
        if (data.equals("[DONE]")) {
            return false;
        }
        if (data.isEmpty()) {
            return true;
        }
        JsonNode chunk = OpenAiHttp.parse(data);
        OpenAiHttp.checkError(chunk);
        onChoice(OpenAiHttp.firstChoice(chunk));
        return true;
    }

    /** One streamed chunk's first choice ({@code choices[0]}). An exception fails the call. */
    protected abstract void onChoice(JsonNode choice) throws Exception;
}
