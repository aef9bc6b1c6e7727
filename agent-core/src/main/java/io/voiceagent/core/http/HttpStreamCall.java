package io.voiceagent.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One streaming HTTP request whose response body is handed to a {@link BodyHandler} as it arrives
 * (raw bytes: a PCM stream, or an event stream that {@link SseHttpCall} parses). The request is sent
 * with {@link HttpClient#sendAsync}; the body is read (blocking) on the given I/O executor. A non-2xx
 * status fails the call with an {@link HttpStatusException} carrying an excerpt of the body.
 *
 * <p>{@link #cancel()} cancels the pending send and closes the response body stream, which aborts
 * the connection (the server sees the client go away). Thread-safe.
 */
public final class HttpStreamCall implements StreamCall {

    private static final Logger log = LoggerFactory.getLogger(HttpStreamCall.class);
    private static final int ERROR_BODY_LIMIT = 2048;

    private final HttpRequest request;
    private final BodyHandler handler;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<InputStream> body = new AtomicReference<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private volatile CompletableFuture<HttpResponse<InputStream>> send;

    private HttpStreamCall(HttpRequest request, BodyHandler handler) {
        this.request = request;
        this.handler = handler;
    }

    /**
     * Sends {@code request} and streams its response into {@code handler}.
     *
     * @param ioExecutor runs the blocking body read and every handler call
     */
    public static HttpStreamCall start(HttpClient client, HttpRequest request, Executor ioExecutor, BodyHandler handler) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(ioExecutor, "ioExecutor");
        HttpStreamCall call = new HttpStreamCall(Objects.requireNonNull(request, "request"),
                Objects.requireNonNull(handler, "handler"));
        call.completion.whenComplete((v, t) -> {
            if (t instanceof CancellationException) {
                call.cancel();
            }
        });
        CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        call.send = f;
        f.whenCompleteAsync(call::onResponse, ioExecutor);
        if (call.cancelled.get()) {
            f.cancel(true);
        }
        return call;
    }

    @Override
    public void cancel() {
        if (!cancelled.compareAndSet(false, true)) {
            return;
        }
        CompletableFuture<HttpResponse<InputStream>> f = send;
        if (f != null) {
            f.cancel(true);
        }
        closeBody();
        completion.cancel(false);
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public CompletableFuture<Void> completion() {
        return completion;
    }

    private void closeBody() {
        InputStream in = body.getAndSet(null);
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                log.debug("closing response body of {} {}", request.method(), request.uri(), e);
            }
        }
    }

    private void onResponse(HttpResponse<InputStream> response, Throwable error) {
        if (error != null) {
            fail(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            return;
        }
        InputStream in = response.body();
        body.set(in);
        if (cancelled.get()) {
            closeBody();
            return;
        }
        try {
            if (response.statusCode() / 100 != 2) {
                byte[] excerpt = in.readNBytes(ERROR_BODY_LIMIT);
                closeBody();
                fail(new HttpStatusException(request.method(), request.uri(), response.statusCode(),
                        new String(excerpt, StandardCharsets.UTF_8).strip()));
                return;
            }
            boolean stop = false;
            byte[] buf = new byte[8192];
            int n;
            while (!stop && !cancelled.get() && (n = in.read(buf)) >= 0) {
                stop = !handler.onBytes(buf, 0, n);
            }
            if (!stop && !cancelled.get()) {
                handler.onEnd();
            }
            closeBody();
            if (!cancelled.get()) {
                handler.onComplete();
                completion.complete(null);
            }
        } catch (Throwable t) {
            closeBody();
            fail(t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
        }
    }

    /**
     * Receives the body of one {@link HttpStreamCall}. All methods run on one I/O thread at a time, in
     * stream order; after the call is cancelled no method starts. Exactly one of {@link #onComplete()}
     * or {@link #onError(Throwable)} ends an uncancelled call.
     */
    public interface BodyHandler {

        /**
         * {@code len} more bytes of the body (the array is reused after the call returns). Return
         * false to stop reading: the body is closed and {@link #onComplete()} follows. An exception
         * fails the call.
         */
        boolean onBytes(byte[] buf, int off, int len) throws Exception;

        /** The body ended (not called when {@link #onBytes} stopped the reading). An exception fails the call. */
        default void onEnd() throws Exception {}

        /** The call succeeded. */
        void onComplete();

        /** The call failed (connection, timeout, status, or a handler exception). Must not throw. */
        void onError(Throwable error);
    }

    private void fail(Throwable t) {
        if (cancelled.get()) {
            return; // the failure is the cancellation itself (closed stream, cancelled send)
        }
        try {
            handler.onError(t);
        } catch (Throwable t2) {
            log.warn("BodyHandler.onError threw; ignored", t2);
        }
        completion.completeExceptionally(t);
    }
}
