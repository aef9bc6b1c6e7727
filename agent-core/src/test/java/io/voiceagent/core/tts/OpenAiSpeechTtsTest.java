package io.voiceagent.core.tts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.HttpStatusException;
import io.voiceagent.core.http.OpenAiConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible speech client against a local stand-in of {@code POST /v1/audio/speech}
 * (the JDK's HTTP server): the request it sends, the PCM it streams back in pieces of odd sizes, at
 * the endpoint's rate or resampled, and the failures.
 */
class OpenAiSpeechTtsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PcmFormat F24 = PcmFormat.of(24000, 1);

    private HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> auth = new CopyOnWriteArrayList<>();
    private volatile byte[] reply = new byte[0];
    private volatile int status = 200;
    /** Lets the stand-in send the second half of its body only when the test has seen the first. */
    private volatile CountDownLatch secondHalf = new CountDownLatch(0);

    @BeforeEach
    void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/audio/speech", ex -> {
            requests.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            auth.add(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = reply;
            ex.getResponseHeaders().add("Content-Type", status == 200 ? "audio/pcm" : "application/json");
            ex.sendResponseHeaders(status, 0); // chunked: the body streams
            try (OutputStream out = ex.getResponseBody()) {
                int half = body.length / 2 + 1; // odd: a sample is split across chunks
                out.write(body, 0, Math.min(half, body.length));
                out.flush();
                try {
                    secondHalf.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (body.length > half) {
                    out.write(body, half, body.length - half);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private OpenAiSpeechTts tts(String voice) {
        OpenAiConfig config = OpenAiConfig.builder().baseUri("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
                .apiKey("sk-test-123").build();
        return new OpenAiSpeechTts(config, "hexgrad/Kokoro-82M", voice, 24000);
    }

    /** A 24 kHz ramp: sample i is i * 7 (so every byte position is checked). */
    private static byte[] ramp(int samples) {
        byte[] b = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            short v = (short) (i * 7);
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return b;
    }

    /** Collects one synthesis. */
    static final class Collect implements TtsListener {
        final ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        final List<Integer> pieces = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final CountDownLatch first = new CountDownLatch(1);

        @Override
        public synchronized void onAudio(byte[] b) {
            pcm.writeBytes(b);
            pieces.add(b.length);
            first.countDown();
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }
    }

    @Test
    void postsTheSpeechRequestAndStreamsThePcmAsItArrives() throws Exception {
        reply = ramp(2400); // 100 ms
        secondHalf = new CountDownLatch(1);
        Collect c = new Collect();
        tts("ef_dora").synthesize("¡Hola, Ben!", F24, c);
        // The first half arrives before the stand-in has sent the rest: streamed, not buffered.
        assertThat(c.first.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(c.done).isNotDone();
        secondHalf.countDown();
        c.done.get(10, TimeUnit.SECONDS);

        assertThat(c.pcm.toByteArray()).isEqualTo(reply); // same rate: the bytes as sent, the split sample rejoined
        assertThat(c.pieces.size()).isGreaterThanOrEqualTo(2);
        JsonNode req = requests.get(0);
        assertThat(req.path("model").asText()).isEqualTo("hexgrad/Kokoro-82M");
        assertThat(req.path("input").asText()).isEqualTo("¡Hola, Ben!");
        assertThat(req.path("voice").asText()).isEqualTo("ef_dora");
        assertThat(req.path("response_format").asText()).isEqualTo("pcm");
        assertThat(auth.get(0)).isEqualTo("Bearer sk-test-123");
        assertThat(tts("ef_dora").toString()).doesNotContain("sk-test");
    }

    @Test
    void resamplesToTheRequestedRateAndChannels() throws Exception {
        reply = ramp(24000); // 1 s
        Collect c = new Collect();
        tts("af_bella").synthesize("Hello.", PcmFormat.of(16000, 2), c);
        c.done.get(10, TimeUnit.SECONDS);
        byte[] pcm = c.pcm.toByteArray();
        // 1 s at 16 kHz stereo, give or take the resampler's filter delay (flushed at the end).
        assertThat(pcm.length).isBetween(16000 * 4 - 400, 16000 * 4 + 400);
        assertThat(pcm.length % 4).isZero();
        for (int i = 0; i < pcm.length; i += 4) {
            assertThat(pcm[i]).isEqualTo(pcm[i + 2]); // both channels carry the same sample
            assertThat(pcm[i + 1]).isEqualTo(pcm[i + 3]);
        }
        assertThat(requests.get(0).path("voice").asText()).isEqualTo("af_bella");
    }

    @Test
    void anErrorStatusOrAnEmptyBodyFailsTheSynthesis() throws Exception {
        status = 401;
        reply = "{\"error\":{\"message\":\"bad key\"}}".getBytes();
        Collect c = new Collect();
        tts("af_bella").synthesize("Hello.", F24, c);
        assertThat(c.done).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOf(HttpStatusException.class).withMessageContaining("401").withMessageContaining("bad key");

        status = 200;
        reply = new byte[0];
        Collect empty = new Collect();
        tts("af_bella").synthesize("Hello.", F24, empty);
        assertThat(empty.done).failsWithin(10, TimeUnit.SECONDS).withThrowableThat().havingCause()
                .isInstanceOf(TtsException.class).withMessage("the speech endpoint returned no audio for voice af_bella");
    }

    @Test
    void cancelStopsTheStream() throws Exception {
        reply = ramp(2400);
        secondHalf = new CountDownLatch(1);
        Collect c = new Collect();
        var call = tts("af_bella").synthesize("Hello.", F24, c);
        assertThat(c.first.await(10, TimeUnit.SECONDS)).isTrue();
        int before = c.pcm.size();
        call.cancel();
        secondHalf.countDown();
        assertThat(call.isCancelled()).isTrue();
        assertThat(c.done).isNotDone();
        assertThat(c.pcm.size()).isEqualTo(before);
    }
}
