package io.voiceagent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.Test;

class EmbeddedServerTest {
    /** Jetty calls endpoint methods through method handles: the class must be public. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText("echo:" + message, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesHealthRoutesWebSocketsAnd404() throws Exception {
        try (EmbeddedServer server = EmbeddedServer.builder().port(0)
                .route("/hello", new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        EmbeddedServer.sendJson(response, callback, 200, "{\"hello\":true}");
                        return true;
                    }
                })
                .webSocket("/echo", (req, resp, cb) -> new Echo())
                .build().start()) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(health.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("application/json"));
            assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/hello")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("{\"hello\":true}");
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(server.uri().resolve("/nope")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("no such path: /nope");

            CompletableFuture<String> reply = new CompletableFuture<>();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(
                    java.net.URI.create(server.uri().toString().replace("http:", "ws:") + "/echo"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            reply.complete(data.toString());
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            ws.sendText("hi", true);
            assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("echo:hi");
            ws.abort();
        }
    }

    @Test
    void aPortInUseIsReportedWithTheAddress() {
        try (EmbeddedServer first = EmbeddedServer.builder().port(0).build().start()) {
            EmbeddedServer second = EmbeddedServer.builder().port(first.port()).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + first.port());
        }
    }
}
