package io.voiceagent.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.server.TestService;
import io.voiceagent.core.server.AudioModalitiesServer;
import io.voiceagent.core.server.AudioModalitiesServerConfig;
import io.voiceagent.testing.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Shared plumbing of the agent-server tests: the JVM's one {@link AgoraService} (loopback), an
 * audio-modalities server answering every turn with 0.6 s of recorded speech, join bodies, a small
 * HTTP client, unique channel names and bounded waits.
 */
final class TestAgents {
    static final String APP_ID = TestService.APP_ID;
    static final String BASE = AgentApiHandler.BASE + "/" + APP_ID;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong CHANNELS = new AtomicLong();
    private static AudioModalitiesServer llm;

    private TestAgents() {}

    static AgoraService service() {
        return TestService.get();
    }

    /** The local audio LLM: 0.6 s of the hello fixture and a transcript, streamed at once. */
    static synchronized URI llm() throws IOException {
        if (llm == null) {
            Path dir = Files.createTempDirectory("agent-api-llm");
            Path pcm = dir.resolve("answer.pcm");
            Files.write(pcm, Fixtures.slice(Fixtures.HELLO, 0, 600));
            Path text = dir.resolve("answer.txt");
            Files.writeString(text, "Hello from the agent server.", StandardCharsets.UTF_8);
            llm = AudioModalitiesServer.start(AudioModalitiesServerConfig.builder().port(0).pcmFile(pcm)
                    .transcriptFile(text).chunkInterval(Duration.ZERO).build());
        }
        return llm.baseUri();
    }

    static String channel(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + CHANNELS.incrementAndGet();
    }

    /** A join body: an audio LLM on the local server, espeak-ng for speak, idle timeout {@code idleSeconds}. */
    static ObjectNode joinBody(String name, String channel, String uid, int idleSeconds) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        ObjectNode p = body.putObject("properties");
        p.put("channel", channel);
        p.put("token", "");
        p.put("agent_rtc_uid", uid);
        p.putArray("remote_rtc_uids").add("*");
        p.put("idle_timeout", idleSeconds);
        ObjectNode llmBlock = p.putObject("llm");
        llmBlock.put("url", llm() + "/audio/chat/completions");
        llmBlock.put("api_key", "test-key-not-secret");
        llmBlock.putArray("output_modalities").add("audio");
        p.putObject("tts").put("vendor", "espeak-ng");
        return body;
    }

    /** Polls {@code condition} every 10 ms until true or {@code timeout}; returns the final value. */
    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return condition.getAsBoolean();
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** A response: status, JSON body (null if not JSON) and headers. */
    record Reply(int status, JsonNode json, String body, HttpHeaders headers) {
        String text(String field) {
            JsonNode n = json == null ? null : json.get(field);
            return n == null ? null : n.asText();
        }
    }

    /** A client of one server with optional credentials. */
    static final class Api {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final URI base;
        private final String authorization;

        Api(URI base, String authorization) {
            this.base = base;
            this.authorization = authorization;
        }

        static String basic(String key, String secret) {
            return "Basic " + Base64.getEncoder().encodeToString((key + ":" + secret).getBytes(StandardCharsets.UTF_8));
        }

        Api as(String otherAuthorization) {
            return new Api(base, otherAuthorization);
        }

        Reply get(String path) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET());
        }

        Reply post(String path, String body) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        Reply post(String path, JsonNode body) throws IOException, InterruptedException {
            return post(path, body.toString());
        }

        private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = JSON.readTree(r.body());
            } catch (IOException notJson) {
                // metrics text
            }
            return new Reply(r.statusCode(), json, r.body(), r.headers());
        }
    }
}
