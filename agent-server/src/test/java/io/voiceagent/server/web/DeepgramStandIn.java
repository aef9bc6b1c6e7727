package io.voiceagent.server.web;

import io.voiceagent.server.EmbeddedServer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A local stand-in for Deepgram's live endpoint ({@code /v1/listen}) that speaks its documented
 * messages: it accepts {@code Authorization: Token test-key}, counts the PCM it receives (16 kHz mono,
 * 32,000 bytes a second) and every 250 ms of audio sends a {@code Results} message of the script
 * "hello there | how are you": interim "hello", interim "hello there", final "hello there", interim
 * "how", interim "how are"; on {@code CloseStream} the final "how are you", {@code Metadata}, and a
 * normal close. With {@link #failOnClose} it closes with 1011 instead.
 */
final class DeepgramStandIn implements AutoCloseable {
    static final String KEY = "test-key";
    private static final String[][] STEPS = {{"hello", "false"}, {"hello there", "false"}, {"hello there", "true"},
            {"how", "false"}, {"how are", "false"}};

    final List<String> queries = new CopyOnWriteArrayList<>();
    final List<String> textsReceived = new CopyOnWriteArrayList<>();
    volatile boolean failOnClose;
    private final EmbeddedServer server;

    DeepgramStandIn() {
        server = EmbeddedServer.builder().port(0).webSocket("/v1/listen", (req, resp, cb) -> {
            if (!("Token " + KEY).equals(req.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                Response.writeError(req, resp, cb, 401, "bad key");
                return null;
            }
            queries.add(req.getHttpURI().getQuery());
            return new Endpoint();
        }).build().start();
    }

    URI listenUri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/v1/listen");
    }

    @Override
    public void close() {
        server.close();
    }

    private static String results(String transcript, boolean isFinal, double start) {
        return "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":0.25,\"start\":" + start + ",\"is_final\":"
                + isFinal + ",\"speech_final\":" + isFinal + ",\"channel\":{\"alternatives\":[{\"transcript\":\""
                + transcript + "\",\"confidence\":0.98,\"words\":[]}]},\"metadata\":{\"request_id\":\"stand-in\"}}";
    }

    /** One live connection. Jetty calls it reflectively: public. */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        private Session session;
        private long bytes;
        private int step;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            bytes += payload.remaining();
            while (step < STEPS.length && bytes >= (step + 1) * 8000L) {
                session.sendText(results(STEPS[step][0], Boolean.parseBoolean(STEPS[step][1]), step * 0.25), Callback.NOOP);
                step++;
            }
            callback.succeed();
        }

        @Override
        public void onWebSocketText(String message) {
            textsReceived.add(message);
            if (message.contains("\"CloseStream\"")) {
                if (failOnClose) {
                    session.close(1011, "stand-in failure", Callback.NOOP);
                    return;
                }
                session.sendText(results("how are you", true, 1.0), Callback.NOOP);
                session.sendText("{\"type\":\"Metadata\",\"transaction_key\":\"deprecated\",\"request_id\":\"stand-in\","
                        + "\"duration\":" + bytes / 32000.0 + ",\"channels\":1}", Callback.NOOP);
                session.close(1000, null, Callback.NOOP);
            }
        }
    }
}
