package io.voiceagent.agora.agent;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RemoteAudioListener;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.RtcConnectionListener;
import io.voiceagent.agora.UserOfflineReason;
import io.voiceagent.agora.audio.AudioOutput;
import io.voiceagent.agora.internal.TypedAccess;
import io.voiceagent.agora.pool.ConnectionPool;
import io.voiceagent.agora.pool.Lease;
import io.voiceagent.core.agent.AgentInput;
import io.voiceagent.core.agent.AgentTransport;
import io.voiceagent.core.agent.SessionExecutor;
import io.voiceagent.core.pacing.AudioPacer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent session's transport over Agora: the remote users' audio of one connection in, a paced
 * {@link AudioOutput} into a published track out, and a session executor on the service's event pool.
 * One call joins (or leases), publishes and is ready to start a session:
 *
 * <pre>{@code
 * session.start(AgoraTransport.join(service, token, "support-42", "agent"));   // closing the session leaves
 * session.start(AgoraTransport.lease(pool, token, "support-42", "agent"));     // ... or returns the lease
 * session.start(AgoraTransport.of(connection, publishedTrack));                // yours: not released
 * }</pre>
 *
 * <p><b>Threads.</b> Remote frames arrive on the connection's event executor (copied from the SDK's
 * memory there) and are posted to the session. The output sends on the pacer thread. This class calls
 * the session only through its {@link AgentInput}.
 *
 * <p><b>Who is in the channel.</b> The transport reports each remote user to the session once with
 * {@link AgentInput#userJoined} and once with {@link AgentInput#userLeft}, in the order the SDK
 * raised the events, from the session's executor. {@link #join} and {@link #lease} watch the channel
 * from before they connect, so users who were there first are reported too when the session starts;
 * {@link #of} sees only the users who join after it was created.
 *
 * <p><b>Ownership.</b> {@link #join} owns the connection and the track it created, {@link #lease} the
 * lease it took; {@link #of} owns neither. Each owns its output and its executor. {@link #close()}
 * (the session calls it) detaches from the connection, stops the output (its queued audio and the
 * track's buffer are dropped) and releases what it owns: the connection leaves the channel, the
 * lease returns its connection to the pool clean. Thread-safe; close is idempotent.
 */
public final class AgoraTransport implements AgentTransport {
    private static final Logger log = LoggerFactory.getLogger(AgoraTransport.class);

    private final RtcConnection connection;
    private final AudioOutput output;
    private final SessionExecutor executor;
    private final List<AutoCloseable> owned; // closed in this order
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Presence presence;
    private volatile AgentInput input;

    private AgoraTransport(RtcConnection connection, LocalAudioTrack track, AgoraTransportOptions options,
            List<AutoCloseable> owned, Presence presence) {
        this.connection = connection;
        this.owned = owned;
        this.presence = presence;
        AgoraService service = connection.service();
        AudioPacer pacer = options.pacer().orElseGet(service::audioPacer);
        this.output = options.direct() ? AudioOutput.direct(track, options.outputFormat())
                : AudioOutput.paced(track, pacer, options.outputFormat(), options.consumerConfig(), null);
        this.executor = SessionExecutor.onPool("agent-session " + connection.channelId() + "/" + connection.userId(),
                TypedAccess.get().eventPool(service));
        presence.target = this;
    }

    /**
     * The remote users present, as the connection's events tell (its event executor is the only
     * writer). Each change is a new numbered snapshot; the session's executor applies snapshots in
     * number order and reports the difference to the session, so the initial report at start and the
     * live events can never be reordered or doubled.
     */
    private static final class Presence implements RtcConnectionListener {
        private record Snapshot(long version, Set<String> users) {}

        private final AtomicReference<Snapshot> current = new AtomicReference<>(new Snapshot(0, Set.of()));
        private volatile AgoraTransport target;
        // Confined to the session's executor.
        private Snapshot reported = new Snapshot(0, Set.of());

        @Override
        public void onUserJoined(RtcConnection c, String userId) {
            change(userId, true);
        }

        @Override
        public void onUserLeft(RtcConnection c, String userId, UserOfflineReason reason) {
            change(userId, false);
        }

        private void change(String userId, boolean joined) {
            Snapshot prev = current.get();
            Set<String> users = new HashSet<>(prev.users());
            if (joined ? !users.add(userId) : !users.remove(userId)) {
                return;
            }
            Snapshot next = new Snapshot(prev.version() + 1, Set.copyOf(users));
            current.set(next);
            AgoraTransport t = target;
            if (t != null && t.input != null) {
                t.executor.execute(() -> report(next));
            }
        }

        /** On the session's executor: tells the session what changed since the last report. */
        void report(Snapshot s) {
            AgoraTransport t = target;
            AgentInput in = t == null ? null : t.input;
            if (in == null || s.version() <= reported.version()) {
                return;
            }
            for (String u : reported.users()) {
                if (!s.users().contains(u)) {
                    in.userLeft(u);
                }
            }
            for (String u : s.users()) {
                if (!reported.users().contains(u)) {
                    in.userJoined(u);
                }
            }
            reported = s;
        }

        void reportCurrent() {
            Snapshot s = current.get();
            target.executor.execute(() -> report(s));
        }

        Set<String> users() {
            return current.get().users();
        }
    }

    /**
     * A transport on a connection and a track of yours; neither is released when the session closes.
     *
     * @throws IllegalArgumentException if {@code track} is not published on {@code connection} (the
     *     agent would talk into the void)
     */
    public static AgoraTransport of(RtcConnection connection, LocalAudioTrack track) {
        return of(connection, track, AgoraTransportOptions.defaults());
    }

    /** {@link #of(RtcConnection, LocalAudioTrack)} with options (the track and connection options are ignored). */
    public static AgoraTransport of(RtcConnection connection, LocalAudioTrack track, AgoraTransportOptions options) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(options, "options");
        if (!connection.localUser().publishedTracks().contains(track)) {
            throw new IllegalArgumentException("track " + track + " is not published on " + connection
                    + ": call connection.localUser().publishAudio(track) first, or use AgoraTransport.join or lease,"
                    + " which publish their own track");
        }
        Presence presence = new Presence();
        connection.addListener(presence);
        return new AgoraTransport(connection, track, options, List.of(), presence);
    }

    /**
     * Creates a connection and a track, joins {@code channelId} as {@code userId} (waiting until
     * joined) and publishes the track. Both are released when the session closes.
     *
     * @param token an RTC token, or {@code ""} for an app id without certificate; never logged
     * @throws io.voiceagent.agora.RtcConnectException if joining fails (nothing is left open)
     */
    public static AgoraTransport join(AgoraService service, String token, String channelId, String userId) {
        return join(service, token, channelId, userId, AgoraTransportOptions.defaults());
    }

    /** {@link #join(AgoraService, String, String, String)} with options. */
    public static AgoraTransport join(AgoraService service, String token, String channelId, String userId,
            AgoraTransportOptions options) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(options, "options");
        RtcConnection.validateChannel(channelId);
        RtcConnection.validateUserId(userId);
        RtcConnection conn = service.createConnection(options.connectionConfig());
        LocalAudioTrack track = null;
        try {
            track = service.createAudioTrack(options.trackOptions());
            Presence presence = new Presence();
            conn.addListener(presence);
            conn.connect(token, channelId, userId);
            conn.localUser().publishAudio(track);
            List<AutoCloseable> owned = new ArrayList<>();
            owned.add(conn);
            owned.add(track);
            return new AgoraTransport(conn, track, options, List.copyOf(owned), presence);
        } catch (RuntimeException e) {
            conn.close();
            if (track != null) {
                track.close();
            }
            throw e;
        }
    }

    /**
     * Leases a connection of {@code pool} for {@code channelId} as {@code userId} (joined) and publishes
     * a track of the lease's. The lease is closed when the session closes.
     *
     * @throws io.voiceagent.agora.pool.PoolExhaustedException if no connection is idle in time
     */
    public static AgoraTransport lease(ConnectionPool pool, String token, String channelId, String userId) {
        return lease(pool, token, channelId, userId, AgoraTransportOptions.defaults());
    }

    /** {@link #lease(ConnectionPool, String, String, String)} with options. */
    public static AgoraTransport lease(ConnectionPool pool, String token, String channelId, String userId,
            AgoraTransportOptions options) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(options, "options");
        Presence presence = new Presence();
        Lease lease = pool.acquire(channelId, userId, token, presence);
        try {
            LocalAudioTrack track = lease.createAudioTrack(options.trackOptions());
            return new AgoraTransport(lease.connection(), track, options, List.of(lease), presence);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** The connection the session listens to. */
    public RtcConnection connection() {
        return connection;
    }

    /** The remote users in the channel now, as far as this transport has seen (see the class comment). */
    public Set<String> remoteUsers() {
        return presence.users();
    }

    @Override
    public SessionExecutor executor() {
        return executor;
    }

    @Override
    public AudioOutput output() {
        return output;
    }

    @Override
    public void start(AgentInput sessionInput) {
        Objects.requireNonNull(sessionInput, "sessionInput");
        if (closed.get() || input != null) {
            throw new IllegalStateException(this + " serves one session and was already started or closed");
        }
        input = sessionInput;
        RemoteAudioListener frames = (c, userId, frame) -> sessionInput.audioFrame(userId, frame);
        connection.localUser().setRemoteAudioListener(frames);
        presence.reportCurrent();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        input = null;
        if (!connection.isClosed()) {
            try {
                connection.removeListener(presence);
                connection.localUser().setRemoteAudioListener(null);
            } catch (IllegalStateException closedMeanwhile) {
                // The connection closed first; its listeners went with it.
            }
        }
        try {
            output.close();
        } catch (RuntimeException e) {
            log.warn("{}: stopping the output failed", this, e);
        }
        for (AutoCloseable r : owned) {
            try {
                r.close();
            } catch (Exception e) {
                log.warn("{}: releasing {} failed", this, r, e);
            }
        }
        executor.close();
    }

    @Override
    public String toString() {
        return "AgoraTransport[" + connection + (owned.isEmpty() ? "" : ", owns " + owned.size()) + "]";
    }
}
