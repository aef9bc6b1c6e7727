package io.voiceagent.core.server;

import io.voiceagent.core.concurrent.DaemonThreads;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.voiceagent.core.llm.AudioModalitiesClient;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for an audio-modalities LLM: serves {@code POST .../audio/chat/completions}
 * (any path ending so, e.g. with a {@code /v1} prefix) and answers every valid request with the
 * configured transcript and PCM file as Server-Sent Events: one chunk with
 * {@code choices[0].delta.audio.transcript}, then the PCM in chunks of
 * {@link AudioModalitiesServerConfig#chunkDuration()} as base64 {@code delta.audio.data} sharing
 * one audio id, paced one per {@link AudioModalitiesServerConfig#chunkInterval()} on absolute
 * deadlines, then {@code data: [DONE]}.
 *
 * <p>Errors: no or wrong {@code Authorization: Bearer} -> 401; not POST -> 405; body not a JSON
 * object -> 400; {@code "stream"} other than {@code true} (it may be left out) -> 400 "chat
 * completions require streaming"; PCM or transcript file missing -> 404; other paths -> 404.
 * Error bodies are OpenAI-style {@code {"error": {"message", "type"}}}.
 *
 * <p>When the client disconnects mid-stream, the next write fails and the stream stops (the
 * outcome is reported by {@link #awaitStreamEnd}). Built on the JDK's
 * {@code com.sun.net.httpserver}; each stream runs on its own daemon thread. Thread-safe;
 * {@link #close()} stops the server and ends running streams; idempotent.
 */
public final class AudioModalitiesServer implements AutoCloseable {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static final Logger log = LoggerFactory.getLogger(AudioModalitiesServer.class);

    /** How a stream ended. */
    public enum StreamEnd { COMPLETED, CLIENT_DISCONNECTED }

    /**
     * The outcome of one stream.
     *
     * @param end how it ended
     * @param audioChunksSent audio chunks written successfully before the end
     * @param audioChunksTotal audio chunks the file holds
     */
    public record StreamOutcome(StreamEnd end, int audioChunksSent, int audioChunksTotal) {
    }

    private final AudioModalitiesServerConfig config;
    private final HttpServer server;
    private final ExecutorService executor;
    private final LinkedBlockingQueue<StreamOutcome> outcomes = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    /**
     * The JDK's HTTP server leaves Nagle's algorithm on unless this property is set before its first
     * server is created: a streamed response then waits for the client's delayed ACK (40 ms on Linux)
     * between the headers and the first event, which {@code bench interrupt} showed as 40 ms of
     * "LLM latency" in every round. A streaming server must send each event at once; an explicit
     * setting by the application is left alone.
     */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
    }

    private AudioModalitiesServer(AudioModalitiesServerConfig config) throws IOException {
        this.config = config;
        this.server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 50);
        this.executor = Executors.newCachedThreadPool(DaemonThreads.named("audio-modalities-server-"));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Binds and starts the server.
     *
     * @throws IOException if the address cannot be bound
     */
    public static AudioModalitiesServer start(AudioModalitiesServerConfig config) throws IOException {
        AudioModalitiesServer s = new AudioModalitiesServer(Objects.requireNonNull(config, "config"));
        s.server.start();
        log.info("audio-modalities server listening on {}", s.baseUri());
        return s;
    }

    /** The bound port (the ephemeral one if the config said 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port/v1}: a base URI for {@link AudioModalitiesClient} (any prefix works). */
    public URI baseUri() {
        return URI.create("http://" + config.bindAddress().getHostAddress() + ":" + port() + "/v1");
    }

    public AudioModalitiesServerConfig config() {
        return config;
    }

    /**
     * Waits for the next stream (in the order they ended) to end.
     *
     * @return its outcome, or null if none ended within the timeout
     */
    public StreamOutcome awaitStreamEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return outcomes.poll(timeout, unit);
    }

    /** Stops accepting connections and closes open ones (running streams end); idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!path.endsWith(AudioModalitiesClient.PATH)) {
                sendError(ex, 404, "not_found", "no such endpoint: " + path);
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "POST");
                sendError(ex, 405, "method_not_allowed", "use POST");
                return;
            }
            if (!authorized(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                sendError(ex, 401, "invalid_api_key", "missing or wrong Authorization: Bearer token");
                return;
            }
            JsonNode request;
            try (InputStream in = ex.getRequestBody()) {
                request = JSON.readTree(in);
            } catch (JsonProcessingException e) {
                sendError(ex, 400, "invalid_request_error", "request body is not valid JSON");
                return;
            }
            if (request == null || !request.isObject()) {
                sendError(ex, 400, "invalid_request_error", "request body must be a JSON object");
                return;
            }
            // As the reference server: "stream" defaults to true, and anything else is refused.
            JsonNode stream = request.get("stream");
            if (stream != null && !(stream.isBoolean() && stream.booleanValue())) {
                sendError(ex, 400, "invalid_request_error", "chat completions require streaming");
                return;
            }
            byte[] pcm;
            String transcript;
            try {
                pcm = Files.readAllBytes(config.pcmFile());
                transcript = Files.readString(config.transcriptFile(), StandardCharsets.UTF_8).strip();
            } catch (NoSuchFileException e) {
                sendError(ex, 404, "not_found", "file not found on the server: " + e.getFile());
                return;
            }
            stream(ex, transcript, pcm);
        } catch (RuntimeException e) {
            log.warn("audio-modalities request failed", e);
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String token = header.substring(7).strip();
        if (token.isEmpty()) {
            return false;
        }
        if (config.apiKey() == null) {
            return true;
        }
        return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                config.apiKey().getBytes(StandardCharsets.UTF_8));
    }

    private void stream(HttpExchange ex, String transcript, byte[] pcm) throws IOException {
        int chunkBytes = config.chunkBytes();
        int total = (pcm.length + chunkBytes - 1) / chunkBytes;
        String audioId = "audio_" + UUID.randomUUID().toString().replace("-", "");
        String completionId = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        int sent = 0;
        try {
            ObjectNode first = chunk(completionId, audioId);
            ((ObjectNode) first.at("/choices/0/delta")).put("role", "assistant");
            ((ObjectNode) first.at("/choices/0/delta/audio")).put("transcript", transcript);
            writeEvent(out, first.toString());
            long intervalNanos = config.chunkInterval().toNanos();
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                if (intervalNanos > 0) {
                    long deadline = start + i * intervalNanos;
                    long wait;
                    while ((wait = deadline - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                        if (closed) {
                            throw new IOException("server closed");
                        }
                    }
                }
                int from = i * chunkBytes;
                byte[] piece = Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + chunkBytes));
                ObjectNode c = chunk(completionId, audioId);
                ((ObjectNode) c.at("/choices/0/delta/audio")).put("data", Base64.getEncoder().encodeToString(piece));
                writeEvent(out, c.toString());
                sent++;
            }
            ObjectNode last = JSON.createObjectNode();
            last.put("id", completionId).put("object", "chat.completion.chunk");
            last.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("delta");
            writeEvent(out, last.toString());
            writeEvent(out, "[DONE]");
            out.close();
            outcomes.add(new StreamOutcome(StreamEnd.COMPLETED, sent, total));
        } catch (IOException e) {
            log.debug("client went away after {} of {} audio chunks: {}", sent, total, e.toString());
            outcomes.add(new StreamOutcome(StreamEnd.CLIENT_DISCONNECTED, sent, total));
        }
    }

    private static ObjectNode chunk(String completionId, String audioId) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", completionId).put("object", "chat.completion.chunk");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").putObject("audio").put("id", audioId);
        choice.putNull("finish_reason");
        return c;
    }

    private static void writeEvent(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sendError(HttpExchange ex, int status, String type, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type);
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public String toString() {
        return "AudioModalitiesServer[" + config + "]";
    }
}
