package io.voiceagent.core.tts;

import java.io.IOException;

/** A TTS engine could not be run or produced unusable output. */
public final class TtsException extends IOException {

    public TtsException(String message) {
        super(message);
    }

    public TtsException(String message, Throwable cause) {
        super(message, cause);
    }
}
