package io.voiceagent.core.llm;

/**
 * Receives one streaming chat completion. Methods run on an I/O thread, one at a time, in stream
 * order. After the call is cancelled no method starts. An uncancelled call ends with exactly one
 * of {@link #onComplete} or {@link #onError}. Methods should be quick (they delay reading the
 * stream) and must not throw ({@link #onTextDelta} throwing fails the call).
 */
public interface ChatStreamListener {

    /** The next piece of the answer ({@code choices[0].delta.content}); never empty. */
    void onTextDelta(String delta);

    /**
     * The stream ended ({@code [DONE]} or end of body).
     *
     * @param fullText all deltas concatenated
     * @param finishReason {@code choices[0].finish_reason} of the last chunk that had one, or null
     */
    default void onComplete(String fullText, String finishReason) {}

    /** The call failed: {@link io.voiceagent.core.http.HttpStatusException}, {@link LlmException}, I/O error. */
    default void onError(Throwable error) {}
}
