package io.voiceagent.server.api;

import io.voiceagent.agora.ConnectionChangedReason;
import io.voiceagent.agora.ConnectionInfo;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.RtcConnectionListener;
import io.voiceagent.agora.agent.AgoraTransport;
import io.voiceagent.agora.pool.ConnectionPool;
import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs agents on this node: each is an {@link AgentSession} started with
 * {@link AgoraTransport#lease} on the node's {@link ConnectionPool}, with its providers from the
 * {@link SessionFactory}, an idle timeout ({@link IdleWatch}), the greeting, and the node's metrics.
 * At most {@link #capacity()} at once: a caller first {@link #tryReserve reserves} a slot, then
 * {@link #start starts} on it (or {@link #release releases} it).
 *
 * <p><b>Threads.</b> {@code start} blocks while the agent joins (tens of milliseconds on loopback,
 * up to the pool's acquire timeout); call it from a request or worker thread. Stops and end reports
 * run on the host's own daemon threads ({@code agent-host-N}), never on a session's executor or an
 * SDK thread, so {@link Events#ended} may block briefly (a Redis write). Thread-safe.
 *
 * <p><b>Ownership.</b> Owns its agents (closed in {@link #close()}), not the pool or the factory.
 */
public final class AgentHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentHost.class);

    /** What the backend learns about its agents; called on a host thread. */
    public interface Events {
        /** The agent's session closed for {@code reason} ({@code detail} may be null); its slot is free. */
        void ended(RunningAgent agent, EndReason reason, String detail);
    }

    private final ConnectionPool pool;
    private final SessionFactory factory;
    private final AgentMetrics metrics;
    private final int capacity;
    private final AtomicInteger inUse = new AtomicInteger();
    private final ConcurrentHashMap<String, RunningAgent> agents = new ConcurrentHashMap<>();
    private final AtomicLong endedUnderruns = new AtomicLong();
    private final AtomicLong endedDroppedFrames = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool(DaemonThreads.named("agent-host-"));

    /**
     * @param capacity the most agents at once, 1..pool size
     */
    public AgentHost(ConnectionPool pool, SessionFactory factory, AgentMetrics metrics, int capacity) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (capacity < 0 || capacity > pool.config().size()) {
            throw new IllegalArgumentException("capacity must be in 0.." + pool.config().size()
                    + " (the pool's size); got " + capacity);
        }
        this.capacity = capacity;
        metrics.bindHost(this);
        metrics.bindPool(pool);
        metrics.bindVad(factory.batcher());
    }

    public SessionFactory factory() {
        return factory;
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    /** Takes a slot if one is free. */
    public boolean tryReserve() {
        while (true) {
            int n = inUse.get();
            if (n >= capacity) {
                return false;
            }
            if (inUse.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot reserved and not started (a failed start gives its slot back itself). */
    public void release() {
        inUse.decrementAndGet();
    }

    /**
     * Starts agent {@code agentId} on a reserved slot: joins the channel, publishes, starts the
     * session. The slot is given back when the agent ends, or at once if this throws.
     *
     * @throws AgentStartException with a reason fit for the agent's record (no token in it)
     */
    public RunningAgent start(String agentId, AgentSpec spec, Events events) {
        long t0 = System.nanoTime();
        AgentSession.Builder b;
        AgoraTransport transport;
        try {
            b = factory.builder(spec);
        } catch (ApiException e) {
            release();
            metrics.agentEnded(EndReason.START_FAILED);
            throw new AgentStartException(e.getMessage(), e);
        }
        try {
            transport = AgoraTransport.lease(pool, spec.token(), spec.channel(), spec.agentUid());
        } catch (RuntimeException e) {
            release();
            metrics.agentEnded(EndReason.START_FAILED);
            throw new AgentStartException("cannot join channel " + spec.channel() + " as " + spec.agentUid() + ": "
                    + e.getMessage(), e);
        }
        RunningAgent a = new RunningAgent(this, agentId, spec, transport, events);
        IdleWatch idle = new IdleWatch(transport.executor(), spec.idleTimeout(), spec::listensTo,
                () -> a.stop(EndReason.IDLE_TIMEOUT, "nobody it listens to was in the channel for "
                        + spec.idleTimeout().toSeconds() + " s"), a::greet);
        AgentSession session;
        try {
            session = b.name("agent-" + agentId).listener(idle).listener(metrics.sessionListener())
                    .listener(a.speaker()).build().start(transport); // a failed start closes the transport
        } catch (RuntimeException e) {
            transport.close();
            release();
            metrics.agentEnded(EndReason.START_FAILED);
            throw new AgentStartException("cannot start the session: " + e.getMessage(), e);
        }
        a.attach(session);
        agents.put(agentId, a);
        transport.connection().addListener(new RtcConnectionListener() {
            @Override
            public void onConnectionFailure(RtcConnection c, ConnectionInfo info, ConnectionChangedReason reason) {
                a.stop(EndReason.CONNECTION_LOST, "connection failed: " + reason);
            }

            @Override
            public void onConnectionLost(RtcConnection c, ConnectionInfo info) {
                a.stop(EndReason.CONNECTION_LOST, "connection lost");
            }
        });
        transport.executor().execute(idle::begin);
        session.closeFuture().whenComplete((v, e) -> runLater(a::closed));
        metrics.agentStarted(Duration.ofNanos(System.nanoTime() - t0));
        log.info("agent {} running in channel {} as {}", agentId, spec.channel(), spec.agentUid());
        return a;
    }

    void runLater(Runnable task) {
        try {
            threads.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            task.run();
        }
    }

    void removed(RunningAgent a, EndReason reason) {
        if (agents.remove(a.id(), a)) {
            endedUnderruns.addAndGet(a.underruns());
            endedDroppedFrames.addAndGet(a.droppedFrames());
            inUse.decrementAndGet();
            metrics.agentEnded(reason);
        }
    }

    /** The agent running here under {@code agentId}, if any. */
    public Optional<RunningAgent> find(String agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    /** The agents running here now. */
    public List<RunningAgent> agents() {
        return new ArrayList<>(agents.values());
    }

    public int capacity() {
        return capacity;
    }

    /** Slots taken: agents running and starting. */
    public int inUse() {
        return inUse.get();
    }

    public int running() {
        return agents.size();
    }

    public int starting() {
        return Math.max(0, inUse.get() - agents.size());
    }

    public int free() {
        return Math.max(0, capacity - inUse.get());
    }

    long underruns() {
        long n = endedUnderruns.get();
        for (RunningAgent a : agents.values()) {
            n += a.underruns();
        }
        return n;
    }

    long droppedFrames() {
        long n = endedDroppedFrames.get();
        for (RunningAgent a : agents.values()) {
            n += a.droppedFrames();
        }
        return n;
    }

    /**
     * Stops every agent for {@code reason} and waits until all have ended, at most {@code timeout}.
     *
     * @return how many were still ending at the deadline
     */
    public int stopAll(EndReason reason, String detail, Duration timeout) {
        List<CompletableFuture<EndReason>> ending = new ArrayList<>();
        for (RunningAgent a : agents()) {
            ending.add(a.stop(reason, detail));
        }
        try {
            CompletableFuture.allOf(ending.toArray(CompletableFuture[]::new)).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            log.warn("{} agents had not left within {} ms", ending.stream().filter(f -> !f.isDone()).count(),
                    timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("stopping agents failed", e.getCause());
        }
        return (int) ending.stream().filter(f -> !f.isDone()).count();
    }

    /** Waits until no agent runs here, at most {@code timeout}; true if none is left. */
    public boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inUse.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Stops every agent ({@link EndReason#SHUTDOWN}, up to 10 s), then the host's threads. Idempotent. */
    @Override
    public void close() {
        if (threads.isShutdown()) {
            return;
        }
        stopAll(EndReason.SHUTDOWN, "the server is shutting down", Duration.ofSeconds(10));
        threads.shutdown();
    }

    @Override
    public String toString() {
        return "AgentHost[" + inUse.get() + "/" + capacity + "]";
    }
}
