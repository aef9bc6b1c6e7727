package io.voiceagent.core.stt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.HttpStatusException;
import io.voiceagent.core.http.OpenAiConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link SpeechToText} over an OpenAI-compatible {@code POST {baseUri}/audio/transcriptions}
 * endpoint: the PCM is wrapped in a WAV header and sent as {@code multipart/form-data} with the
 * model (e.g. {@code whisper-1}, {@code gpt-4o-mini-transcribe}) and {@code response_format=json};
 * the answer's {@code text} is the transcript.
 *
 * <p>Configuration from the environment: see {@link #configFromEnvironment(Map)}. Thread-safe;
 * the API key is only sent in the {@code Authorization} header.
 */
public final class OpenAiTranscriptionClient implements SpeechToText {

    /** Environment variable naming the transcription model. */
    public static final String ENV_MODEL = "OPENAI_STT_MODEL";
    public static final String DEFAULT_MODEL = "whisper-1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAiConfig config;
    private final HttpClient http;
    private final String language;

    /**
     * @param language ISO-639-1 hint such as {@code en} or {@code zh}, or null to let the model detect it
     */
    public OpenAiTranscriptionClient(OpenAiConfig config, String language) {
        this(config, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).build(), language);
    }

    public OpenAiTranscriptionClient(OpenAiConfig config, HttpClient http, String language) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        if (language != null && !language.matches("[a-z]{2,3}")) {
            throw new IllegalArgumentException("language must be an ISO-639 code like en; got " + language);
        }
        this.language = language;
    }

    /**
     * {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY} as {@link OpenAiConfig} reads them, and the
     * model from {@value #ENV_MODEL} (default {@value #DEFAULT_MODEL}).
     */
    public static OpenAiConfig configFromEnvironment(Map<String, String> env) {
        String model = env.get(ENV_MODEL);
        return OpenAiConfig.builder().fromEnvironment(env)
                .model(model == null || model.isBlank() ? DEFAULT_MODEL : model.strip()).build();
    }

    @Override
    public CompletableFuture<Transcript> transcribe(byte[] pcm, PcmFormat format) {
        Objects.requireNonNull(pcm, "pcm");
        Objects.requireNonNull(format, "format");
        String boundary = "----voiceagent" + UUID.randomUUID().toString().replace("-", "");
        byte[] body = multipart(boundary, wav(pcm, format));
        HttpRequest.Builder b = HttpRequest.newBuilder(config.resolve("/audio/transcriptions"))
                .timeout(config.responseTimeout())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.hasApiKey()) {
            b.header("Authorization", "Bearer " + config.apiKey());
        }
        HttpRequest request = b.build();
        CompletableFuture<HttpResponse<byte[]>> send = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<Transcript> result = new CompletableFuture<>();
        send.whenComplete((response, error) -> {
            if (error != null) {
                result.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                return;
            }
            try {
                result.complete(parse(request, response));
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        });
        result.whenComplete((t, e) -> {
            if (result.isCancelled()) {
                send.cancel(true);
            }
        });
        return result;
    }

    private static Transcript parse(HttpRequest request, HttpResponse<byte[]> response) throws IOException {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() / 100 != 2) {
            throw new HttpStatusException(request.method(), request.uri(), response.statusCode(),
                    text.length() > 2048 ? text.substring(0, 2048) : text.strip());
        }
        JsonNode json = JSON.readTree(text);
        JsonNode t = json == null ? null : json.get("text");
        if (t == null || !t.isTextual()) {
            throw new IOException("transcription response has no text field: "
                    + (text.length() > 200 ? text.substring(0, 200) : text));
        }
        return new Transcript(t.asText().strip());
    }

    private byte[] multipart(String boundary, byte[] wav) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(wav.length + 1024);
        String dash = "--" + boundary + "\r\n";
        StringBuilder fields = new StringBuilder();
        field(fields, dash, "model", config.model());
        field(fields, dash, "response_format", "json");
        if (language != null) {
            field(fields, dash, "language", language);
        }
        out.writeBytes(fields.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes((dash + "Content-Disposition: form-data; name=\"file\"; filename=\"audio.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(wav);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void field(StringBuilder sb, String dash, String name, String value) {
        sb.append(dash).append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n");
    }

    /** A 44-byte canonical WAV header followed by the PCM (an odd trailing byte is dropped). */
    static byte[] wav(byte[] pcm, PcmFormat format) {
        return io.voiceagent.core.audio.WavFile.encode(pcm, format);
    }

    @Override
    public String toString() {
        return "OpenAiTranscriptionClient[" + config + ", language=" + language + "]";
    }
}
