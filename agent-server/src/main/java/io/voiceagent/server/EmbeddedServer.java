package io.voiceagent.server;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one embedded HTTP/WebSocket server (Jetty 12, core handlers, no servlets) of a process's agent
 * services: plain HTTP routes ({@link Builder#route}), WebSocket endpoints ({@link Builder#webSocket})
 * and {@code GET /health}, on one port. The web console, the duet and the REST agent server register
 * their routes on it.
 *
 * <pre>{@code
 * try (EmbeddedServer server = EmbeddedServer.builder().host("127.0.0.1").port(8000)
 *         .route("/api/*", apiHandler)
 *         .webSocket("/ws", (req, resp, cb) -> new MyEndpoint())
 *         .build().start()) {
 *     ... server.uri()
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Requests and WebSocket events run on Jetty's pool (threads named
 * {@code voiceagent-http-N}); handlers must not block for long, and must hand session work to the
 * session's executor. {@link #close()} stops accepting, lets requests in flight finish within the stop
 * timeout, then closes. Thread-safe once started.
 */
public final class EmbeddedServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final String host;

    private EmbeddedServer(Builder b) {
        QueuedThreadPool threads = new QueuedThreadPool(b.maxThreads, 4);
        threads.setName("voiceagent-http");
        threads.setDaemon(true);
        server = new Server(threads);
        server.setStopTimeout(b.stopTimeout.toMillis());
        server.setStopAtShutdown(false);
        connector = new ServerConnector(server);
        connector.setHost(b.host);
        connector.setPort(b.port);
        server.addConnector(connector);
        host = b.host;

        PathMappingsHandler routes = new PathMappingsHandler();
        if (!b.routes.containsKey("/health")) {
            routes.addMapping(PathSpec.from("/health"), new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    sendJson(response, callback, 200, "{\"status\":\"ok\"}");
                    return true;
                }
            });
        }
        b.routes.forEach((path, handler) -> routes.addMapping(PathSpec.from(path), handler));
        routes.addMapping(PathSpec.from("/*"), new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                sendJson(response, callback, 404, "{\"error\":{\"message\":\"no such path: "
                        + Request.getPathInContext(request).replace("\"", "") + "\"}}");
                return true;
            }
        });
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxBinaryMessageSize(b.maxMessageBytes);
            container.setMaxTextMessageSize(b.maxMessageBytes);
            container.setIdleTimeout(b.webSocketIdleTimeout);
            b.webSockets.forEach(container::addMapping);
        });
        ws.setHandler(routes);
        context.setHandler(ws);
        server.setHandler(context);
    }

    /** A builder: 127.0.0.1, port 8000, {@code /health}, no other route. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening.
     *
     * @throws IllegalStateException with the host and port if the port cannot be bound
     */
    public EmbeddedServer start() {
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // Best effort: the start failed already.
            }
            throw new IllegalStateException("cannot start the HTTP server on " + host + ":" + connector.getPort()
                    + ": " + e.getMessage(), e);
        }
        log.info("HTTP server listening on {}", uri());
        return this;
    }

    /** The bound port (the ephemeral one when the builder asked for 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port}. */
    public URI uri() {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** Stops: no new connections, requests in flight finish within the stop timeout. Idempotent. */
    @Override
    public void close() {
        if (!server.isStopped()) {
            try {
                server.stop();
            } catch (Exception e) {
                log.warn("Stopping the HTTP server failed", e);
            }
        }
    }

    /** Writes {@code json} with {@code status} and completes {@code callback}. */
    public static void sendJson(Response response, Callback callback, int status, String json) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** Builder of an {@link EmbeddedServer}; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8000;
        private int maxThreads = 200;
        private long maxMessageBytes = 64 * 1024;
        private Duration webSocketIdleTimeout = Duration.ofMinutes(5);
        private Duration stopTimeout = Duration.ofSeconds(5);
        private final Map<String, Handler> routes = new LinkedHashMap<>();
        private final Map<String, WebSocketCreator> webSockets = new LinkedHashMap<>();

        private Builder() {
        }

        /** The interface to bind (default 127.0.0.1; {@code 0.0.0.0} for every interface). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port, 0 for an ephemeral one (default 8000). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535; got " + port);
            }
            this.port = port;
            return this;
        }

        /** Jetty's pool size (default 200). */
        public Builder maxThreads(int maxThreads) {
            if (maxThreads < 8) {
                throw new IllegalArgumentException("maxThreads must be at least 8; got " + maxThreads);
            }
            this.maxThreads = maxThreads;
            return this;
        }

        /** The largest WebSocket message accepted, text or binary (default 64 KB; larger ones close the socket with 1009). */
        public Builder maxMessageBytes(long maxMessageBytes) {
            if (maxMessageBytes < 1024) {
                throw new IllegalArgumentException("maxMessageBytes must be at least 1024; got " + maxMessageBytes);
            }
            this.maxMessageBytes = maxMessageBytes;
            return this;
        }

        /** A WebSocket with no traffic for this long is closed (default 5 min). */
        public Builder webSocketIdleTimeout(Duration timeout) {
            this.webSocketIdleTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long {@link EmbeddedServer#close()} lets requests in flight finish (default 5 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Serves {@code pathSpec} (servlet-style: {@code /x}, {@code /x/*}, {@code *.js}, or {@code ^regex})
         * with {@code handler}. {@code /health} may be replaced.
         */
        public Builder route(String pathSpec, Handler handler) {
            routes.put(Objects.requireNonNull(pathSpec, "pathSpec"), Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /** Upgrades requests for {@code pathSpec} to a WebSocket whose endpoint {@code creator} makes. */
        public Builder webSocket(String pathSpec, WebSocketCreator creator) {
            webSockets.put(Objects.requireNonNull(pathSpec, "pathSpec"), Objects.requireNonNull(creator, "creator"));
            return this;
        }

        public EmbeddedServer build() {
            return new EmbeddedServer(this);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedServer[" + (server.isStarted() ? uri() : host + ":" + connector.getPort()) + "]";
    }

}
