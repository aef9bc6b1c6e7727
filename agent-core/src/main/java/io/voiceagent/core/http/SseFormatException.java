package io.voiceagent.core.http;

/** A Server-Sent Events stream broke a limit of {@link SseParser} (a line longer than allowed). */
public final class SseFormatException extends RuntimeException {

    public SseFormatException(String message) {
        super(message);
    }
}
