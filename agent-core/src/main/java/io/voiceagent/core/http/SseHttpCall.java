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
 * One streaming HTTP request whose {@code text/event-stream} response is parsed with
 * {@link SseParser} and handed to an {@link SseHandler}. The request is sent with
 * {@link HttpClient#sendAsync}; the body is read (blocking) on the given I/O executor.
 *
 * <p>{@link #cancel()} cancels the pending send and closes the response body stream, which aborts
 * the connection (the server sees the client go away). Thread-safe.
 */
public final class SseHttpCall implements StreamCall {

    private static final Logger log = LoggerFactory.getLogger(SseHttpCall.class);
    private static final int ERROR_BODY_LIMIT = 2048;

    private final HttpRequest request;
    private final SseHandler handler;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<InputStream> body = new AtomicReference<>();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private volatile CompletableFuture<HttpResponse<InputStream>> send;

    private SseHttpCall(HttpRequest request, SseHandler handler) {
        this.request = request;
        this.handler = handler;
    }

    /**
     * Sends {@code request} and streams its response into {@code handler}.
     *
     * @param ioExecutor runs the blocking body read and every handler call
     */
    public static SseHttpCall start(HttpClient client, HttpRequest request, Executor ioExecutor, SseHandler handler) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(ioExecutor, "ioExecutor");
        SseHttpCall call = new SseHttpCall(Objects.requireNonNull(request, "request"),
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
            boolean[] stop = {false};
            SseParser parser = new SseParser(event -> {
                if (stop[0] || cancelled.get()) {
                    return;
                }
                try {
                    if (!handler.onEvent(event)) {
                        stop[0] = true;
                    }
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            byte[] buf = new byte[8192];
            int n;
            while (!stop[0] && !cancelled.get() && (n = in.read(buf)) >= 0) {
                parser.feed(buf, 0, n);
            }
            if (!stop[0] && !cancelled.get()) {
                parser.finish();
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

    private void fail(Throwable t) {
        if (cancelled.get()) {
            return; // the failure is the cancellation itself (closed stream, cancelled send)
        }
        try {
            handler.onError(t);
        } catch (Throwable t2) {
            log.warn("SseHandler.onError threw; ignored", t2);
        }
        completion.completeExceptionally(t);
    }
}
