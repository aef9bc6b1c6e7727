package io.voiceagent.core.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One streaming HTTP request whose {@code text/event-stream} response is parsed with
 * {@link SseParser} and handed to an {@link SseHandler}: an {@link HttpStreamCall} whose body goes
 * through the parser. The request is sent with {@link HttpClient#sendAsync}; the body is read
 * (blocking) on the given I/O executor.
 *
 * <p>{@link #cancel()} cancels the pending send and closes the response body stream, which aborts
 * the connection (the server sees the client go away). Thread-safe.
 */
public final class SseHttpCall implements StreamCall {
    private final HttpStreamCall call;

    private SseHttpCall(HttpStreamCall call) {
        this.call = call;
    }

    /**
     * Sends {@code request} and streams its response into {@code handler}.
     *
     * @param ioExecutor runs the blocking body read and every handler call
     */
    public static SseHttpCall start(HttpClient client, HttpRequest request, Executor ioExecutor, SseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        java.util.concurrent.atomic.AtomicReference<HttpStreamCall> self = new java.util.concurrent.atomic.AtomicReference<>();
        HttpStreamCall call = HttpStreamCall.start(client, request, ioExecutor, new HttpStreamCall.BodyHandler() {
            private boolean stop;
            private final SseParser parser = new SseParser(event -> {
                HttpStreamCall c = self.get();
                if (stop || (c != null && c.isCancelled())) {
                    return; // after a cancel no handler method starts
                }
                try {
                    if (!handler.onEvent(event)) {
                        stop = true;
                    }
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });

            @Override
            public boolean onBytes(byte[] buf, int off, int len) {
                parser.feed(buf, off, len);
                return !stop;
            }

            @Override
            public void onEnd() {
                parser.finish();
            }

            @Override
            public void onComplete() {
                handler.onComplete();
            }

            @Override
            public void onError(Throwable error) {
                handler.onError(error);
            }
        });
        self.set(call);
        return new SseHttpCall(call);
    }

    @Override
    public void cancel() {
        call.cancel();
    }

    @Override
    public boolean isCancelled() {
        return call.isCancelled();
    }

    @Override
    public CompletableFuture<Void> completion() {
        return call.completion();
    }
}
