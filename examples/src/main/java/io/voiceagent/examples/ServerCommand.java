package io.voiceagent.examples;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.server.api.AgentServer;
import io.voiceagent.server.api.ApiAuth;
import io.voiceagent.server.cluster.ClusterConfig;
import io.voiceagent.server.cluster.RedisAgentBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The agent server: agents started and stopped over a REST API in the shape of Agora's
 * Conversational AI Engine, on this process's connection pool, or, with {@code --redis}, on a cluster
 * of such processes sharing one Redis. SIGTERM drains (no new agents, running ones get
 * {@code --drain-seconds} to end, then leave or move to another worker) and exits 0.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "REST agent server (join/leave/query/list/interrupt/speak, /metrics, /health); --redis for"
                + " a cluster of workers. SIGTERM drains and exits 0.")
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0",
            description = "interface to bind (default: ${DEFAULT-VALUE}; 127.0.0.1 only when no credentials are set)")
    String host;

    @Option(names = "--capacity", defaultValue = "50",
            description = "agents this process runs at once; 0 = API only (cluster mode) (default: ${DEFAULT-VALUE})")
    int capacity;

    @Option(names = "--redis", description = "redis://host:port of the cluster (default: this process alone)")
    String redis;

    @Option(names = "--key-prefix", defaultValue = "va:", description = "prefix of the cluster's Redis keys (default: ${DEFAULT-VALUE})")
    String keyPrefix;

    @Option(names = "--auth-file", description = "file of credentials: 'key:secret' or 'bearer <token>' lines"
            + " (also: $AGENT_SERVER_AUTH=key:secret, $AGENT_SERVER_TOKEN)")
    Path authFile;

    @Option(names = "--node-id", description = "this node's id (default: host name, pid and a random suffix)")
    String nodeId;

    @Option(names = "--drain-seconds", defaultValue = "30",
            description = "on SIGTERM, how long running agents may go on before they leave or move (default: ${DEFAULT-VALUE})")
    int drainSeconds;

    @Option(names = "--app-id", description = "Agora app id, the {appid} of the API's paths (default: $AGORA_APP_ID;"
            + " any value on the loopback library)")
    String appId;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (capacity < 0 || capacity > 10_000) {
            throw new BadInputException("--capacity", capacity, "must be in 0..10000");
        }
        if (capacity == 0 && redis == null) {
            throw new BadInputException("--capacity", capacity, "0 runs no agent: it is only for an API node of a"
                    + " cluster (with --redis)");
        }
        if (drainSeconds < 0 || drainSeconds > 3600) {
            throw new BadInputException("--drain-seconds", drainSeconds, "must be in 0..3600");
        }
        BadInputException.atLeast("--port", port, 0);
        ApiAuth auth = ApiAuth.fromEnvironment(System.getenv());
        if (authFile != null) {
            Path f = BadInputException.readableFile("--auth-file", authFile);
            try {
                auth = auth.and(ApiAuth.fromFile(f));
            } catch (IllegalArgumentException | IOException e) {
                throw new BadInputException("--auth-file", authFile, "is not valid: " + e.getMessage());
            }
        }
        return run(ConnectionOptions.resolveAppId(appId), auth);
    }

    private int run(String app, ApiAuth auth) throws InterruptedException {
        ClusterConfig cluster = redis == null ? null : BadInputException.parse("--redis", ClusterConfig.redact(redis),
                () -> ClusterConfig.of(redis).withKeyPrefix(keyPrefix));
        try (GracefulStop signals = new GracefulStop("server-stop", out, Duration.ofSeconds(drainSeconds + 15L))) {
            try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId(app).build())) {
                AgentServer.Builder b = AgentServer.builder(service).host(host).port(port).capacity(capacity).auth(auth);
                if (nodeId != null) {
                    BadInputException.parse("--node-id", nodeId, () -> b.nodeId(nodeId));
                }
                if (cluster != null) {
                    b.backend(RedisAgentBackend.factory(cluster));
                }
                try (AgentServer server = b.build().start()) {
                    out.println("agent server listening on " + server.uri() + " (" + (cluster == null
                            ? "one process" : "cluster " + cluster.redactedUri()) + ", " + capacity + " slots, auth "
                            + (auth.isEnabled() ? "on" : "off: 127.0.0.1 only") + ")");
                    out.flush();
                    signals.awaitStop();
                    out.println("draining for up to " + drainSeconds + " s");
                    out.flush();
                    server.drain(Duration.ofSeconds(drainSeconds));
                }
            } finally {
                out.println("stopped");
                out.flush();
                signals.released();
            }
        }
        return 0;
    }
}
