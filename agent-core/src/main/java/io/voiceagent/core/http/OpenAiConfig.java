package io.voiceagent.core.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to reach an OpenAI-compatible HTTP API (chat completions, audio chat completions,
 * transcriptions). Immutable; built by {@link #builder()}, usually from the environment:
 *
 * <table>
 * <caption>Environment variables read by {@link Builder#fromEnvironment(Map)}</caption>
 * <tr><td>{@code OPENAI_BASE_URL}</td><td>base URL including the version path; default
 *     {@value #DEFAULT_BASE_URL}</td></tr>
 * <tr><td>{@code OPENAI_API_KEY}</td><td>sent as {@code Authorization: Bearer}; unset = no
 *     header</td></tr>
 * <tr><td>{@code OPENAI_MODEL}</td><td>model name; default {@value #DEFAULT_MODEL}</td></tr>
 * </table>
 *
 * <p>The API key is never logged: {@link #toString()} redacts it.
 *
 * @param baseUri absolute http(s) URI that endpoint paths are appended to, e.g.
 *     {@code https://api.openai.com/v1}; no trailing slash
 * @param apiKey bearer token, or null to send no {@code Authorization} header
 * @param model model name sent in each request
 * @param connectTimeout TCP/TLS connect timeout
 * @param responseTimeout time allowed until the response headers arrive (a streaming body may
 *     take longer)
 */
public record OpenAiConfig(URI baseUri, String apiKey, String model, Duration connectTimeout, Duration responseTimeout) {

    public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
    public static final String DEFAULT_MODEL = "gpt-4o-mini";
    public static final String ENV_BASE_URL = "OPENAI_BASE_URL";
    public static final String ENV_API_KEY = "OPENAI_API_KEY";
    public static final String ENV_MODEL = "OPENAI_MODEL";

    /** Validates like {@link Builder#build()}. */
    public OpenAiConfig {
        Objects.requireNonNull(baseUri, "baseUri");
        if (!baseUri.isAbsolute() || !("http".equals(baseUri.getScheme()) || "https".equals(baseUri.getScheme()))
                || baseUri.getHost() == null) {
            throw new IllegalArgumentException("baseUri must be an absolute http or https URI; got " + baseUri);
        }
        String s = baseUri.toString();
        if (s.endsWith("/")) {
            baseUri = URI.create(s.substring(0, s.length() - 1));
        }
        if (apiKey != null && (apiKey.isBlank() || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
            throw new IllegalArgumentException("apiKey must be printable ASCII without spaces (value not shown)");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank; got " + (model == null ? "null" : "'" + model + "'"));
        }
        checkPositive("connectTimeout", connectTimeout);
        checkPositive("responseTimeout", responseTimeout);
    }

    private static void checkPositive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive; got " + d);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code builder().fromEnvironment(System.getenv()).build()}. */
    public static OpenAiConfig fromEnvironment() {
        return builder().fromEnvironment(System.getenv()).build();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().baseUri(baseUri).apiKey(apiKey).model(model).connectTimeout(connectTimeout)
                .responseTimeout(responseTimeout);
    }

    /** {@code baseUri + path}, where {@code path} starts with '/'. */
    public URI resolve(String path) {
        return URI.create(baseUri + path);
    }

    /** Whether an API key is configured. */
    public boolean hasApiKey() {
        return apiKey != null;
    }

    @Override
    public String toString() {
        return "OpenAiConfig[baseUri=" + baseUri + ", apiKey=" + (apiKey == null ? "none" : "<redacted>") + ", model="
                + model + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout + "]";
    }

    /** Builder of {@link OpenAiConfig}; not thread-safe. */
    public static final class Builder {
        private URI baseUri = URI.create(DEFAULT_BASE_URL);
        private String apiKey;
        private String model = DEFAULT_MODEL;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration responseTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /** Takes the values of the variables that are set and non-blank (see the class comment). */
        public Builder fromEnvironment(Map<String, String> env) {
            String base = env.get(ENV_BASE_URL);
            if (base != null && !base.isBlank()) {
                baseUri(base.strip());
            }
            String key = env.get(ENV_API_KEY);
            if (key != null && !key.isBlank()) {
                apiKey(key.strip());
            }
            String m = env.get(ENV_MODEL);
            if (m != null && !m.isBlank()) {
                model(m.strip());
            }
            return this;
        }

        public Builder baseUri(URI baseUri) {
            this.baseUri = baseUri;
            return this;
        }

        /** @throws IllegalArgumentException naming the value if it is not a URI */
        public Builder baseUri(String baseUri) {
            try {
                return baseUri(new URI(baseUri));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("baseUri is not a URI: " + baseUri, e);
            }
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder responseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
            return this;
        }

        /** @throws IllegalArgumentException naming the parameter and value that is invalid */
        public OpenAiConfig build() {
            return new OpenAiConfig(baseUri, apiKey, model, connectTimeout, responseTimeout);
        }
    }
}
