package io.voiceagent.core.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.voiceagent.core.http.HttpStatusException;
import io.voiceagent.core.http.OpenAiConfig;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chat client against a scripted SSE server on loopback, written in awkward pieces. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenAiChatClientTest {

    private HttpServer server;
    private final AtomicReference<JsonNode> lastRequest = new AtomicReference<>();
    private final AtomicReference<String> lastAuth = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private OpenAiConfig serve(int status, String... pieces) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            lastAuth.set(ex.getRequestHeaders().getFirst("Authorization"));
            lastRequest.set(OpenAiHttp.JSON.readTree(ex.getRequestBody()));
            ex.getResponseHeaders().set("Content-Type", status == 200 ? "text/event-stream" : "application/json");
            ex.sendResponseHeaders(status, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (String p : pieces) {
                    out.write(p.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        server.start();
        return OpenAiConfig.builder().baseUri("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/")
                .apiKey("sk-abc").model("m1").build();
    }

    private static final class Collect implements ChatStreamListener {
        final List<String> deltas = new ArrayList<>();
        final CompletableFuture<String> done = new CompletableFuture<>();
        String finish;

        @Override
        public void onTextDelta(String delta) {
            deltas.add(delta);
        }

        @Override
        public void onComplete(String fullText, String finishReason) {
            finish = finishReason;
            done.complete(fullText);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }
    }

    private static String chunk(String content) {
        return "{\"choices\":[{\"index\":0,\"delta\":{\"content\":" + OpenAiHttp.JSON.valueToTree(content) + "}}]}";
    }

    @Test
    void streamsDeltasAcrossSplitLinesCrLfAndCommentsUntilDone() throws Exception {
        OpenAiConfig cfg = serve(200, ": keep-alive\r\n\r\n", "data: " + chunk("Hel"), "\r\n\r", "\ndata: ",
                chunk("lo, 世界") + "\r\n\r\n", "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                "data: [DONE]\n\n", "data: " + chunk("after done is ignored") + "\n\n");
        Collect c = new Collect();
        new OpenAiChatClient(cfg).streamChat(List.of(ChatMessage.system("be brief"), ChatMessage.user("hi")), c);
        assertThat(c.done.get(10, TimeUnit.SECONDS)).isEqualTo("Hello, 世界");
        assertThat(c.deltas).containsExactly("Hel", "lo, 世界");
        assertThat(c.finish).isEqualTo("stop");
        JsonNode req = lastRequest.get();
        assertThat(req.path("model").asText()).isEqualTo("m1");
        assertThat(req.path("stream").asBoolean()).isTrue();
        assertThat(req.path("messages").get(1).path("content").asText()).isEqualTo("hi");
        assertThat(lastAuth.get()).isEqualTo("Bearer sk-abc");
    }

    @Test
    void errorObjectInTheStreamFailsTheCall() throws Exception {
        OpenAiConfig cfg = serve(200, "data: " + chunk("a") + "\n\n", "data: {\"error\":{\"message\":\"overloaded\"}}\n\n");
        Collect c = new Collect();
        new OpenAiChatClient(cfg).streamChat(List.of(ChatMessage.user("hi")), c);
        assertThat(c.done).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(LlmException.class).withMessageContaining("overloaded");
    }

    @Test
    void httpErrorStatusFailsWithTheStatusAndBody() throws Exception {
        OpenAiConfig cfg = serve(429, "{\"error\":{\"message\":\"rate limited\"}}");
        Collect c = new Collect();
        new OpenAiChatClient(cfg).streamChat(List.of(ChatMessage.user("hi")), c);
        assertThat(c.done).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(HttpStatusException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(429);
                    assertThat(e.bodyExcerpt()).contains("rate limited");
                });
    }

    @Test
    void configComesFromTheEnvironmentAndNeverShowsTheKey() {
        OpenAiConfig cfg = OpenAiConfig.builder().fromEnvironment(Map.of("OPENAI_API_KEY", "sk-secret",
                "OPENAI_BASE_URL", "http://localhost:9/v1/", "OPENAI_MODEL", "qwen")).build();
        assertThat(cfg.baseUri().toString()).isEqualTo("http://localhost:9/v1");
        assertThat(cfg.model()).isEqualTo("qwen");
        assertThat(cfg.apiKey()).isEqualTo("sk-secret");
        assertThat(cfg.toString()).doesNotContain("sk-secret").contains("<redacted>");
        OpenAiConfig defaults = OpenAiConfig.builder().fromEnvironment(Map.of()).build();
        assertThat(defaults.baseUri().toString()).isEqualTo(OpenAiConfig.DEFAULT_BASE_URL);
        assertThat(defaults.hasApiKey()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenAiConfig.builder().baseUri("ftp://x").build())
                .hasMessageContaining("baseUri").hasMessageContaining("ftp://x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenAiConfig.builder().model(" ").build())
                .hasMessageContaining("model");
    }
}
