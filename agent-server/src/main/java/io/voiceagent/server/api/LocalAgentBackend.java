package io.voiceagent.server.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-process backend: agents run on this node's {@link AgentHost}; records live in memory (the
 * newest 10,000 ended ones are kept for queries). A join starts the agent before it returns (RUNNING,
 * or FAILED with the reason). Thread-safe.
 */
public final class LocalAgentBackend implements AgentBackend {
    private static final Logger log = LoggerFactory.getLogger(LocalAgentBackend.class);
    private static final int KEEP_ENDED = 10_000;
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(10);

    private final AgentHost host;
    private final String nodeId;
    private final Map<String, AgentInfo> records = new ConcurrentHashMap<>();
    private final Map<String, String> liveNames = new ConcurrentHashMap<>(); // name -> agent id
    private volatile boolean draining;

    public LocalAgentBackend(AgentHost host, String nodeId) {
        this.host = Objects.requireNonNull(host, "host");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    /** A fresh agent id: 32 hex digits, random. */
    public static String newAgentId() {
        return UUID.randomUUID().toString().replace("-", "").toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public AgentInfo join(JoinRequest request) {
        if (draining) {
            throw ApiException.unavailable("Draining", "this server is shutting down and takes no new agents", 5);
        }
        String id = newAgentId();
        String existing = liveNames.putIfAbsent(request.name(), id);
        if (existing != null) {
            throw ApiException.conflict("name", "an agent named '" + request.name() + "' is already running ("
                    + existing + ")", Map.of("agent_id", existing));
        }
        if (!host.tryReserve()) {
            liveNames.remove(request.name(), id);
            throw ApiException.full("all " + host.capacity() + " agent slots of this server are taken", 5);
        }
        long now = nowSeconds();
        AgentSpec spec = request.spec();
        records.put(id, new AgentInfo(id, request.name(), spec.channel(), spec.agentUid(), AgentStatus.STARTING, now,
                0, 0, null, nodeId, 0));
        try {
            host.start(id, spec, this::ended);
        } catch (AgentStartException e) {
            liveNames.remove(request.name(), id);
            AgentInfo failed = update(id, AgentStatus.FAILED, EndReason.START_FAILED.label() + ": " + e.getMessage(),
                    false);
            log.warn("agent {} failed to start: {}", id, e.getMessage());
            return failed;
        }
        AgentInfo r = records.get(id);
        if (r.status() == AgentStatus.STARTING) {
            r = new AgentInfo(id, r.name(), r.channel(), r.agentUid(), AgentStatus.RUNNING, r.createTs(), nowSeconds(),
                    0, null, nodeId, 0);
            records.put(id, r);
        }
        return r;
    }

    private void ended(RunningAgent agent, EndReason reason, String detail) {
        AgentInfo r = records.get(agent.id());
        if (r != null) {
            liveNames.remove(r.name(), agent.id());
        }
        AgentStatus status = reason.status().isFinal() ? reason.status() : AgentStatus.STOPPED;
        update(agent.id(), status, reason.label() + (detail == null ? "" : ": " + detail), true);
        trim();
    }

    private AgentInfo update(String id, AgentStatus status, String reason, boolean stopped) {
        return records.computeIfPresent(id, (k, r) -> new AgentInfo(r.agentId(), r.name(), r.channel(), r.agentUid(),
                status, r.createTs(), r.startTs(), stopped || status.isFinal() ? nowSeconds() : 0, reason, r.node(),
                r.restarts()));
    }

    private void trim() {
        if (records.size() <= KEEP_ENDED + host.capacity()) {
            return;
        }
        List<AgentInfo> ended = new ArrayList<>();
        for (AgentInfo r : records.values()) {
            if (r.status().isFinal()) {
                ended.add(r);
            }
        }
        ended.sort(java.util.Comparator.comparingLong(AgentInfo::stopTs));
        for (int i = 0; i < ended.size() - KEEP_ENDED; i++) {
            records.remove(ended.get(i).agentId());
        }
    }

    @Override
    public AgentInfo get(String agentId) {
        AgentInfo r = records.get(agentId);
        if (r == null) {
            throw unknown(agentId);
        }
        return r;
    }

    static ApiException unknown(String agentId) {
        return ApiException.notFound("agent_id", "no agent with id '" + agentId + "'");
    }

    @Override
    public AgentPage list(ListQuery query) {
        return AgentPage.of(records.values(), query);
    }

    @Override
    public AgentInfo leave(String agentId) {
        AgentInfo r = get(agentId);
        if (r.status().isFinal()) {
            return r;
        }
        RunningAgent a = host.find(agentId).orElse(null);
        if (a == null) {
            return get(agentId);
        }
        records.computeIfPresent(agentId, (k, x) -> x.status().isFinal() ? x : x.with(AgentStatus.STOPPING, null));
        await(a.stop(EndReason.LEFT, null));
        return get(agentId);
    }

    @Override
    public boolean interrupt(String agentId) {
        return await(running(agentId).interrupt());
    }

    @Override
    public long speak(String agentId, SpeakRequest request) {
        return await(running(agentId).speak(request));
    }

    private RunningAgent running(String agentId) {
        AgentInfo r = get(agentId);
        return host.find(agentId).filter(a -> a.endReason() == null).orElseThrow(() -> notRunning(agentId,
                r.status()));
    }

    static ApiException notRunning(String agentId, AgentStatus status) {
        return ApiException.conflict("agent_id", "agent " + agentId + " is not running (it is " + status + ")",
                Map.of("agent_id", agentId));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        return await(f, COMMAND_WAIT);
    }

    /**
     * Waits up to {@code timeout} for a command to an agent's session: its own refusal is rethrown, a
     * closed session is a 409, a stuck one a 503.
     */
    public static <T> T await(java.util.concurrent.CompletableFuture<T> f, Duration timeout) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            if (e.getCause() instanceof IllegalStateException closed) {
                throw ApiException.conflict("agent_id", closed.getMessage(), Map.of());
            }
            throw ApiException.internal("the command failed: " + e.getCause());
        } catch (TimeoutException e) {
            throw ApiException.unavailable("Timeout", "the agent did not answer within " + timeout.toMillis()
                    + " ms", 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted", "interrupted while waiting for the agent", 1);
        }
    }

    @Override
    public NodeInfo node() {
        return NodeInfo.of(nodeId, host, draining);
    }

    @Override
    public boolean isReady() {
        return !draining;
    }

    @Override
    public void drain(Duration deadline) {
        draining = true;
        try {
            if (!host.awaitEmpty(deadline)) {
                log.info("drain: {} agents still running after {} s; they leave now", host.inUse(),
                        deadline.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        host.stopAll(EndReason.SHUTDOWN, "the server drained", Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        draining = true;
        host.stopAll(EndReason.SHUTDOWN, "the server is shutting down", Duration.ofSeconds(10));
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
