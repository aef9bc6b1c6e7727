package io.voiceagent.core.http;

/**
 * Receives the events of one {@link SseHttpCall}. All methods run on one I/O thread at a time,
 * in stream order; after the call is cancelled no method starts. Exactly one of
 * {@link #onComplete()} or {@link #onError(Throwable)} ends an uncancelled call.
 */
public interface SseHandler {

    /**
     * One event. Return {@code false} to stop reading (for example at {@code [DONE]}): the body is
     * closed and {@link #onComplete()} follows. An exception fails the call.
     */
    boolean onEvent(SseEvent event) throws Exception;

    /** The stream ended (end of body, or {@link #onEvent} returned false). */
    void onComplete();

    /**
     * The call failed: connection error, timeout, {@link HttpStatusException}, malformed stream, or
     * an exception thrown by {@link #onEvent}. Must not throw.
     */
    void onError(Throwable error);
}
