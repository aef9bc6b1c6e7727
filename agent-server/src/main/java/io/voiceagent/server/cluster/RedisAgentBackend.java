package io.voiceagent.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.server.api.AgentBackend;
import io.voiceagent.server.api.AgentHost;
import io.voiceagent.server.api.AgentInfo;
import io.voiceagent.server.api.AgentPage;
import io.voiceagent.server.api.AgentServer;
import io.voiceagent.server.api.AgentStartException;
import io.voiceagent.server.api.AgentStatus;
import io.voiceagent.server.api.ApiException;
import io.voiceagent.server.api.EndReason;
import io.voiceagent.server.api.JoinRequest;
import io.voiceagent.server.api.ListQuery;
import io.voiceagent.server.api.LocalAgentBackend;
import io.voiceagent.server.api.NodeInfo;
import io.voiceagent.server.api.RunningAgent;
import io.voiceagent.server.api.SpeakRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent server across processes and machines, through one Redis (Lettuce client). Every node
 * serves the whole API and, with capacity above 0, is a worker:
 *
 * <ul>
 *   <li><b>Join</b> (any node): one script checks the name, counts the cluster's free slots (heartbeats
 *       of live workers minus agents not ended), writes the record and adds a job to the stream
 *       {@code P jobs}; the node waits up to {@code joinWait} for a worker to report it running.</li>
 *   <li><b>Workers pull</b>: each reads the stream in the consumer group {@code workers}
 *       ({@code XREADGROUP}) only while it has a free slot, so load spreads by capacity by itself.</li>
 *   <li><b>Ownership is the pending entry</b> of the agent's job (see {@link RedisScripts}): a worker keeps
 *       its jobs pending for the agents' whole lives and renews them every {@code renewInterval}; a worker
 *       that dies (kill -9) stops renewing, and after {@code leaseTimeout} another worker with a free slot
 *       takes the job ({@code XAUTOCLAIM}) and starts the agent again (RECOVERING, then RUNNING): exactly
 *       one worker can hold a pending entry, and every write is fenced by it, so no agent is lost or run
 *       twice. A worker that finds a job no longer its own (it was paused past its lease) stops its agent
 *       without writing anything.</li>
 *   <li><b>Commands reach the owner</b> from any node: leave, interrupt and speak are published on the
 *       owner's channel ({@code P node:<id>}) and answered on the asker's; a leave first marks the record,
 *       so an agent that is failing over meanwhile is ended, not restarted.</li>
 *   <li><b>Redis restarts are survived</b>: the client reconnects (commands fail fast meanwhile), pub/sub
 *       resubscribes, agents keep running, and no worker claims anything until it has been connected for
 *       a whole lease (so owners renew first). Redis must persist (AOF) for state to outlive a restart. A
 *       worker that cannot reach Redis at all for {@code outageGrace} stops its agents (another may run
 *       them by then).</li>
 *   <li><b>Drain</b>: a draining worker takes no jobs, lets agents end until the deadline, then hands the
 *       rest over: their jobs are made claimable at once and other workers restart them.</li>
 * </ul>
 *
 * <p>Threads: one reader ({@code agent-jobs}) blocks on the stream; one timer ({@code agent-lease})
 * heartbeats, renews and claims; a small pool ({@code agent-cluster-N}) starts agents and runs commands;
 * Lettuce's own threads deliver pub/sub messages, which are only handed over. The token and keys of a
 * join are stored with its job (Redis must be private to the cluster) and never logged.
 */
public final class RedisAgentBackend implements AgentBackend {
    private static final Logger log = LoggerFactory.getLogger(RedisAgentBackend.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = "workers";

    private final AgentHost host;
    private final String nodeId;
    private final ClusterConfig config;
    private final String prefix;
    private final String jobsKey;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> conn;
    private final StatefulRedisConnection<String, String> jobsConn;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final ConcurrentHashMap<String, LocalJob> local = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<String>> joinWaiters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool(DaemonThreads.named("agent-cluster-"));
    private final ScheduledExecutorService lease = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("agent-lease-"));
    private final Thread reader;
    private final long startNanos = System.nanoTime();
    private volatile long lastFailureNanos = System.nanoTime();
    private volatile long lastReachedNanos = System.nanoTime();
    private volatile boolean draining;
    private volatile boolean closed;
    private long ticks;

    /** A job this worker holds: pending in the stream under its name. */
    private static final class LocalJob {
        final String jobId;
        volatile RunningAgent agent;
        volatile boolean lost;
        /** Set when the agent ended and its end could not be written yet: {status, reason}. */
        volatile String[] finish;

        LocalJob(String jobId) {
            this.jobId = jobId;
        }
    }

    private RedisAgentBackend(AgentHost host, String nodeId, ClusterConfig config) {
        this.host = host;
        this.nodeId = nodeId;
        this.config = config;
        this.prefix = config.keyPrefix();
        this.jobsKey = prefix + "jobs";
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, RedisURI.create(config.redisUri()));
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout())).build());
        StatefulRedisConnection<String, String> c = null;
        StatefulRedisConnection<String, String> j = null;
        StatefulRedisPubSubConnection<String, String> p = null;
        try {
            c = client.connect();
            j = client.connect();
            p = client.connectPubSub();
        } catch (RuntimeException e) {
            for (AutoCloseable x : new AutoCloseable[] {c, j, p}) {
                closeQuietly(x);
            }
            client.shutdown();
            resources.shutdown();
            throw new IllegalStateException("cannot connect to Redis at " + config.redactedUri() + ": " + e.getMessage(), e);
        }
        this.conn = c;
        this.jobsConn = j;
        this.pubsub = p;
        this.reader = new Thread(this::readJobs, "agent-jobs");
        this.reader.setDaemon(true);
    }

    /** For {@link AgentServer.Builder#backend}: each node of the cluster with {@code config}. */
    public static AgentServer.BackendFactory factory(ClusterConfig config) {
        Objects.requireNonNull(config, "config");
        return (host, nodeId) -> create(host, nodeId, config);
    }

    /**
     * Connects, creates the stream's consumer group if needed, subscribes, heartbeats, and starts taking
     * jobs (with capacity above 0).
     *
     * @throws IllegalStateException if Redis cannot be reached
     */
    public static RedisAgentBackend create(AgentHost host, String nodeId, ClusterConfig config) {
        RedisAgentBackend b = new RedisAgentBackend(host, nodeId, config);
        try {
            b.ensureGroup();
            b.pubsub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    b.onMessage(channel, message);
                }
            });
            b.pubsub.sync().subscribe(b.nodeChannel(nodeId), b.prefix + "events");
            b.heartbeat();
        } catch (RuntimeException e) {
            b.closeConnections();
            throw new IllegalStateException("cannot join the cluster at " + config.redactedUri() + ": " + e.getMessage(),
                    e);
        }
        if (host.capacity() > 0) {
            b.reader.start();
        }
        long every = config.renewInterval().toMillis();
        b.lease.scheduleWithFixedDelay(b::tick, every, every, TimeUnit.MILLISECONDS);
        log.info("node {} joined the cluster at {} with {} slots", nodeId, config.redactedUri(), host.capacity());
        return b;
    }

    // =====================================================================================
    // Keys and small helpers
    // =====================================================================================

    private String agentKey(String id) {
        return prefix + "agent:" + id;
    }

    private String nodeChannel(String node) {
        return prefix + "node:" + node;
    }

    private RedisCommands<String, String> redis() {
        return conn.sync();
    }

    @SuppressWarnings("unchecked")
    private <T> T eval(String script, ScriptOutputType type, String[] keys, String... args) {
        return (T) redis().eval(script, type, keys, args);
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private String keepSeconds() {
        return Long.toString(config.history().toSeconds());
    }

    private void failed(RuntimeException e) {
        lastFailureNanos = System.nanoTime();
        log.debug("Redis command failed: {}", e.toString());
    }

    private static ApiException storeDown(RuntimeException e) {
        return ApiException.unavailable("StoreUnavailable", "the cluster store (Redis) is unreachable: "
                + e.getMessage(), 2);
    }

    private void ensureGroup() {
        try {
            redis().xgroupCreate(XReadArgs.StreamOffset.from(jobsKey, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
    }

    // =====================================================================================
    // API: any node
    // =====================================================================================

    @Override
    public AgentInfo join(JoinRequest request) {
        if (draining) {
            throw ApiException.unavailable("Draining", "this node is shutting down; send the join to another node", 2);
        }
        String id = LocalAgentBackend.newAgentId();
        CompletableFuture<String> running = new CompletableFuture<>();
        joinWaiters.put(id, running);
        try {
            List<Object> r;
            try {
                r = eval(RedisScripts.JOIN, ScriptOutputType.MULTI, new String[] {prefix + "name:" + request.name(),
                        prefix + "active", prefix + "workers", agentKey(id), prefix + "agents", jobsKey}, id,
                        request.name(), request.spec().channel(), request.spec().agentUid(), Long.toString(nowSeconds()),
                        request.propertiesJson());
            } catch (RedisException e) {
                throw storeDown(e);
            }
            String outcome = String.valueOf(r.get(0));
            if (outcome.equals("conflict")) {
                String existing = String.valueOf(r.get(1));
                throw ApiException.conflict("name", "an agent named '" + request.name() + "' is already running ("
                        + existing + ")", Map.of("agent_id", existing));
            }
            if (outcome.equals("full")) {
                throw ApiException.full("all " + r.get(1) + " agent slots of the cluster are taken", 5);
            }
            try {
                running.get(config.joinWait().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // Answer STARTING: a worker will take it when one has a slot.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // not completed exceptionally
            }
            return get(id);
        } finally {
            joinWaiters.remove(id);
        }
    }

    @Override
    public AgentInfo get(String agentId) {
        Map<String, String> h;
        try {
            h = redis().hgetall(agentKey(agentId));
        } catch (RedisException e) {
            throw storeDown(e);
        }
        if (h == null || h.isEmpty()) {
            throw ApiException.notFound("agent_id", "no agent with id '" + agentId + "'");
        }
        return info(agentId, h);
    }

    private static AgentInfo info(String id, Map<String, String> h) {
        String reason = h.getOrDefault("reason", "");
        String node = h.getOrDefault("node", "");
        return new AgentInfo(id, h.get("name"), h.get("channel"), h.get("uid"),
                AgentStatus.valueOf(h.getOrDefault("status", "STARTING")), num(h.get("create_ts")),
                num(h.get("start_ts")), num(h.get("stop_ts")), reason.isEmpty() ? null : reason,
                node.isEmpty() ? null : node, (int) num(h.get("restarts")));
    }

    private static long num(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public AgentPage list(ListQuery query) {
        try {
            List<String> ids = redis().zrange(prefix + "agents", 0, -1);
            List<RedisFuture<Map<String, String>>> reads = new ArrayList<>();
            for (String id : ids) {
                reads.add(conn.async().hgetall(agentKey(id)));
            }
            List<AgentInfo> all = new ArrayList<>();
            List<String> expired = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                Map<String, String> h = reads.get(i).get(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
                if (h == null || h.isEmpty()) {
                    expired.add(ids.get(i));
                } else {
                    all.add(info(ids.get(i), h));
                }
            }
            if (!expired.isEmpty()) {
                redis().zrem(prefix + "agents", expired.toArray(String[]::new));
            }
            return AgentPage.of(all, query);
        } catch (RedisException e) {
            throw storeDown(e);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            throw storeDown(new RedisException(e.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted", "interrupted", 1);
        }
    }

    @Override
    public AgentInfo leave(String agentId) {
        List<Object> r;
        try {
            r = eval(RedisScripts.LEAVE, ScriptOutputType.MULTI, new String[] {agentKey(agentId), jobsKey,
                    prefix + "workers"}, GROUP, agentId, Long.toString(nowSeconds()), keepSeconds(), prefix);
        } catch (RedisException e) {
            throw storeDown(e);
        }
        String outcome = String.valueOf(r.get(0));
        if (outcome.equals("missing")) {
            throw ApiException.notFound("agent_id", "no agent with id '" + agentId + "'");
        }
        if (outcome.equals("owner")) {
            String owner = String.valueOf(r.get(1));
            try {
                command(owner, agentId, "leave", JSON.createObjectNode());
            } catch (ApiException e) {
                if (e.status() != 503) {
                    throw e;
                }
                log.info("leave of {}: its worker {} did not confirm ({}); the record says STOPPING and the agent"
                        + " ends when the worker or its successor sees it", agentId, owner, e.getMessage());
            }
        } else {
            publishEvent(agentId, "STOPPED");
        }
        return get(agentId);
    }

    @Override
    public boolean interrupt(String agentId) {
        return commandToOwner(agentId, "interrupt", JSON.createObjectNode()).asBoolean();
    }

    @Override
    public long speak(String agentId, SpeakRequest request) {
        ObjectNode args = JSON.createObjectNode();
        args.put("text", request.text());
        args.put("ignore", request.ignoreIfSpeaking());
        return commandToOwner(agentId, "speak", args).asLong();
    }

    private JsonNode commandToOwner(String agentId, String op, ObjectNode args) {
        AgentInfo a = get(agentId);
        if (a.status() != AgentStatus.RUNNING || a.node() == null) {
            throw ApiException.conflict("agent_id", "agent " + agentId + " is not running (it is " + a.status() + ")",
                    Map.of("agent_id", agentId));
        }
        return command(a.node(), agentId, op, args);
    }

    /** Runs {@code op} on the node that runs the agent: here, or over its channel. Returns the result value. */
    private JsonNode command(String owner, String agentId, String op, ObjectNode args) {
        if (owner.equals(nodeId)) {
            return runLocally(op, agentId, args);
        }
        String req = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(req, reply);
        try {
            ObjectNode msg = args.deepCopy();
            msg.put("op", op);
            msg.put("agent", agentId);
            msg.put("from", nodeId);
            msg.put("req", req);
            long receivers;
            try {
                receivers = redis().publish(nodeChannel(owner), msg.toString());
            } catch (RedisException e) {
                throw storeDown(e);
            }
            if (receivers == 0) {
                throw ApiException.unavailable("OwnerUnreachable", "node " + owner + " that runs agent " + agentId
                        + " does not answer; the agent is failing over", 1);
            }
            JsonNode r = reply.get(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!r.path("ok").asBoolean()) {
                throw ApiException.relayed(r.path("status").asInt(500), r.path("reason").asText("InternalError"),
                        r.hasNonNull("field") ? r.get("field").asText() : null, r.path("detail").asText(), null);
            }
            return r.path("value");
        } catch (TimeoutException e) {
            throw ApiException.unavailable("Timeout", "node " + owner + " did not answer within "
                    + config.commandTimeout().toMillis() + " ms", 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted", "interrupted", 1);
        } catch (java.util.concurrent.ExecutionException e) {
            throw ApiException.internal(String.valueOf(e.getCause()));
        } finally {
            replies.remove(req);
        }
    }

    /** A command on an agent of this node. */
    private JsonNode runLocally(String op, String agentId, JsonNode args) {
        LocalJob j = local.get(agentId);
        RunningAgent a = j == null ? null : j.agent;
        if (op.equals("leave")) {
            if (a != null) {
                await(a.stop(EndReason.LEFT, null));
            }
            return JSON.getNodeFactory().booleanNode(true); // not started yet: the record's stop mark ends it
        }
        if (a == null || a.endReason() != null) {
            throw ApiException.conflict("agent_id", "agent " + agentId + " is not running on node " + nodeId,
                    Map.of("agent_id", agentId));
        }
        return switch (op) {
            case "interrupt" -> JSON.getNodeFactory().booleanNode(await(a.interrupt()));
            case "speak" -> JSON.getNodeFactory().numberNode(await(a.speak(new SpeakRequest(args.path("text").asText(),
                    args.path("ignore").asBoolean()))));
            default -> throw ApiException.badRequest("op", "unknown command '" + op + "'");
        };
    }

    private <T> T await(CompletableFuture<T> f) {
        return LocalAgentBackend.await(f, config.commandTimeout());
    }

    private void onMessage(String channel, String message) {
        JsonNode m;
        try {
            m = JSON.readTree(message);
        } catch (Exception e) {
            log.warn("ignoring a malformed cluster message on {}", channel);
            return;
        }
        if (channel.equals(prefix + "events")) {
            CompletableFuture<String> w = joinWaiters.get(m.path("agent").asText());
            if (w != null) {
                w.complete(m.path("status").asText());
            }
        } else if (m.has("reply")) {
            CompletableFuture<JsonNode> r = replies.get(m.get("reply").asText());
            if (r != null) {
                r.complete(m);
            }
        } else if (m.has("op")) {
            workers.execute(() -> answer(m));
        }
    }

    /** Runs a command another node sent and publishes the answer on its channel (a cluster thread). */
    private void answer(JsonNode m) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("reply", m.path("req").asText());
        try {
            reply.set("value", runLocally(m.path("op").asText(), m.path("agent").asText(), m));
            reply.put("ok", true);
        } catch (ApiException e) {
            reply.put("ok", false);
            reply.put("status", e.status());
            reply.put("reason", e.reason());
            reply.put("detail", e.getMessage());
            if (e.field() != null) {
                reply.put("field", e.field());
            }
        } catch (RuntimeException e) {
            reply.put("ok", false);
            reply.put("status", 500);
            reply.put("reason", "InternalError");
            reply.put("detail", e.toString());
        }
        try {
            redis().publish(nodeChannel(m.path("from").asText()), reply.toString());
        } catch (RedisException e) {
            failed(e);
        }
    }

    private void publishEvent(String agentId, String status) {
        CompletableFuture<String> w = joinWaiters.get(agentId);
        if (w != null) {
            w.complete(status);
        }
        ObjectNode e = JSON.createObjectNode();
        e.put("agent", agentId);
        e.put("status", status);
        e.put("node", nodeId);
        try {
            conn.async().publish(prefix + "events", e.toString());
        } catch (RedisException ex) {
            failed(ex);
        }
    }

    @Override
    public NodeInfo node() {
        return NodeInfo.of(nodeId, host, draining);
    }

    @Override
    public boolean isReady() {
        return !draining && !closed && conn.isOpen();
    }

    // =====================================================================================
    // Worker: take jobs, run them, end them
    // =====================================================================================

    /** The reader thread: one job at a time, only while a slot is free. */
    private void readJobs() {
        Consumer<String> me = Consumer.from(GROUP, nodeId);
        while (!closed) {
            if (draining || host.free() == 0) {
                sleep(100);
                continue;
            }
            List<StreamMessage<String, String>> got;
            try {
                got = jobsConn.sync().xreadgroup(me, XReadArgs.Builder.block(1000).count(1),
                        XReadArgs.StreamOffset.lastConsumed(jobsKey));
            } catch (RedisException e) {
                if (closed) {
                    return;
                }
                failed(e);
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    try {
                        ensureGroup();
                    } catch (RedisException again) {
                        failed(again);
                    }
                }
                sleep(500);
                continue;
            }
            for (StreamMessage<String, String> m : got) {
                accept(m, false);
            }
        }
    }

    /** A job delivered to this worker (read or claimed): reserve a slot and start it, or give it back. */
    private void accept(StreamMessage<String, String> m, boolean claimed) {
        String agentId = m.getBody() == null ? null : m.getBody().get("agent");
        if (agentId == null) {
            try {
                redis().xack(jobsKey, GROUP, m.getId());
                redis().xdel(jobsKey, m.getId());
            } catch (RedisException e) {
                failed(e);
            }
            return;
        }
        if (draining || !host.tryReserve()) {
            handOver(agentId, m.getId());
            return;
        }
        local.put(agentId, new LocalJob(m.getId()));
        workers.execute(() -> take(agentId, m, claimed));
    }

    private void take(String agentId, StreamMessage<String, String> m, boolean claimed) {
        LocalJob j = local.get(agentId);
        boolean slotTaken = false; // true once host.start owns the reserved slot
        try {
            String outcome = eval(RedisScripts.START, ScriptOutputType.VALUE, new String[] {jobsKey, agentKey(agentId)},
                    GROUP, nodeId, m.getId(), claimed ? "1" : "0", prefix, Long.toString(nowSeconds()), keepSeconds(),
                    agentId);
            if (!outcome.equals("start")) {
                host.release();
                local.remove(agentId, j);
                if (outcome.equals("stop")) {
                    publishEvent(agentId, "STOPPED");
                }
                return;
            }
            JoinRequest request;
            try {
                request = JoinRequest.restore(m.getBody().get("name"), m.getBody().get("props"));
            } catch (ApiException e) {
                host.release();
                finish(agentId, j, AgentStatus.FAILED, EndReason.START_FAILED.label() + ": " + e.getMessage());
                return;
            }
            RunningAgent a;
            try {
                slotTaken = true;
                a = host.start(agentId, request.spec(), this::ended);
            } catch (AgentStartException e) {
                log.warn("agent {} failed to start: {}", agentId, e.getMessage());
                finish(agentId, j, AgentStatus.FAILED, EndReason.START_FAILED.label() + ": " + e.getMessage());
                return;
            }
            j.agent = a;
            if (j.lost) {
                a.stop(EndReason.OWNERSHIP_LOST, "the lease was lost while starting");
                return;
            }
            String r = eval(RedisScripts.RUNNING, ScriptOutputType.VALUE, new String[] {jobsKey, agentKey(agentId)},
                    GROUP, nodeId, m.getId(), Long.toString(nowSeconds()));
            switch (r) {
                case "lost" -> a.stop(EndReason.OWNERSHIP_LOST, "another worker took the job");
                case "stop" -> a.stop(EndReason.LEFT, null);
                default -> {
                    publishEvent(agentId, "RUNNING");
                    log.info("agent {} {} on node {}", agentId, claimed ? "recovered" : "running", nodeId);
                }
            }
        } catch (RedisException e) {
            failed(e);
            if (!slotTaken) {
                host.release();
                local.remove(agentId, j); // not renewed: it ages out and another worker (or this one) claims it
            }
            log.warn("agent {}: Redis failed while starting it: {}", agentId, e.getMessage());
        }
    }

    /** The host reports an agent of this node ended (a host thread). */
    private void ended(RunningAgent agent, EndReason reason, String detail) {
        LocalJob j = local.get(agent.id());
        if (j == null) {
            return;
        }
        switch (reason) {
            case OWNERSHIP_LOST -> local.remove(agent.id(), j);
            case HANDOVER -> {
                handOver(agent.id(), j.jobId);
                local.remove(agent.id(), j);
            }
            default -> finish(agent.id(), j, reason.status(), reason.label() + (detail == null ? "" : ": " + detail));
        }
    }

    /** Writes an agent's end (fenced); kept for the next tick if Redis is unreachable now. */
    private void finish(String agentId, LocalJob j, AgentStatus status, String reason) {
        j.finish = new String[] {status.name(), reason};
        tryFinish(agentId, j);
    }

    private void tryFinish(String agentId, LocalJob j) {
        String[] f = j.finish;
        try {
            Long ok = eval(RedisScripts.FINISH, ScriptOutputType.INTEGER, new String[] {jobsKey, agentKey(agentId)},
                    GROUP, nodeId, j.jobId, agentId, f[0], f[1], Long.toString(nowSeconds()), keepSeconds(), prefix);
            local.remove(agentId, j);
            if (ok != null && ok == 1) {
                publishEvent(agentId, f[0]);
            } else {
                log.info("agent {} ended here but its job had moved to another worker; nothing written", agentId);
            }
        } catch (RedisException e) {
            failed(e);
            log.warn("agent {} ended ({}); writing it failed, retrying: {}", agentId, f[1], e.getMessage());
        }
    }

    /** Makes a job of this worker claimable by the others at once (draining, or no slot after all). */
    private void handOver(String agentId, String jobId) {
        try {
            eval(RedisScripts.HANDOVER, ScriptOutputType.INTEGER, new String[] {jobsKey, agentKey(agentId)}, GROUP,
                    nodeId, jobId, Long.toString(config.leaseTimeout().toMillis() + 1000));
        } catch (RedisException e) {
            failed(e); // not renewed either way: it ages out after the lease
        }
    }

    // =====================================================================================
    // Lease timer: heartbeat, renew, claim
    // =====================================================================================

    private void tick() {
        if (closed) {
            return;
        }
        try {
            heartbeat();
            renew();
            for (Map.Entry<String, LocalJob> e : local.entrySet()) {
                if (e.getValue().finish != null) {
                    tryFinish(e.getKey(), e.getValue());
                }
            }
            long now = System.nanoTime();
            lastReachedNanos = now;
            long lease = config.leaseTimeout().toNanos();
            // Claim only after a whole lease of being connected: after a Redis restart every owner renews first.
            if (!draining && host.free() > 0 && now - lastFailureNanos > lease && now - startNanos > lease) {
                claim();
            }
            if (++ticks % 120 == 0) {
                forgetDeadConsumers();
            }
        } catch (RedisException e) {
            failed(e);
            long unreachable = System.nanoTime() - lastReachedNanos;
            if (unreachable > config.outageGrace().toNanos() && !local.isEmpty()) {
                log.warn("Redis unreachable for {} s: stopping this node's {} agents, which other workers may run by"
                        + " now", unreachable / 1_000_000_000L, local.size());
                for (LocalJob j : local.values()) {
                    j.lost = true;
                    RunningAgent a = j.agent;
                    if (a != null) {
                        a.stop(EndReason.OWNERSHIP_LOST, "Redis unreachable for longer than the outage grace");
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("cluster tick failed", e);
        }
    }

    private void heartbeat() {
        eval(RedisScripts.HEARTBEAT, ScriptOutputType.INTEGER, new String[] {prefix + "workers"}, nodeId,
                Integer.toString(host.capacity()), Integer.toString(host.inUse()), draining ? "1" : "0",
                Long.toString(config.leaseTimeout().toMillis()));
    }

    private void renew() {
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of(GROUP, nodeId));
        for (Map.Entry<String, LocalJob> e : local.entrySet()) {
            keys.add(e.getKey());
            args.add(e.getValue().jobId);
        }
        if (keys.isEmpty()) {
            return;
        }
        List<Object> kept = eval(RedisScripts.RENEW, ScriptOutputType.MULTI, new String[] {jobsKey},
                args.toArray(String[]::new));
        Set<String> still = new HashSet<>();
        kept.forEach(k -> still.add(String.valueOf(k)));
        for (String agentId : keys) {
            LocalJob j = local.get(agentId);
            if (j != null && !still.contains(j.jobId)) {
                j.lost = true;
                local.remove(agentId, j);
                RunningAgent a = j.agent;
                if (a != null) {
                    log.warn("agent {}: this node no longer holds its job (paused past the lease?); stopping it here",
                            agentId);
                    a.stop(EndReason.OWNERSHIP_LOST, "another worker took the job");
                }
            }
        }
    }

    /** Takes jobs whose owner stopped renewing them, as many as there are free slots. */
    private void claim() {
        Consumer<String> me = Consumer.from(GROUP, nodeId);
        String cursor = "0-0";
        for (int round = 0; round < 100; round++) {
            int free = host.free();
            if (free <= 0) {
                return;
            }
            ClaimedMessages<String, String> c = redis().xautoclaim(jobsKey,
                    XAutoClaimArgs.Builder.xautoclaim(me, config.leaseTimeout(), cursor).count(free));
            for (StreamMessage<String, String> m : c.getMessages()) {
                if (m.getBody() == null || m.getBody().isEmpty()) {
                    continue; // deleted meanwhile
                }
                log.info("node {} claims agent {} (job {}) from a worker that stopped renewing it", nodeId,
                        m.getBody().get("agent"), m.getId());
                accept(m, true);
            }
            cursor = c.getId();
            if (cursor == null || cursor.equals("0-0")) {
                return;
            }
        }
    }

    /** Removes consumers of the group that hold nothing and were idle for a minute (dead workers). */
    private void forgetDeadConsumers() {
        for (Object o : redis().xinfoConsumers(jobsKey, GROUP)) {
            if (!(o instanceof List<?> fields)) {
                continue;
            }
            String name = null;
            long pending = -1;
            long idle = 0;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String k = String.valueOf(fields.get(i));
                Object v = fields.get(i + 1);
                switch (k) {
                    case "name" -> name = String.valueOf(v);
                    case "pending" -> pending = ((Number) v).longValue();
                    case "idle" -> idle = ((Number) v).longValue();
                    default -> {
                    }
                }
            }
            if (name != null && !name.equals(nodeId) && pending == 0 && idle > 60_000) {
                redis().xgroupDelconsumer(jobsKey, Consumer.from(GROUP, name));
            }
        }
    }

    // =====================================================================================
    // Drain and close
    // =====================================================================================

    @Override
    public void drain(Duration deadline) {
        draining = true;
        try {
            heartbeat();
        } catch (RedisException e) {
            failed(e);
        }
        try {
            if (!host.awaitEmpty(deadline)) {
                log.info("drain: handing {} agents over to the other workers", host.inUse());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        host.stopAll(EndReason.HANDOVER, "the worker drained", Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        draining = true;
        // Agents still here go to the other workers rather than ending with this process.
        host.stopAll(EndReason.HANDOVER, "the worker closed", Duration.ofSeconds(10));
        closed = true;
        lease.shutdownNow();
        try {
            redis().hdel(prefix + "workers", nodeId);
        } catch (RedisException e) {
            failed(e);
        }
        reader.interrupt();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdown();
        closeConnections();
    }

    private void closeConnections() {
        closeQuietly(pubsub);
        closeQuietly(jobsConn);
        closeQuietly(conn);
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "RedisAgentBackend[" + nodeId + " at " + config.redactedUri() + ", prefix " + prefix + "]";
    }
}
