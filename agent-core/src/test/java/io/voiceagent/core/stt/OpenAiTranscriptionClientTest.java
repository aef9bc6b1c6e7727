package io.voiceagent.core.stt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.HttpStatusException;
import io.voiceagent.core.http.OpenAiConfig;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenAiTranscriptionClientTest {

    private HttpServer server;
    private final AtomicReference<byte[]> body = new AtomicReference<>();
    private final AtomicReference<String> contentType = new AtomicReference<>();
    private final AtomicReference<String> auth = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private OpenAiConfig serve(int status, String response) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/audio/transcriptions", ex -> {
            contentType.set(ex.getRequestHeaders().getFirst("Content-Type"));
            auth.set(ex.getRequestHeaders().getFirst("Authorization"));
            body.set(ex.getRequestBody().readAllBytes());
            byte[] r = response.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, r.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(r);
            }
        });
        server.start();
        return OpenAiTranscriptionClient.configFromEnvironment(Map.of("OPENAI_BASE_URL",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "OPENAI_API_KEY", "sk-stt"));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void sendsWavInMultipartWithModelAndReturnsTheText() throws Exception {
        OpenAiConfig cfg = serve(200, "{\"text\":\"  hello world \"}");
        assertThat(cfg.model()).isEqualTo("whisper-1");
        byte[] pcm = new byte[3200];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (byte) i;
        }
        Transcript t = new OpenAiTranscriptionClient(cfg, "en").transcribe(pcm, PcmFormat.MONO_16K).get(10, TimeUnit.SECONDS);
        assertThat(t.text()).isEqualTo("hello world");

        assertThat(contentType.get()).startsWith("multipart/form-data; boundary=");
        assertThat(auth.get()).isEqualTo("Bearer sk-stt");
        String boundary = contentType.get().substring(contentType.get().indexOf('=') + 1);
        String text = new String(body.get(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("name=\"model\"\r\n\r\nwhisper-1\r\n").contains("name=\"language\"\r\n\r\nen\r\n")
                .contains("filename=\"audio.wav\"").endsWith("--" + boundary + "--\r\n");
        int riff = indexOf(body.get(), "RIFF".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer wav = ByteBuffer.wrap(body.get(), riff, 44).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(wav.getInt(riff + 24)).isEqualTo(16000);
        assertThat(wav.getInt(riff + 40)).isEqualTo(3200);
        assertThat(Arrays.copyOfRange(body.get(), riff + 44, riff + 44 + 3200)).isEqualTo(pcm);
    }

    @Test
    void errorStatusFailsWithHttpStatusException() throws Exception {
        OpenAiConfig cfg = serve(401, "{\"error\":{\"message\":\"bad key\"}}");
        assertThat(new OpenAiTranscriptionClient(cfg, null).transcribe(new byte[320], PcmFormat.MONO_16K))
                .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOfSatisfying(HttpStatusException.class, e -> assertThat(e.statusCode()).isEqualTo(401));
    }

    @Test
    void modelFromEnvironmentOverridesDefault() {
        assertThat(OpenAiTranscriptionClient.configFromEnvironment(Map.of("OPENAI_STT_MODEL", "gpt-4o-mini-transcribe"))
                .model()).isEqualTo("gpt-4o-mini-transcribe");
    }
}
