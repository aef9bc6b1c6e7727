package io.voiceagent.core.stt;

import java.util.Objects;

/**
 * The text recognized in one utterance. Immutable.
 *
 * @param text the recognized text, stripped; empty if nothing was recognized
 */
public record Transcript(String text) {

    public Transcript {
        Objects.requireNonNull(text, "text");
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }
}
