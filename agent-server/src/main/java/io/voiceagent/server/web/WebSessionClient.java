package io.voiceagent.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A Java client of the {@link WebSessionEndpoint} protocol (the JDK's WebSocket): sends commands and
 * framed microphone PCM, records everything the server sends, in order, with its arrival time. For
 * tests, benchmarks and bots that talk to a web session.
 *
 * <p>Thread-safe: sends are serialized (each waits for the previous one), the record is guarded by
 * this object and {@link #await} waits on it. Received messages are also handed to an optional
 * observer on the JDK client's thread.
 */
public final class WebSessionClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One message from the server: JSON ({@link #json} set, {@link #type} its type) or binary PCM
     * ({@link #pcm} set, {@link #type} {@code "binary"}).
     *
     * @param atNanos {@link System#nanoTime()} at arrival
     */
    public record Received(String type, JsonNode json, byte[] pcm, long atNanos) {
        public boolean isAudio() {
            return pcm != null;
        }

        /** The JSON field {@code field} as text ("" if absent). */
        public String text(String field) {
            return json == null ? "" : json.path(field).asText("");
        }
    }

    private final WebSocket ws;
    private final List<Received> received = new ArrayList<>(); // guarded by this
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private volatile Consumer<Received> observer;

    private WebSessionClient(HttpClient http, URI uri, Duration timeout) {
        try {
            this.ws = http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, new Listener())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot connect to " + uri + ": " + e, e);
        }
    }

    /** Connects to {@code uri} ({@code ws://host:port/ws}). */
    public static WebSessionClient connect(URI uri) {
        return connect(HttpClient.newHttpClient(), uri, Duration.ofSeconds(10));
    }

    public static WebSessionClient connect(HttpClient http, URI uri, Duration timeout) {
        return new WebSessionClient(http, Objects.requireNonNull(uri, "uri"), timeout);
    }

    /** Receives every message too (on the JDK client's thread; must be quick). */
    public void observe(Consumer<Received> observer) {
        this.observer = observer;
    }

    public void start() {
        command("start");
    }

    public void stop() {
        command("stop");
    }

    public void reset() {
        command("reset");
    }

    public void interrupt() {
        command("interrupt");
    }

    public void textInput(String text) {
        ObjectNode n = JSON.createObjectNode().put("type", "text_input").put("text", text);
        sendText(n.toString());
    }

    private void command(String type) {
        sendText(JSON.createObjectNode().put("type", type).toString());
    }

    /** Sends {@code text} as is (a JSON command, or anything else to test the server). */
    public void sendText(String text) {
        synchronized (sendLock) {
            ws.sendText(text, true).join();
        }
    }

    /** Sends a microphone block: the 8-byte header and {@code length} bytes of PCM16. */
    public void sendAudio(long timestampMs, int flags, byte[] pcm, int offset, int length) {
        ByteBuffer b = ByteBuffer.allocate(8 + length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) timestampMs).putInt(flags).put(pcm, offset, length).flip();
        // Back to big-endian before sending: the JDK 17 WebSocket client masks 8 bytes at a time through
        // the buffer's own byte order, which scrambles a little-endian buffer on the wire.
        b.order(ByteOrder.BIG_ENDIAN);
        sendBinary(b);
    }

    /** Sends {@code data} as one binary message, as is. */
    public void sendBinary(ByteBuffer data) {
        synchronized (sendLock) {
            ws.sendBinary(data, true).join();
        }
    }

    /** The status flags word: energy 0-255, silence, first block. */
    public static int flags(int energy, boolean silence, boolean firstBlock) {
        return Math.max(0, Math.min(255, energy)) | (silence ? 1 << 8 : 0) | (firstBlock ? 1 << 9 : 0);
    }

    /** Everything received so far, in order. */
    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    /** The JSON messages of {@code type} received so far. */
    public synchronized List<Received> messages(String type) {
        return received.stream().filter(r -> r.type().equals(type)).toList();
    }

    /**
     * Waits until a message at index {@code from} or later matches {@code match}; returns its index.
     *
     * @throws AssertionError if none arrives within {@code timeout} (the message lists what arrived)
     */
    public synchronized int await(int from, Predicate<Received> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int i = from;
        while (true) {
            for (; i < received.size(); i++) {
                if (match.test(received.get(i))) {
                    return i;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching message within " + timeout.toMillis() + " ms; received types: "
                        + received.stream().skip(Math.max(0, received.size() - 60)).map(Received::type).toList());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Waits for a JSON message of {@code type} at index {@code from} or later; returns its index. */
    public int await(int from, String type, Duration timeout) throws InterruptedException {
        return await(from, r -> r.type().equals(type), timeout);
    }

    /** Completes with the server's close code when the socket closes. */
    public CompletableFuture<Integer> closeFuture() {
        return closed.copy();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            try {
                synchronized (sendLock) {
                    ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                ws.abort();
            }
        }
    }

    /** Drops the connection without a close frame. */
    public void abort() {
        ws.abort();
    }

    private void add(Received r) {
        synchronized (this) {
            received.add(r);
            notifyAll();
        }
        Consumer<Received> o = observer;
        if (o != null) {
            o.accept(r);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                long now = System.nanoTime();
                try {
                    JsonNode n = JSON.readTree(text.toString());
                    add(new Received(n.path("type").asText("?"), n, null, now));
                } catch (IOException e) {
                    throw new UncheckedIOException("the server sent invalid JSON: " + text, e);
                } finally {
                    text.setLength(0);
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                add(new Received("binary", null, binary.toByteArray(), System.nanoTime()));
                binary = new java.io.ByteArrayOutputStream();
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            synchronized (WebSessionClient.this) {
                WebSessionClient.this.notifyAll();
            }
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
