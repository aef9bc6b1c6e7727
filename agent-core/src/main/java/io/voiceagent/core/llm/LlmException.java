package io.voiceagent.core.llm;

import java.io.IOException;

/** The LLM endpoint sent an error object or a stream this client cannot interpret. */
public final class LlmException extends IOException {

    public LlmException(String message) {
        super(message);
    }

    public LlmException(String message, Throwable cause) {
        super(message, cause);
    }
}
