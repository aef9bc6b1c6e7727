package io.voiceagent.server.api;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.pool.ConnectionPool;
import io.voiceagent.agora.pool.ConnectionPoolConfig;
import io.voiceagent.core.vad.VadBatcher;
import io.voiceagent.server.EmbeddedServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent server of one node: the REST API ({@link AgentApiHandler}) on an {@link EmbeddedServer},
 * agents on a {@link ConnectionPool} of the given {@link AgoraService} ({@link AgentHost}), one VAD
 * batcher, the metrics, and a backend: this process alone ({@link LocalAgentBackend}, the default) or
 * a Redis cluster ({@code RedisAgentBackend::create} in {@code io.voiceagent.server.cluster}).
 *
 * <pre>{@code
 * try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId(appId).build());
 *      AgentServer server = AgentServer.builder(service).port(8080).capacity(50)
 *              .auth(ApiAuth.fromEnvironment(System.getenv())).build().start()) {
 *     ...                               // until SIGTERM, then:
 *     server.drain(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p><b>No credentials, no network.</b> Without credentials the server binds 127.0.0.1 whatever host was
 * asked for, and logs that it did ({@link #boundHost()}).
 *
 * <p>Ownership: owns everything it created (closed in reverse order by {@link #close()}), not the
 * service. Thread-safe once started.
 */
public final class AgentServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);

    /** Makes the node's backend once the host exists. */
    @FunctionalInterface
    public interface BackendFactory {
        AgentBackend create(AgentHost host, String nodeId) throws Exception;
    }

    private final Builder config;
    private final List<AutoCloseable> owned = new ArrayList<>(); // closed in reverse order
    private final AtomicBoolean drained = new AtomicBoolean();
    private volatile AgentHost host;
    private volatile AgentBackend backend;
    private volatile EmbeddedServer http;
    private volatile AgentMetrics metrics;
    private volatile String boundHost;

    private AgentServer(Builder b) {
        this.config = b;
    }

    /** A builder for a server whose agents run on {@code service}. */
    public static Builder builder(AgoraService service) {
        return new Builder(service);
    }

    /**
     * Creates the pool, the host, the backend and the HTTP server, and starts listening.
     *
     * @throws IllegalStateException if a part cannot start (what was created is released)
     */
    public AgentServer start() {
        try {
            metrics = new AgentMetrics();
            VadBatcher batcher = VadBatcher.withDefaults();
            SessionFactory factory = new SessionFactory(batcher);
            owned.add(factory);
            ConnectionPool pool = ConnectionPool.create(config.service, ConnectionPoolConfig.of(Math.max(1,
                    config.capacity)).withAcquireTimeout(Duration.ofSeconds(5)));
            owned.add(pool);
            host = new AgentHost(pool, factory, metrics, config.capacity);
            owned.add(host);
            backend = config.backend.create(host, config.nodeId);
            owned.add(backend);
            String bind = config.host;
            if (!config.auth.isEnabled() && !isLoopback(bind)) {
                log.warn("No API credentials configured (AGENT_SERVER_AUTH, AGENT_SERVER_TOKEN or --auth-file): "
                        + "listening on 127.0.0.1 only instead of {}", bind);
                bind = "127.0.0.1";
            }
            boundHost = bind;
            AgentApiHandler api = new AgentApiHandler(config.appId, backend, config.auth, metrics, this::drain);
            http = EmbeddedServer.builder().host(bind).port(config.port).stopTimeout(Duration.ofSeconds(2))
                    .route(AgentApiHandler.BASE + "/*", api).route("/node", api).route("/drain", api)
                    .route("/ready", api).route("/metrics", api).build().start();
            owned.add(http);
            log.info("agent server {} ready on {}: {} slots, {}, auth {}", config.nodeId, http.uri(), config.capacity,
                    backend, config.auth);
            return this;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot start the agent server: " + e.getMessage(), e);
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    /** {@code http://host:port} of the API. */
    public URI uri() {
        return http.uri();
    }

    /** The interface actually bound (127.0.0.1 when no credentials are configured). */
    public String boundHost() {
        return boundHost;
    }

    public AgentBackend backend() {
        return backend;
    }

    public AgentHost host() {
        return host;
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    /**
     * Graceful stop (SIGTERM, {@code POST /drain}): stops taking work (readiness turns 503), lets the
     * agents end by themselves for up to {@code deadline}, then ends or hands over the rest. The API
     * keeps answering queries. Idempotent: a second call returns at once.
     */
    public void drain(Duration deadline) {
        if (drained.compareAndSet(false, true)) {
            log.info("draining: no new agents; {} running get up to {} s", host.inUse(), deadline.toSeconds());
            backend.drain(deadline);
            log.info("drained");
        }
    }

    /** Stops the HTTP server, the backend, the agents, the pool and the VAD batcher (in that order). Idempotent. */
    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            AutoCloseable c = owned.remove(i);
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", c, e);
            }
        }
    }

    @Override
    public String toString() {
        return "AgentServer[" + config.nodeId + (http == null ? "" : ", " + http.uri()) + "]";
    }

    /** Builder of an {@link AgentServer}; not thread-safe. */
    public static final class Builder {
        private final AgoraService service;
        private String appId;
        private String host = "127.0.0.1";
        private int port = 8080;
        private int capacity = 50;
        private ApiAuth auth = ApiAuth.none();
        private String nodeId = defaultNodeId();
        private BackendFactory backend = LocalAgentBackend::new;

        private Builder(AgoraService service) {
            this.service = Objects.requireNonNull(service, "service");
            this.appId = service.config().appId();
        }

        /** A node id unique to this process: host name, pid and a random suffix. */
        public static String defaultNodeId() {
            String h = System.getenv("HOSTNAME");
            if (h == null || h.isBlank()) {
                try {
                    h = java.net.InetAddress.getLocalHost().getHostName();
                } catch (java.io.IOException e) {
                    h = "node";
                }
            }
            return h + "-" + ProcessHandle.current().pid() + "-"
                    + Integer.toHexString(new java.security.SecureRandom().nextInt(0x10000));
        }

        /** The app id in the API's paths (default: the service's). */
        public Builder appId(String appId) {
            if (appId == null || appId.isBlank()) {
                throw new IllegalArgumentException("appId must not be blank");
            }
            this.appId = appId;
            return this;
        }

        /** The interface to bind (default 127.0.0.1; 0.0.0.0 needs credentials). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port (0 = ephemeral; default 8080). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be in 0..65535; got " + port);
            }
            this.port = port;
            return this;
        }

        /** Agents this node runs at once (0 = an API-only node in cluster mode); 0..10000, default 50. */
        public Builder capacity(int capacity) {
            if (capacity < 0 || capacity > 10_000) {
                throw new IllegalArgumentException("capacity must be in 0..10000; got " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        public Builder auth(ApiAuth auth) {
            this.auth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        /** This node's id (default {@link #defaultNodeId()}); unique per process in a cluster. */
        public Builder nodeId(String nodeId) {
            if (nodeId == null || !nodeId.matches("[A-Za-z0-9_.:-]{1,100}")) {
                throw new IllegalArgumentException("nodeId must be 1..100 of A-Z a-z 0-9 _ . : -; got '" + nodeId + "'");
            }
            this.nodeId = nodeId;
            return this;
        }

        /** The backend (default one process: {@link LocalAgentBackend}). */
        public Builder backend(BackendFactory backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        public AgentServer build() {
            return new AgentServer(this);
        }
    }
}
