package io.voiceagent.core.llm;

import io.voiceagent.core.http.StreamCall;
import java.util.List;

/**
 * An LLM that answers with speech: one streaming request per turn returns the answer's transcript
 * and its PCM audio (the "audio modalities" endpoint; {@link AudioModalitiesClient} speaks to it).
 * In an agent session it replaces the chat LLM and the TTS. Implementations are thread-safe.
 */
public interface AudioChatClient {

    /**
     * Starts answering {@code messages}; returns at once. The audio must be PCM16 in the format of the
     * session's output (16 kHz mono by default). Cancel the call to abort the request.
     */
    StreamCall stream(List<ChatMessage> messages, AudioModalitiesListener listener);
}
