package io.voiceagent.core.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;

/**
 * The HTTP client and the streaming POST of the OpenAI-compatible clients (chat, audio modalities,
 * speech): HTTP/1.1 with the config's connect timeout, and a JSON POST with the response timeout and
 * the bearer key (when there is one; it is never logged).
 */
public final class OpenAiRequests {

    private OpenAiRequests() {
    }

    /**
     * An HTTP/1.1 client: closing a cancelled stream's body then closes the TCP connection, so the
     * server stops generating at once.
     */
    public static HttpClient newHttpClient(OpenAiConfig config) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.connectTimeout())
                .build();
    }

    /** A POST of {@code jsonBody} to {@code path} under the config's base URL, accepting {@code accept}. */
    public static HttpRequest post(OpenAiConfig config, String path, String jsonBody, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(config.resolve(path))
                .timeout(config.responseTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        if (config.hasApiKey()) {
            b.header("Authorization", "Bearer " + config.apiKey());
        }
        return b.build();
    }
}
