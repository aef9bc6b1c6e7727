package io.voiceagent.server.duet;

import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.core.duet.Duet;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.server.internal.SessionResources;
import io.voiceagent.core.vad.VadOptions;
import io.voiceagent.server.EmbeddedServer;
import io.voiceagent.server.StaticFiles;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The duet over WebSocket (the protocol of seed 003): the WebSocket at {@code /ws/{session_id}}, one
 * {@link Duet} per session id (a client reconnecting with the same id gets the same duet back), and
 * the duet page at {@code /duet}. {@link #install} registers them on an {@link EmbeddedServer.Builder};
 * with the web console on the same server, {@code /ws} (exact) stays the console's and
 * {@code /ws/{id}} is the duet's. The messages are described in {@link DuetSocket}.
 *
 * <pre>{@code
 * try (DuetServer duets = DuetServer.create(DuetServerConfig.defaults(),
 *         (id, duet) -> duet.llm(ScriptedDuetResponder.create(Duration.ofMillis(20)))
 *                 .voices(VoiceCatalog.espeakNg()).stt(stt));
 *      EmbeddedServer server = duets.install(EmbeddedServer.builder().port(8000)).build().start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Threads and ownership.</b> The server owns one {@link AudioPacer} (unless given one: it paces
 * every agent's speech, whose timeline decides when the next turn starts), one pool whose threads
 * the duets' and sessions' executors borrow ({@code voiceagent-duet-N}), one {@link VadBatcher} for
 * the user's voice, and every duet it made. The factory runs on a Jetty thread, once per new session
 * id; the providers it wires are shared and not closed by the server. Thread-safe.
 */
public final class DuetServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DuetServer.class);

    /** The page's files, served from this package's {@code page/} resources. */
    static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "duet.js", "text/javascript; charset=utf-8",
            "duet.css", "text/css; charset=utf-8");

    /**
     * Sets up the duet of a new session id: the server hands over a builder that already has the
     * agents of the config, the transports, the executor, the turn limit, the stop phrase and the
     * batched VAD; the factory sets the providers ({@code llm}, {@code voices}, {@code stt}) and may
     * change the rest.
     */
    @FunctionalInterface
    public interface DuetFactory {
        void configure(String sessionId, Duet.Builder duet);
    }

    private final DuetServerConfig config;
    private final DuetFactory factory;
    private final SessionResources shared;
    private final ScheduledExecutorService timer;
    private final Map<String, DuetRoom> rooms = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private DuetServer(DuetServerConfig config, DuetFactory factory, AudioPacer pacer, boolean ownsPacer) {
        this.config = Objects.requireNonNull(config, "config");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.shared = new SessionResources(pacer, ownsPacer, "voiceagent-duet-", "voiceagent-duet-close-");
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("voiceagent-duet-expiry-"));
    }

    /** A server whose duets {@code factory} completes, with a pacer of its own. */
    public static DuetServer create(DuetServerConfig config, DuetFactory factory) {
        return new DuetServer(config, factory, AudioPacer.start(), true);
    }

    /** As {@link #create(DuetServerConfig, DuetFactory)} on a pacer the caller owns (shared with other transports). */
    public static DuetServer create(DuetServerConfig config, DuetFactory factory, AudioPacer pacer) {
        return new DuetServer(config, factory, Objects.requireNonNull(pacer, "pacer"), false);
    }

    /**
     * Registers the WebSocket {@code /ws/*} (the session id is the last path segment), the page at
     * {@code /duet} and its files under {@code /duet/*} on {@code server}, and raises the server's
     * message limit to fit the longest {@code user_audio} in base64. Returns {@code server}.
     */
    public EmbeddedServer.Builder install(EmbeddedServer.Builder server) {
        StaticFiles page = new StaticFiles(DuetServer.class, "page", FILES, "index.html", Set.of("/duet", "/duet/"));
        // The microphone's worklet is the web console's own file, served here too (the duet may run alone).
        StaticFiles capture = new StaticFiles(io.voiceagent.server.web.WebConsole.class, "console",
                Map.of("capture-worklet.js", "text/javascript; charset=utf-8"), "capture-worklet.js", Set.of());
        long maxMessage = config.format().bytesFor(config.maxUserAudio().toMillis()) * 4 / 3 + 4096;
        return server.route("/duet", page).route("/duet/*", page).route("/duet/capture-worklet.js", capture)
                .maxMessageBytes(Math.max(1 << 20, maxMessage))
                .webSocket("/ws/*", (req, resp, cb) -> new DuetSocket(this,
                        org.eclipse.jetty.server.Request.getPathInContext(req)));
    }

    public DuetServerConfig config() {
        return config;
    }

    /** Sessions kept now (attached or waiting for a reconnect). */
    public int sessionCount() {
        return rooms.size();
    }

    /**
     * The session {@code id}: the one kept under that id (a reconnect), or a new one if there is room.
     *
     * @return null if the server is closed or keeps its maximum of sessions
     */
    DuetRoom room(String id) {
        if (closed.get()) {
            return null;
        }
        DuetRoom existing = rooms.get(id);
        if (existing != null) {
            return existing;
        }
        synchronized (rooms) {
            existing = rooms.get(id);
            if (existing != null) {
                return existing;
            }
            if (rooms.size() >= config.maxSessions()) {
                return null;
            }
            DuetRoom r = new DuetRoom(this, id);
            rooms.put(id, r);
            return r;
        }
    }

    /** A builder for session {@code id}'s duet: the config's agents and limits, batched VAD, then the factory. */
    Duet.Builder newDuet(String id) {
        Duet.Builder b = Duet.builder().name("duet-" + id)
                .vad(VadOptions.defaults().withBatcher(shared.vadBatcher()))
                .maxTurns(config.maxTurns())
                .stopPhrase(config.stopPhrase())
                .holdTurns(true);
        config.agents().forEach(b::agent);
        factory.configure(id, b);
        return b;
    }

    AudioPacer pacer() {
        return shared.pacer();
    }

    ExecutorService pool() {
        return shared.pool();
    }

    /** Closes {@code room} after the reconnect window unless a client has attached since detach {@code seq}. */
    void scheduleExpiry(DuetRoom room, long seq) {
        if (closed.get()) {
            return;
        }
        timer.schedule(() -> {
            if (room.expireIfDetached(seq)) {
                rooms.remove(room.id(), room);
                shared.closer().execute(room::close);
            }
        }, config.reconnectWindow().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A session that failed to open is forgotten. */
    void forget(DuetRoom room) {
        rooms.remove(room.id(), room);
    }

    /**
     * Stops: every client gets a close frame (1001), every duet closes, then the pool, the timer and (if
     * owned) the pacer stop. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<DuetRoom> all = List.copyOf(rooms.values());
        rooms.clear();
        all.forEach(DuetRoom::closeSocket);
        all.forEach(DuetRoom::close);
        timer.shutdownNow();
        shared.close();
        log.info("duet server stopped ({} sessions closed)", all.size());
    }

    @Override
    public String toString() {
        return "DuetServer[" + rooms.size() + "/" + config.maxSessions() + " sessions]";
    }
}
