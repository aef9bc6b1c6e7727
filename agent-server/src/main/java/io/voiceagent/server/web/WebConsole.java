package io.voiceagent.server.web;

import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.server.EmbeddedServer;
import io.voiceagent.server.StaticFiles;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.voiceagent.server.internal.SessionResources;
import io.voiceagent.core.vad.VadOptions;
import org.eclipse.jetty.server.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Voice sessions over WebSocket with a web console (the protocol of seed 002): the page at
 * {@code /} (plain ES modules from this jar, no build step), the WebSocket at {@code /ws}, one
 * {@link AgentSession} per socket on a {@link WebSocketTransport}. {@link #install} registers the
 * routes on an {@link EmbeddedServer.Builder}; the protocol is described in
 * {@link WebSessionEndpoint}.
 *
 * <pre>{@code
 * try (WebConsole console = WebConsole.create(WebConsoleConfig.defaults(),
 *         (id, session) -> session.stt(stt).llm(llm).tts(tts));
 *      EmbeddedServer server = console.install(EmbeddedServer.builder().port(8000)).build().start()) {
 *     ...
 * }   // console first: every client gets status "stopped" and a close frame
 * }</pre>
 *
 * <p><b>Threads and ownership.</b> The console owns one {@link AudioPacer} (the pacer thread of all
 * its sessions, unless one is given) and one pool whose threads the sessions' executors borrow
 * ({@code voiceagent-web-session-N}, one per core), and one {@link VadBatcher} that scores every
 * session's Silero windows in batches (direct inference per session falls behind at about a hundred
 * streams on two cores; see BENCHMARKS.md). The session factory runs on a Jetty thread, once per
 * socket; the providers it wires are shared and are not closed by the console. Thread-safe.
 */
public final class WebConsole implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebConsole.class);

    /** The page's files, served from this package's {@code console/} resources. */
    static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "protocol.js", "text/javascript; charset=utf-8",
            "audio.js", "text/javascript; charset=utf-8",
            "capture-worklet.js", "text/javascript; charset=utf-8",
            "player-worklet.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    private final WebConsoleConfig config;
    private final SessionFactory sessions;
    private final SessionResources shared;
    private final Set<WebSessionEndpoint> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Sets up the session of one socket: the console hands over a builder that already has the session's
     * name, the console's listener and the shared VAD batcher ({@code VadOptions.defaults().withBatcher});
     * the factory sets the providers (and may replace the VAD options or add listeners).
     */
    @FunctionalInterface
    public interface SessionFactory {
        void configure(String sessionId, AgentSession.Builder session);
    }

    private WebConsole(WebConsoleConfig config, SessionFactory sessions, AudioPacer pacer,
            boolean ownsPacer) {
        this.config = config;
        this.sessions = sessions;
        this.shared = new SessionResources(pacer, ownsPacer, "voiceagent-web-session-", "voiceagent-web-close-");
    }

    /**
     * A console whose sessions {@code sessions} configures (see {@link SessionFactory}), with a pacer of
     * its own.
     */
    public static WebConsole create(WebConsoleConfig config, SessionFactory sessions) {
        return new WebConsole(Objects.requireNonNull(config, "config"), Objects.requireNonNull(sessions, "sessions"),
                AudioPacer.start(), true);
    }

    /** As {@link #create(WebConsoleConfig, SessionFactory)} on a pacer the caller owns (shared with other transports). */
    public static WebConsole create(WebConsoleConfig config, SessionFactory sessions,
            AudioPacer pacer) {
        return new WebConsole(Objects.requireNonNull(config, "config"), Objects.requireNonNull(sessions, "sessions"),
                Objects.requireNonNull(pacer, "pacer"), false);
    }

    /**
     * Registers {@code /} and {@code /console/*} (the page) and the WebSocket {@code /ws} on
     * {@code server}, and raises its message limit above {@link WebConsoleConfig#maxFrameBytes()} so an
     * oversized frame gets an {@code error} instead of a closed socket (up to 1 MB, past which Jetty closes
     * with 1009). Returns {@code server}.
     */
    public EmbeddedServer.Builder install(EmbeddedServer.Builder server) {
        Handler page = new StaticFiles(WebConsole.class, "console", FILES, "index.html", Set.of("", "/"));
        return server.route("", page).route("/index.html", page).route("/console/*", page)
                .maxMessageBytes(Math.max(1 << 20, config.maxFrameBytes() + 1024L))
                .webSocket("/ws", (req, resp, cb) -> new WebSessionEndpoint(this));
    }

    public WebConsoleConfig config() {
        return config;
    }

    /** Sockets being served now. */
    public int sessionCount() {
        return live.size();
    }

    AudioPacer pacer() {
        return shared.pacer();
    }

    ExecutorService pool() {
        return shared.pool();
    }

    /** Where sessions are closed (their close waits for their executor, which borrows {@link #pool()}). */
    ExecutorService closer() {
        return shared.closer();
    }

    /** A builder for socket {@code id}'s session: batched VAD, then the factory's providers. */
    AgentSession.Builder newSession(String id) {
        AgentSession.Builder b = AgentSession.builder().vad(VadOptions.defaults().withBatcher(shared.vadBatcher()));
        sessions.configure(id, b);
        return b;
    }

    /** Takes a place for a new socket; false if {@link WebConsoleConfig#maxSessions()} are served or closing. */
    boolean admit(WebSessionEndpoint e) {
        if (closed.get()) {
            return false;
        }
        if (admitted.incrementAndGet() > config.maxSessions()) {
            admitted.decrementAndGet();
            return false;
        }
        live.add(e);
        return true;
    }

    void release(WebSessionEndpoint e) {
        if (live.remove(e)) {
            admitted.decrementAndGet();
        }
    }

    /**
     * Graceful stop: no new socket is admitted, every client gets {@code status: stopped} and a close
     * frame (1001, after its queued messages flush, within the shutdown grace), every session closes.
     * Then the pool and (if owned) the pacer stop. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<WebSessionEndpoint> all = List.copyOf(live);
        all.forEach(WebSessionEndpoint::sendStopped);
        long flushBy = System.nanoTime() + config.shutdownGrace().toNanos();
        while (System.nanoTime() < flushBy && !all.stream().allMatch(WebSessionEndpoint::flushed)) {
            try {
                Thread.sleep(5); // shutdown only: the last messages leave
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        all.forEach(WebSessionEndpoint::closeSocket);
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (WebSessionEndpoint e : all) {
            e.awaitClosed(Math.max(0, deadline - System.nanoTime()));
        }
        shared.close();
        log.info("web console stopped ({} sessions closed)", all.size());
    }

    @Override
    public String toString() {
        return "WebConsole[" + config.sampleRateHz() + " Hz, " + live.size() + "/" + config.maxSessions() + " sessions]";
    }
}
