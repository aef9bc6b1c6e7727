package io.voiceagent.server.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.voiceagent.agora.pool.ConnectionPool;
import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.agent.InterruptTrigger;
import io.voiceagent.core.agent.RoundEndReason;
import io.voiceagent.core.agent.RoundResult;
import io.voiceagent.core.vad.VadBatcher;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * The node's metrics, in Prometheus text format on {@code GET /metrics} (Micrometer). All names start
 * with {@code voiceagent_}:
 *
 * <ul>
 *   <li>{@code sessions{state}}: this node's agents by state (starting, running); {@code sessions_active}
 *       (starting + running: the metric to scale workers on) and {@code sessions_capacity};</li>
 *   <li>{@code sessions_started_total}, {@code sessions_ended_total{reason}} and
 *       {@code agent_start_seconds} (slot reserved to agent in the channel, histogram);</li>
 *   <li>{@code rounds_total{reason}}, {@code interrupts_total{trigger}} and the per-stage latency
 *       histograms {@code round_first_token_seconds}, {@code round_first_audio_seconds},
 *       {@code round_first_frame_sent_seconds} (from the end of the user's speech);</li>
 *   <li>{@code pacing_underruns_total} (times a receiver ran dry mid-answer, all sessions of the node);</li>
 *   <li>{@code vad_inference_seconds_total}, {@code vad_windows_total}, {@code vad_queued_windows} (the
 *       process-wide batcher: VAD cost);</li>
 *   <li>{@code pool_connections{state}} (in_use, idle), {@code pool_failed_total},
 *       {@code pool_acquire_timeouts_total};</li>
 *   <li>{@code api_requests_total{route,status}}.</li>
 * </ul>
 *
 * <p>No label carries a channel, user, agent id or secret (bounded cardinality). Thread-safe; the
 * session listener ({@link #sessionListener()}) is stateless and shared by every session.
 */
public final class AgentMetrics {
    private final PrometheusMeterRegistry registry;
    private final Map<RoundEndReason, Counter> rounds = new EnumMap<>(RoundEndReason.class);
    private final Map<InterruptTrigger, Counter> interrupts = new EnumMap<>(InterruptTrigger.class);
    private final Map<EndReason, Counter> ended = new EnumMap<>(EndReason.class);
    private final Timer firstToken;
    private final Timer firstAudio;
    private final Timer firstFrame;
    private final Timer agentStart;
    private final Counter started;
    private final AgentSessionListener listener;
    /** What the meters read: Micrometer holds it weakly, this keeps it for the registry's life. */
    private final List<Object> strong = new CopyOnWriteArrayList<>();

    public AgentMetrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (RoundEndReason r : RoundEndReason.values()) {
            rounds.put(r, Counter.builder("voiceagent.rounds").tag("reason", lower(r))
                    .description("Rounds ended, by how they ended").register(registry));
        }
        for (InterruptTrigger t : InterruptTrigger.values()) {
            interrupts.put(t, Counter.builder("voiceagent.interrupts").tag("trigger", lower(t))
                    .description("Rounds cut off, by what cut them").register(registry));
        }
        for (EndReason e : EndReason.values()) {
            ended.put(e, Counter.builder("voiceagent.sessions.ended").tag("reason", e.label())
                    .description("Agent sessions ended on this node, by reason").register(registry));
        }
        firstToken = latency("voiceagent.round.first.token", "End of the user's speech to the LLM's first token");
        firstAudio = latency("voiceagent.round.first.audio", "End of the user's speech to the first answer audio queued");
        firstFrame = latency("voiceagent.round.first.frame.sent", "End of the user's speech to the first frame sent");
        agentStart = latency("voiceagent.agent.start", "Slot reserved to the agent in its channel");
        started = Counter.builder("voiceagent.sessions.started").description("Agent sessions started on this node")
                .register(registry);
        listener = new AgentSessionListener() {
            @Override
            public void interrupted(long roundId, InterruptTrigger trigger) {
                interrupts.get(trigger).increment();
            }

            @Override
            public void roundEnded(RoundResult r) {
                rounds.get(r.reason()).increment();
                record(firstToken, r.latency().toFirstLlmToken());
                record(firstAudio, r.latency().toFirstAudio());
                record(firstFrame, r.latency().toFirstFrameSent());
            }
        };
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    private static void record(Timer t, Duration d) {
        if (d != null) {
            t.record(d);
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Counts rounds, interrupts and stage latencies of the sessions it is added to. */
    public AgentSessionListener sessionListener() {
        return listener;
    }

    /** The Micrometer registry, for more meters of the embedding application. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    void agentStarted(Duration slotToChannel) {
        started.increment();
        agentStart.record(slotToChannel);
    }

    void agentEnded(EndReason reason) {
        ended.get(reason).increment();
    }

    /** Registers the gauges of {@code host}: sessions by state, active, capacity, underruns, dropped frames. */
    void bindHost(AgentHost host) {
        strong.add(host);
        gauge("voiceagent.sessions", "Agents of this node by state", host, h -> h.starting(), "state", "starting");
        gauge("voiceagent.sessions", "Agents of this node by state", host, h -> h.running(), "state", "running");
        gauge("voiceagent.sessions.active", "Agents starting or running on this node", host, h -> h.inUse());
        gauge("voiceagent.sessions.capacity", "Agents this node takes at most", host, h -> h.capacity());
        FunctionCounter.builder("voiceagent.pacing.underruns", host, h -> h.underruns())
                .description("Times a receiver ran dry in the middle of an answer (all sessions of the node)")
                .register(registry);
        FunctionCounter.builder("voiceagent.session.dropped.frames", host, h -> h.droppedFrames())
                .description("Remote audio frames dropped because a session's queue was full").register(registry);
    }

    /** Registers the VAD batcher's cost counters. */
    void bindVad(VadBatcher b) {
        strong.add(b);
        FunctionCounter.builder("voiceagent.vad.inference.seconds", b, x -> x.inferenceNanos() / 1e9)
                .description("CPU time of VAD inference (process-wide batcher)").register(registry);
        FunctionCounter.builder("voiceagent.vad.windows", b, x -> x.scoredWindows())
                .description("Silero windows scored").register(registry);
        FunctionCounter.builder("voiceagent.vad.batches", b, x -> x.batchCount())
                .description("Inference calls (batches)").register(registry);
        gauge("voiceagent.vad.queued.windows", "Windows waiting for inference", b, x -> x.queuedWindows());
    }

    /** Registers the connection pool's state. */
    void bindPool(ConnectionPool pool) {
        strong.add(pool);
        gauge("voiceagent.pool.connections", "Pooled connections by state", pool, p -> p.metrics().inUse(), "state",
                "in_use");
        gauge("voiceagent.pool.connections", "Pooled connections by state", pool, p -> p.metrics().idle(), "state",
                "idle");
        FunctionCounter.builder("voiceagent.pool.failed", pool, p -> p.metrics().failed())
                .description("Pooled connections found failed and replaced").register(registry);
        FunctionCounter.builder("voiceagent.pool.acquire.timeouts", pool, p -> p.metrics().acquireTimeouts())
                .description("Leases that gave up waiting for an idle connection").register(registry);
    }

    void apiRequest(String route, int status) {
        registry.counter("voiceagent.api.requests", "route", route, "status", Integer.toString(status)).increment();
    }

    private <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> f, String... tags) {
        Gauge.builder(name, obj, f).description(description).tags(tags).strongReference(true).register(registry);
    }
}
