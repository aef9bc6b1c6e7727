package io.voiceagent.core.stt.deepgram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.stt.SpeechStream;
import io.voiceagent.core.stt.SpeechStreamListener;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.stt.Transcript;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hosted streaming speech recognition over Deepgram's live transcription WebSocket
 * ({@code /v1/listen}). One connection per utterance: opened when the stream starts (audio written
 * meanwhile is sent once it is open), query {@code encoding=linear16&sample_rate=R&channels=C
 * &interim_results=true&punctuate=true&model=M[&language=L]}, header {@code Authorization: Token
 * <key>}. The PCM goes out as binary messages; {@link SpeechStream#finish()} sends
 * {@code {"type":"CloseStream"}}, after which the server flushes its last {@code Results}, sends
 * {@code Metadata} and closes.
 *
 * <p>Each {@code Results} message carries a segment's transcript; {@code is_final: true} fixes the
 * segment, {@code false} is an interim hypothesis of it. A partial is every fixed segment so far plus
 * the current interim one; the final transcript is every fixed segment, joined with spaces.
 *
 * <p><b>Threads.</b> Partials and the final future run on the HTTP client's threads. Sends are
 * chained (the JDK's WebSocket allows one outstanding send), so {@link SpeechStream#write} never
 * waits. Thread-safe; the key is only ever in the {@code Authorization} header.
 */
public final class DeepgramStt implements SpeechToText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeepgramConfig config;
    private final HttpClient http;

    public DeepgramStt(DeepgramConfig config) {
        this(config, HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build());
    }

    public DeepgramStt(DeepgramConfig config, HttpClient http) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public boolean isStreaming() {
        return true;
    }

    /** The whole utterance over one live connection (no partials reported). */
    @Override
    public CompletableFuture<Transcript> transcribe(byte[] pcm, PcmFormat format) {
        SpeechStream s = startStream(format, text -> { });
        s.write(pcm, 0, pcm.length - pcm.length % format.bytesPerSampleFrame());
        return s.finish();
    }

    @Override
    public SpeechStream startStream(PcmFormat format, SpeechStreamListener listener) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(listener, "listener");
        return new Stream(format, listener);
    }

    /** The live URI for {@code format}. */
    URI uriFor(PcmFormat format) {
        StringBuilder q = new StringBuilder("encoding=linear16&sample_rate=").append(format.sampleRateHz())
                .append("&channels=").append(format.channels()).append("&interim_results=true&punctuate=true&model=")
                .append(URLEncoder.encode(config.model(), StandardCharsets.UTF_8));
        if (config.language() != null) {
            q.append("&language=").append(URLEncoder.encode(config.language(), StandardCharsets.UTF_8));
        }
        String base = config.listenUri().toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + q);
    }

    @Override
    public String toString() {
        return "DeepgramStt[" + config + "]";
    }

    private final class Stream implements SpeechStream, WebSocket.Listener {
        private final PcmFormat format;
        private final SpeechStreamListener listener;
        private final CompletableFuture<WebSocket> socket;
        private final CompletableFuture<Transcript> result = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder(); // one message being assembled; I/O thread only
        private final List<String> fixed = new ArrayList<>(); // guarded by this
        private CompletableFuture<?> sends; // guarded by this: the tail of the send chain
        private boolean finishing; // guarded by this

        Stream(PcmFormat format, SpeechStreamListener listener) {
            this.format = format;
            this.listener = listener;
            this.socket = http.newWebSocketBuilder().connectTimeout(config.connectTimeout())
                    .header("Authorization", "Token " + config.apiKey())
                    .buildAsync(uriFor(format), this);
            this.sends = socket;
            socket.whenComplete((ws, e) -> {
                if (e != null) {
                    result.completeExceptionally(new IOException("Deepgram live connection to " + config.listenUri()
                            + " failed: " + rootMessage(e), unwrap(e)));
                }
            });
            result.whenComplete((t, e) -> {
                if (result.isCancelled()) {
                    socket.thenAccept(WebSocket::abort);
                    socket.cancel(true);
                }
            });
        }

        private synchronized void chain(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> send) {
            sends = sends.thenCompose(x -> socket.thenCompose(send));
            sends.whenComplete((x, e) -> {
                if (e != null && !result.isDone()) {
                    result.completeExceptionally(unwrap(e));
                }
            });
        }

        @Override
        public void write(byte[] pcm, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, pcm.length);
            if (length == 0) {
                return;
            }
            ByteBuffer copy = ByteBuffer.wrap(java.util.Arrays.copyOfRange(pcm, offset, offset + length));
            synchronized (this) {
                if (finishing || result.isDone()) {
                    return;
                }
                chain(ws -> ws.sendBinary(copy, true));
            }
        }

        @Override
        public CompletableFuture<Transcript> finish() {
            synchronized (this) {
                if (finishing || result.isDone()) {
                    return result;
                }
                finishing = true;
                chain(ws -> ws.sendText("{\"type\":\"CloseStream\"}", true));
            }
            CompletableFuture.delayedExecutor(config.finalTimeout().toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (result.completeExceptionally(new TimeoutException("Deepgram sent no final result within "
                        + config.finalTimeout().toMillis() + " ms of CloseStream"))) {
                    socket.thenAccept(WebSocket::abort);
                }
            });
            return result;
        }

        @Override
        public void cancel() {
            result.cancel(true);
            socket.thenAccept(WebSocket::abort);
        }

        // ---- WebSocket.Listener: the HTTP client's threads, one message at a time ----

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                try {
                    onMessage(ws, JSON.readTree(message));
                } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(new IOException("Deepgram sent a message that is not valid JSON: "
                            + (message.length() > 200 ? message.substring(0, 200) : message), e));
                    ws.abort();
                }
            }
            ws.request(1);
            return null;
        }

        private void onMessage(WebSocket ws, JsonNode m) {
            String type = m.path("type").asText("");
            switch (type) {
                case "Results" -> {
                    String t = m.path("channel").path("alternatives").path(0).path("transcript").asText("").strip();
                    boolean isFinal = m.path("is_final").asBoolean(false);
                    String partial;
                    synchronized (this) {
                        if (isFinal && !t.isEmpty()) {
                            fixed.add(t);
                        }
                        partial = String.join(" ", fixed) + (isFinal || t.isEmpty() ? "" : (fixed.isEmpty() ? "" : " ") + t);
                    }
                    if (!partial.isBlank() && !result.isDone()) {
                        listener.onPartial(partial.strip());
                    }
                }
                case "Metadata" -> {
                    boolean closing;
                    synchronized (this) {
                        closing = finishing;
                    }
                    if (closing) {
                        completeFinal();
                    }
                }
                case "Error" -> result.completeExceptionally(new IOException("Deepgram error: "
                        + m.path("description").asText(m.path("message").asText(m.toString()))));
                default -> {
                    // SpeechStarted, UtteranceEnd and types added later: nothing to do.
                }
            }
        }

        private void completeFinal() {
            String all;
            synchronized (this) {
                all = String.join(" ", fixed);
            }
            result.complete(new Transcript(all.strip()));
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            boolean closing;
            synchronized (this) {
                closing = finishing;
            }
            if (closing && statusCode == WebSocket.NORMAL_CLOSURE) {
                completeFinal();
            } else {
                result.completeExceptionally(new IOException("Deepgram closed the live connection: " + statusCode
                        + (reason == null || reason.isEmpty() ? "" : " " + reason)));
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            result.completeExceptionally(error);
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = unwrap(e);
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage() != null ? t.getMessage() : t);
    }
}
