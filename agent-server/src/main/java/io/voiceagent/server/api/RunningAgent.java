package io.voiceagent.server.api;

import io.voiceagent.agora.agent.AgoraTransport;
import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.agent.RoundEndReason;
import io.voiceagent.core.agent.RoundResult;
import io.voiceagent.core.pacing.AudioConsumer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent running on this node: its {@link AgentSession} on a pool lease of the {@link AgentHost}.
 * Commands may come from any thread; {@link #stop} is idempotent (the first reason wins) and returns
 * a future that completes once the session has left the channel and the host's
 * {@link AgentHost.Events#ended} has run.
 */
public final class RunningAgent {
    private static final Logger log = LoggerFactory.getLogger(RunningAgent.class);

    private final AgentHost host;
    private final String id;
    private final AgentSpec spec;
    private final AgoraTransport transport;
    private final AgentHost.Events events;
    private final long startedAtMillis = System.currentTimeMillis();
    private final AtomicReference<EndReason> endReason = new AtomicReference<>();
    private volatile String endDetail;
    private volatile AgentSession session;
    private final CompletableFuture<EndReason> ended = new CompletableFuture<>();

    RunningAgent(AgentHost host, String id, AgentSpec spec, AgoraTransport transport, AgentHost.Events events) {
        this.host = host;
        this.id = id;
        this.spec = spec;
        this.transport = transport;
        this.events = events;
    }

    void attach(AgentSession s) {
        session = s;
    }

    public String id() {
        return id;
    }

    public AgentSpec spec() {
        return spec;
    }

    /** When it joined its channel on this node (Unix milliseconds). */
    public long startedAtMillis() {
        return startedAtMillis;
    }

    /** The session (for queries such as {@code history()}). */
    public AgentSession session() {
        return session;
    }

    /** The remote users in the agent's channel now, as its transport has seen them. */
    public java.util.Set<String> remoteUsers() {
        return transport.remoteUsers();
    }

    /** Cuts the agent off now; completes with whether a round was cut. */
    public CompletableFuture<Boolean> interrupt() {
        return session.interrupt();
    }

    /**
     * Says {@code request.text()} now (interrupting the answer in progress), or nothing when the
     * priority is IGNORE and the agent is answering. Completes with the round id, or -1 when ignored.
     *
     * @throws ApiException 409 if the agent has no TTS (an audio LLM alone)
     */
    public CompletableFuture<Long> speak(SpeakRequest request) {
        if (spec.tts() == null) {
            throw ApiException.conflict("properties.tts", "speak needs a tts: this agent answers through an audio"
                    + " LLM only", java.util.Map.of("agent_id", id));
        }
        if (request.ignoreIfSpeaking() && session.isAnswering()) {
            return CompletableFuture.completedFuture(-1L);
        }
        return session.say(request.text());
    }

    /**
     * Leaves the channel (on the host's thread, never the caller's when that is a session or SDK
     * thread). The first reason given is the one reported.
     */
    public CompletableFuture<EndReason> stop(EndReason reason, String detail) {
        if (endReason.compareAndSet(null, reason)) {
            endDetail = detail;
            log.info("agent {} stopping: {}{}", id, reason.label(), detail == null ? "" : " (" + detail + ")");
            host.runLater(() -> {
                AgentSession s = session;
                if (s != null) {
                    s.close();
                }
            });
        }
        return ended.copy();
    }

    /** Completes once the agent has ended and been reported. */
    public CompletableFuture<EndReason> endFuture() {
        return ended.copy();
    }

    /** Why it is ending, or null while it runs. */
    public EndReason endReason() {
        return endReason.get();
    }

    long underruns() {
        AudioConsumer c = transport.output().consumer();
        return c == null ? 0 : c.underruns();
    }

    long droppedFrames() {
        AgentSession s = session;
        return s == null ? 0 : s.droppedFrames();
    }

    /** The session closed (on the host's thread): report once. */
    void closed() {
        endReason.compareAndSet(null, EndReason.SHUTDOWN);
        EndReason r = endReason.get();
        try {
            host.removed(this, r);
            events.ended(this, r, endDetail);
        } catch (RuntimeException e) {
            log.warn("agent {}: reporting its end ({}) failed", id, r.label(), e);
        } finally {
            ended.complete(r);
        }
    }

    /** Greeting and failure message; runs on the session's executor and only posts commands. */
    AgentSessionListener speaker() {
        return new AgentSessionListener() {
            @Override
            public void roundEnded(RoundResult result) {
                String failure = spec.llm().failureMessage();
                if (result.reason() == RoundEndReason.FAILED && failure != null) {
                    session.say(failure);
                }
            }
        };
    }

    /** The first listened-to user is in the channel: say the greeting (session executor). */
    void greet() {
        String g = spec.llm().greeting();
        if (g != null) {
            session.say(g);
        }
    }

    @Override
    public String toString() {
        return "RunningAgent[" + id + ", " + spec.channel() + "/" + spec.agentUid() + "]";
    }
}
