package io.voiceagent.core.http;

import java.util.concurrent.CompletableFuture;

/**
 * A running streaming request: an HTTP exchange whose body is read as it arrives, or a local
 * process producing output. Single use, like OkHttp's {@code Call}.
 *
 * <p>{@link #cancel()} may be called from any thread, any number of times: it aborts the work
 * (cancels the HTTP request and closes the body stream, or destroys the process) and, once it
 * returns, no further callback of this call starts (one already running may finish). The
 * {@link #completion()} future then ends cancelled.
 *
 * <p>Thread-safe.
 */
public interface StreamCall {

    /** Aborts the call; idempotent and non-blocking. */
    void cancel();

    /** Whether {@link #cancel()} was called. */
    boolean isCancelled();

    /**
     * Completes normally when the stream ended and its listener's completion callback returned,
     * exceptionally with the failure the listener was given, or cancelled after {@link #cancel()}.
     * Cancelling this future cancels the call. Dependent stages run on the thread that completes
     * it (an I/O thread); keep them short.
     */
    CompletableFuture<Void> completion();
}
