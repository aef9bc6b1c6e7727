package io.voiceagent.core.llm;

import io.voiceagent.core.server.AudioModalitiesServer;
import io.voiceagent.core.server.AudioModalitiesServerConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.http.HttpStatusException;
import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.http.StreamCall;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The audio-modalities client against the bundled server over real HTTP on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AudioModalitiesClientServerTest {

    private static final String KEY = "sk-test-123";
    private static final List<ChatMessage> MESSAGES = List.of(ChatMessage.user("Say hello"));

    @TempDir
    Path dir;
    private AudioModalitiesServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private byte[] writeFiles(int pcmBytes, String transcript) throws Exception {
        byte[] pcm = new byte[pcmBytes];
        new Random(42).nextBytes(pcm);
        Files.write(dir.resolve("a.pcm"), pcm);
        Files.writeString(dir.resolve("a.txt"), transcript + "\n", StandardCharsets.UTF_8);
        return pcm;
    }

    private AudioModalitiesServer startServer(Duration interval) throws Exception {
        server = AudioModalitiesServer.start(AudioModalitiesServerConfig.builder().port(0).apiKey(KEY)
                .pcmFile(dir.resolve("a.pcm")).transcriptFile(dir.resolve("a.txt")).chunkInterval(interval).build());
        return server;
    }

    private AudioModalitiesClient client(String key) {
        return new AudioModalitiesClient(OpenAiConfig.builder().baseUri(server.baseUri()).apiKey(key).model("local").build());
    }

    /** Collects everything a call delivers. */
    static final class Collector implements AudioModalitiesListener {
        final StringBuilder transcript = new StringBuilder();
        final ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        final Set<String> ids = new HashSet<>();
        final AtomicInteger chunks = new AtomicInteger();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final List<String> order = new ArrayList<>();

        @Override
        public synchronized void onTranscript(String delta) {
            transcript.append(delta);
            order.add("transcript");
        }

        @Override
        public synchronized void onAudio(String audioId, byte[] data) {
            ids.add(audioId);
            pcm.writeBytes(data);
            chunks.incrementAndGet();
            if (order.isEmpty() || !order.get(order.size() - 1).equals("audio")) {
                order.add("audio");
            }
        }

        @Override
        public synchronized void onComplete() {
            order.add("complete");
            done.complete(null);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }
    }

    @Test
    void streamsTranscriptThenAllPcmWithOneAudioIdThenDone() throws Exception {
        byte[] pcm = writeFiles(16000 + 100, "你好, hello!"); // 0.5 s plus a partial last chunk
        startServer(Duration.ofMillis(1));
        Collector c = new Collector();
        StreamCall call = client(KEY).stream(MESSAGES, c);
        c.done.get(30, TimeUnit.SECONDS);
        call.completion().get(5, TimeUnit.SECONDS);

        assertThat(c.transcript.toString()).isEqualTo("你好, hello!");
        assertThat(c.pcm.toByteArray()).isEqualTo(pcm);
        assertThat(c.chunks).hasValue(13); // 12 x 1280 bytes + 740
        assertThat(c.ids).hasSize(1).allMatch(id -> id.startsWith("audio_"));
        assertThat(c.order).containsExactly("transcript", "audio", "complete");
        AudioModalitiesServer.StreamOutcome o = server.awaitStreamEnd(5, TimeUnit.SECONDS);
        assertThat(o).isEqualTo(new AudioModalitiesServer.StreamOutcome(AudioModalitiesServer.StreamEnd.COMPLETED, 13, 13));
    }

    @Test
    void missingOrWrongBearerTokenGets401() throws Exception {
        writeFiles(100, "x");
        startServer(Duration.ZERO);
        for (String key : new String[] {null, "sk-wrong"}) {
            Collector c = new Collector();
            client(key).stream(MESSAGES, c);
            assertThat(c.done).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(HttpStatusException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(401);
                        assertThat(e.getMessage()).doesNotContain(KEY);
                    });
        }
    }

    /** POSTs {@code body} to the endpoint with the right key. */
    private HttpResponse<String> post(String body) throws Exception {
        URI uri = URI.create(server.baseUri() + AudioModalitiesClient.PATH);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void badJsonGets400AndNonPostGets405() throws Exception {
        writeFiles(100, "x");
        startServer(Duration.ZERO);
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(server.baseUri() + AudioModalitiesClient.PATH);
        for (String body : new String[] {"{not json", "[1,2]", ""}) {
            HttpResponse<String> r = post(body);
            assertThat(r.statusCode()).as("body %s", body).isEqualTo(400);
            assertThat(r.body()).contains("\"error\"");
        }
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void aRequestThatDoesNotStreamGets400ChatCompletionsRequireStreaming() throws Exception {
        writeFiles(100, "x");
        startServer(Duration.ZERO);
        for (String body : new String[] {"{\"model\":\"local\",\"stream\":false}", "{\"stream\":\"yes\"}"}) {
            HttpResponse<String> r = post(body);
            assertThat(r.statusCode()).as("body %s", body).isEqualTo(400);
            JsonNode error = new ObjectMapper().readTree(r.body()).path("error");
            assertThat(error.path("message").asText()).isEqualTo("chat completions require streaming");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        }
        // Leaving "stream" out streams, as the reference server's default does.
        HttpResponse<String> implicit = post("{\"model\":\"local\"}");
        assertThat(implicit.statusCode()).isEqualTo(200);
        assertThat(implicit.body()).contains("data: [DONE]");
    }

    @Test
    void missingFilesGet404() throws Exception {
        startServer(Duration.ZERO); // no files written
        Collector c = new Collector();
        client(KEY).stream(MESSAGES, c);
        assertThat(c.done).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(HttpStatusException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.bodyExcerpt()).contains("a.pcm");
                });
    }

    @Test
    void clientThatDisconnectsMidStreamStopsTheServerAndGetsNoMoreCallbacks() throws Exception {
        writeFiles(64000, "long answer"); // 2 s = 50 chunks
        startServer(Duration.ofMillis(20));
        CountDownLatch threeChunks = new CountDownLatch(3);
        AtomicInteger chunks = new AtomicInteger();
        AtomicInteger ends = new AtomicInteger();
        StreamCall call = client(KEY).stream(MESSAGES, new AudioModalitiesListener() {
            @Override
            public void onAudio(String audioId, byte[] pcm) {
                chunks.incrementAndGet();
                threeChunks.countDown();
            }

            @Override
            public void onComplete() {
                ends.incrementAndGet();
            }

            @Override
            public void onError(Throwable error) {
                ends.incrementAndGet();
            }
        });
        assertThat(threeChunks.await(20, TimeUnit.SECONDS)).isTrue();
        call.cancel();
        call.cancel(); // idempotent
        int atCancel = chunks.get();

        AudioModalitiesServer.StreamOutcome o = server.awaitStreamEnd(20, TimeUnit.SECONDS);
        assertThat(o).isNotNull();
        assertThat(o.end()).isEqualTo(AudioModalitiesServer.StreamEnd.CLIENT_DISCONNECTED);
        assertThat(o.audioChunksSent()).isLessThan(o.audioChunksTotal());
        assertThat(call.isCancelled()).isTrue();
        assertThat(call.completion()).isCancelled();
        // A callback already running at cancel() may finish; none starts afterwards.
        assertThat(chunks.get()).isBetween(atCancel, atCancel + 1);
        assertThat(ends).hasValue(0);
        assertThat(call.completion()).failsWithin(1, TimeUnit.SECONDS).withThrowableOfType(CancellationException.class);
    }

    @Test
    void configToStringRedactsKeys() throws Exception {
        writeFiles(10, "x");
        startServer(Duration.ZERO);
        assertThat(server.config().toString()).doesNotContain(KEY).contains("<redacted>");
        assertThat(client(KEY).toString()).doesNotContain(KEY).contains("<redacted>");
    }
}
