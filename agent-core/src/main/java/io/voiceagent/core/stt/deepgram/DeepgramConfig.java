package io.voiceagent.core.stt.deepgram;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of a {@link DeepgramStt}. Immutable; {@link #toString()} never shows the key.
 *
 * @param listenUri the live endpoint ({@code wss://api.deepgram.com/v1/listen}, or a stand-in's)
 * @param apiKey sent as {@code Authorization: Token <key>} and nowhere else
 * @param model the {@code model} query parameter (e.g. {@code nova-3})
 * @param language the {@code language} query parameter, or null for the model's default
 * @param connectTimeout for the WebSocket handshake
 * @param finalTimeout from {@code CloseStream} to the server's last result before the stream fails
 */
public record DeepgramConfig(URI listenUri, String apiKey, String model, String language, Duration connectTimeout,
        Duration finalTimeout) {

    public static final String DEFAULT_LISTEN_URI = "wss://api.deepgram.com/v1/listen";
    public static final String DEFAULT_MODEL = "nova-3";
    public static final String ENV_API_KEY = "DEEPGRAM_API_KEY";
    public static final String ENV_LISTEN_URL = "DEEPGRAM_LISTEN_URL";
    public static final String ENV_MODEL = "DEEPGRAM_MODEL";

    public DeepgramConfig {
        Objects.requireNonNull(listenUri, "listenUri");
        if (!"ws".equals(listenUri.getScheme()) && !"wss".equals(listenUri.getScheme())) {
            throw new IllegalArgumentException("listenUri must be a ws:// or wss:// URI; got " + listenUri);
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must be set (" + ENV_API_KEY + "); got "
                    + (apiKey == null ? "null" : "a blank string"));
        }
        if (model == null || !model.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("model must be a model name like nova-3; got " + model);
        }
        if (language != null && !language.matches("[A-Za-z]{2,3}(-[A-Za-z0-9]+)*")) {
            throw new IllegalArgumentException("language must be a code like en or en-US; got " + language);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(finalTimeout, "finalTimeout");
        if (finalTimeout.isNegative() || finalTimeout.isZero()) {
            throw new IllegalArgumentException("finalTimeout must be positive; got " + finalTimeout);
        }
    }

    /** Deepgram's endpoint, {@value #DEFAULT_MODEL}, 10 s timeouts. */
    public static DeepgramConfig of(String apiKey) {
        return new DeepgramConfig(URI.create(DEFAULT_LISTEN_URI), apiKey, DEFAULT_MODEL, null, Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    /** From {@value #ENV_API_KEY} (required), {@value #ENV_LISTEN_URL} and {@value #ENV_MODEL} (optional). */
    public static DeepgramConfig fromEnvironment(Map<String, String> env, String language) {
        DeepgramConfig c = of(env.get(ENV_API_KEY));
        String url = env.get(ENV_LISTEN_URL);
        String model = env.get(ENV_MODEL);
        return new DeepgramConfig(url == null || url.isBlank() ? c.listenUri : URI.create(url.strip()), c.apiKey,
                model == null || model.isBlank() ? c.model : model.strip(), language, c.connectTimeout, c.finalTimeout);
    }

    public DeepgramConfig withListenUri(URI uri) {
        return new DeepgramConfig(uri, apiKey, model, language, connectTimeout, finalTimeout);
    }

    public DeepgramConfig withFinalTimeout(Duration d) {
        return new DeepgramConfig(listenUri, apiKey, model, language, connectTimeout, d);
    }

    @Override
    public String toString() {
        return "DeepgramConfig[" + listenUri + ", model=" + model + (language == null ? "" : ", language=" + language)
                + ", apiKey=***]";
    }
}
