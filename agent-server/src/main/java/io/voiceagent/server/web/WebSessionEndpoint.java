package io.voiceagent.server.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.agent.InterruptTrigger;
import io.voiceagent.core.agent.RoundEndReason;
import io.voiceagent.core.agent.RoundLatency;
import io.voiceagent.core.agent.RoundResult;
import io.voiceagent.core.time.Ticker;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client of a {@link WebConsole}: one {@link AgentSession} on a
 * {@link WebSocketTransport}, and the protocol of seed 002 between them.
 *
 * <p><b>Client to server.</b> JSON commands named by {@code type}: {@code start} (listen to the
 * microphone), {@code stop} (stop listening, cut the agent off, clear every queue), {@code reset} (a new
 * conversation: history cleared), {@code interrupt} (cut the agent off), {@code text_input} with
 * {@code text} (a typed turn, straight to the LLM). Unknown fields are ignored. Binary messages:
 * {@code [uint32 LE timestamp ms][uint32 LE flags: bits 0-7 energy, bit 8 silence, bit 9 first
 * block][PCM16 LE mono at the session rate]}; turn detection is the server's VAD, so the energy and
 * silence flags are informational; a first-block flag drops a partial 10 ms frame left from before.
 *
 * <p><b>Server to client</b>, each JSON with {@code session_id}: {@code status} ({@code status}:
 * {@code listening} / {@code stopped}, plus {@code sample_rate}), {@code partial_transcript} and
 * {@code final_transcript} ({@code content}), {@code llm_status} ({@code status: processing}),
 * {@code llm_response} ({@code content}, {@code is_complete}: deltas while the LLM streams, then the
 * whole answer), {@code tts_start} ({@code format: "pcm"}, {@code sample_rate}), {@code tts_end},
 * {@code tts_stop}, {@code interrupt_acknowledged}, {@code stop_acknowledged} ({@code queues_cleared:
 * true}), {@code error} ({@code message}). Round messages also carry {@code round_id}. Two extension
 * messages feed the console: {@code vad} ({@code state}: {@code speech_started} / {@code
 * speech_ended}) and {@code round_end} ({@code round_id}, {@code reason}, {@code latency_ms} from the
 * end of speech: {@code final_transcript}, {@code first_token}, {@code first_audio}, {@code
 * first_frame_sent}). Binary messages: raw PCM16 mono at the session rate, between {@code tts_start}
 * and {@code tts_end}; after {@code tts_stop} no byte of the interrupted round follows.
 *
 * <p><b>Bad input</b> gets an {@code error} and the session goes on: invalid JSON, a missing or
 * unknown {@code type}, {@code text_input} without text, a binary message shorter than 8 bytes, with
 * an odd PCM length or over the frame limit, audio before {@code start}, frames beyond the rate limit
 * (repeated errors of one kind at most once a second). A client beyond the server's session limit
 * gets an {@code error} and close code 1013.
 *
 * <p><b>Threads.</b> Jetty calls this endpoint on its threads, one message at a time per socket;
 * session events arrive on the session's executor; both only queue messages on the socket's ordered
 * {@link WebSocketSender}. Public only because Jetty calls it reflectively.
 */
public final class WebSessionEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger log = LoggerFactory.getLogger(WebSessionEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ERROR_REPEAT_NANOS = 1_000_000_000L;

    private final WebConsole console;
    private final WebConsoleConfig config;
    private final String id = UUID.randomUUID().toString();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    // Set in onWebSocketOpen (Jetty thread), read by every thread afterwards.
    private volatile Session socket;
    private volatile WebSocketSender sender;
    private volatile WebSocketTransport transport;
    private volatile AgentSession session;
    private volatile boolean listening;

    // Jetty thread only (one message at a time per socket).
    private double tokens;
    private long tokensAtNanos;
    private final long[] lastErrorNanos = new long[2]; // 0: audio before start, 1: rate limit
    private final boolean[] errorSent = new boolean[2];

    WebSessionEndpoint(WebConsole console) {
        this.console = console;
        this.config = console.config();
        this.tokens = config.maxFramesPerSecond();
        this.tokensAtNanos = System.nanoTime();
    }

    /** The id in every message of this socket. */
    public String sessionId() {
        return id;
    }

    // =====================================================================================
    // Jetty: open, messages, close
    // =====================================================================================

    @Override
    public void onWebSocketOpen(Session s) {
        socket = s;
        long queuedBytes = config.format().bytesFor(config.maxQueuedAudio().toMillis());
        WebSocketSender out = new WebSocketSender(s, queuedBytes);
        sender = out;
        if (!console.admit(this)) {
            send(message("error").put("message", "this server is serving its maximum of " + config.maxSessions()
                    + " sessions (maxSessions) or is stopping; try again later"));
            s.close(StatusCode.TRY_AGAIN_LATER, "server full", Callback.NOOP);
            closed.complete(null);
            return;
        }
        WebSocketTransport t = new WebSocketTransport("web-" + id.substring(0, 8), console.pool(), console.pacer(),
                config.format(), config.output(), out);
        transport = t;
        try {
            session = console.newSession(id).name("web-" + id.substring(0, 8)).listener(new Events(t.executor().ticker()))
                    .build().start(t);
        } catch (RuntimeException e) {
            log.warn("web session {}: cannot start", id, e);
            send(message("error").put("message", "cannot start the session: " + e.getMessage()));
            console.release(this);
            t.close();
            s.close(StatusCode.SERVER_ERROR, "session failed", Callback.NOOP);
            closed.complete(null);
            return;
        }
        sendStatus();
    }

    @Override
    public void onWebSocketText(String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            error("invalid JSON: " + e.getOriginalMessage());
            return;
        }
        if (m == null || !m.isObject()) {
            error("a command must be a JSON object with a type; got " + abbreviate(text));
            return;
        }
        JsonNode type = m.get("type");
        if (type == null || !type.isTextual()) {
            error("a command needs a string field type (start, stop, reset, interrupt or text_input); got "
                    + abbreviate(text));
            return;
        }
        AgentSession s = session;
        if (s == null || s.state() != AgentSession.State.RUNNING) {
            error("the session is not running");
            return;
        }
        switch (type.asText()) {
            case "start" -> {
                listening = true;
                sendStatus();
            }
            case "stop" -> {
                listening = false;
                transport.userLeft();
                s.interrupt().whenComplete((cut, e) -> {
                    send(message("stop_acknowledged").put("queues_cleared", true));
                    sendStatus();
                });
            }
            case "reset" -> s.clearHistory();
            case "interrupt" -> s.interrupt().whenComplete((cut, e) -> send(message("interrupt_acknowledged")));
            case "text_input" -> {
                JsonNode t = m.get("text");
                if (t == null || !t.isTextual() || t.asText().isBlank()) {
                    error("text_input needs a non-blank string field text; got " + abbreviate(text));
                    return;
                }
                s.sendText(t.asText());
            }
            default -> error("unknown type '" + abbreviate(type.asText()) + "'; expected start, stop, reset, interrupt "
                    + "or text_input");
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            onAudio(payload);
        } finally {
            callback.succeed();
        }
    }

    private void onAudio(ByteBuffer payload) {
        int n = payload.remaining();
        if (n < 8) {
            error("binary frame of " + n + " bytes is shorter than its 8-byte header [uint32 timestamp][uint32 flags]");
            return;
        }
        if (n > config.maxFrameBytes()) {
            error("binary frame of " + n + " bytes is over the limit of " + config.maxFrameBytes() + " bytes; dropped");
            return;
        }
        if ((n - 8) % 2 != 0) {
            error("binary frame has " + (n - 8) + " bytes of PCM: PCM16 needs an even length; dropped");
            return;
        }
        if (!listening) {
            throttledError(0, "audio before start: send {\"type\":\"start\"} first; frames are dropped until then");
            return;
        }
        if (!takeToken()) {
            throttledError(1, "rate limit: more than " + config.maxFramesPerSecond()
                    + " binary frames per second (maxFramesPerSecond); frames dropped");
            return;
        }
        ByteBuffer b = payload.order(ByteOrder.LITTLE_ENDIAN);
        long timestamp = Integer.toUnsignedLong(b.getInt(b.position()));
        int flags = b.getInt(b.position() + 4);
        if ((flags & (1 << 9)) != 0) {
            transport.resetPartialFrame();
        }
        byte[] pcm = new byte[n - 8];
        b.get(b.position() + 8, pcm);
        transport.deliver(pcm, 0, pcm.length, timestamp);
    }

    private boolean takeToken() {
        long now = System.nanoTime();
        int max = config.maxFramesPerSecond();
        tokens = Math.min(max, tokens + (now - tokensAtNanos) * max / 1e9);
        tokensAtNanos = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    private void throttledError(int kind, String text) {
        long now = System.nanoTime();
        if (!errorSent[kind] || now - lastErrorNanos[kind] >= ERROR_REPEAT_NANOS) {
            errorSent[kind] = true;
            lastErrorNanos[kind] = now;
            error(text);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        end();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("web session {}: socket error", id, cause);
        end();
    }

    private void end() {
        WebSocketSender out = sender;
        if (out != null) {
            out.close();
        }
        AgentSession s = session;
        if (s == null) {
            console.release(this);
            closed.complete(null);
            return;
        }
        // Not on Jetty's thread, nor on the pool the session's executor borrows: close() waits for it.
        CompletableFuture.runAsync(s::close, console.closer()).whenComplete((x, e) -> {
            console.release(this);
            closed.complete(null);
        });
    }

    /** Graceful stop, first step (the console closes): no more listening, {@code status: stopped} queued. */
    void sendStopped() {
        listening = false;
        send(message("status").put("status", "stopped").put("sample_rate", config.sampleRateHz()));
    }

    /** Whether everything queued for the client has been handed to the socket. */
    boolean flushed() {
        WebSocketSender out = sender;
        return out == null || out.isIdle();
    }

    /** Graceful stop, last step: the close frame (1001); the session closes when the socket has. */
    void closeSocket() {
        Session s = socket;
        if (s == null) {
            closed.complete(null);
            return;
        }
        s.close(StatusCode.SHUTDOWN, "server stopping", Callback.NOOP);
    }

    void awaitClosed(long timeoutNanos) {
        try {
            closed.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            log.debug("web session {} did not close in time", id);
        }
    }

    // =====================================================================================
    // Messages
    // =====================================================================================

    private ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type).put("session_id", id);
    }

    private void send(ObjectNode m) {
        WebSocketSender out = sender;
        if (out != null) {
            out.sendText(m.toString());
        }
    }

    private void sendStatus() {
        send(message("status").put("status", listening ? "listening" : "stopped").put("sample_rate",
                config.sampleRateHz()));
    }

    private void error(String text) {
        send(message("error").put("message", text));
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    /** Session events -> protocol messages; all on the session's executor. */
    private final class Events implements AgentSessionListener {
        private final Ticker ticker;
        private final Set<Long> suppressed = new HashSet<>();
        private final Set<Long> spoke = new HashSet<>();
        private boolean cutNextRound;
        private long speechEndedNanos = -1;
        private long transcriptNanos = -1;
        private long transcriptRoundOrigin = -1;

        Events(Ticker ticker) {
            this.ticker = ticker;
        }

        @Override
        public void userSpeechStarted(String userId) {
            send(message("vad").put("state", "speech_started"));
        }

        @Override
        public void userSpeechEnded(String userId, long speechMs) {
            speechEndedNanos = ticker.nanoTime();
            send(message("vad").put("state", "speech_ended").put("speech_ms", speechMs));
        }

        @Override
        public void userPartialTranscript(String userId, String text) {
            if (listening) {
                send(message("partial_transcript").put("content", text));
            }
        }

        @Override
        public void userTranscript(String userId, String text) {
            if (!listening) {
                // Recognized after "stop": the round it opens (in this same task) is cut at once.
                cutNextRound = true;
                transport.executor().execute(() -> cutNextRound = false);
                return;
            }
            transcriptNanos = ticker.nanoTime();
            transcriptRoundOrigin = speechEndedNanos;
            send(message("final_transcript").put("content", text));
        }

        @Override
        public void turnFailed(String userId, Throwable error) {
            send(message("error").put("message", "speech recognition failed: " + error.getMessage()));
        }

        @Override
        public void roundStarted(long roundId) {
            if (cutNextRound) {
                cutNextRound = false;
                suppressed.add(roundId);
                session.interrupt();
                return;
            }
            send(message("llm_status").put("status", "processing").put("round_id", roundId));
        }

        @Override
        public void agentTextDelta(long roundId, String delta) {
            if (!suppressed.contains(roundId)) {
                send(message("llm_response").put("content", delta).put("is_complete", false).put("round_id", roundId));
            }
        }

        @Override
        public void agentSpeechStarted(long roundId) {
            if (!suppressed.contains(roundId)) {
                spoke.add(roundId);
                send(message("tts_start").put("format", "pcm").put("sample_rate", config.sampleRateHz())
                        .put("round_id", roundId));
            }
        }

        @Override
        public void interrupted(long roundId, InterruptTrigger trigger) {
            if (!suppressed.contains(roundId)) {
                send(message("tts_stop").put("round_id", roundId).put("trigger", trigger.name().toLowerCase()));
            }
        }

        @Override
        public void agentAnswer(long roundId, String text) {
            if (!suppressed.contains(roundId)) {
                send(message("llm_response").put("content", text).put("is_complete", true).put("round_id", roundId));
            }
        }

        @Override
        public void roundEnded(RoundResult r) {
            long id = r.roundId();
            boolean quiet = suppressed.remove(id);
            boolean spoken = spoke.remove(id);
            if (quiet) {
                return;
            }
            if (spoken && r.reason() != RoundEndReason.INTERRUPTED) {
                send(message("tts_end").put("round_id", id));
            }
            if (r.reason() == RoundEndReason.FAILED && r.failure() != null) {
                send(message("error").put("message", "round " + id + " failed: " + r.failure().getMessage()));
            }
            ObjectNode end = message("round_end").put("round_id", id).put("reason", r.reason().name().toLowerCase());
            ObjectNode ms = end.putObject("latency_ms");
            if (transcriptNanos >= 0 && transcriptRoundOrigin >= 0) {
                ms.put("final_transcript", Duration.ofNanos(transcriptNanos - transcriptRoundOrigin).toMillis());
                transcriptNanos = -1;
            }
            RoundLatency l = r.latency();
            put(ms, "first_token", l.toFirstLlmToken());
            put(ms, "first_audio", l.toFirstAudio());
            put(ms, "first_frame_sent", l.toFirstFrameSent());
            send(end);
        }

        private void put(ObjectNode n, String field, Duration d) {
            if (d != null) {
                n.put(field, d.toNanos() / 1e6);
            }
        }
    }

    @Override
    public String toString() {
        return "WebSessionEndpoint[" + id + (listening ? ", listening" : "") + "]";
    }
}
