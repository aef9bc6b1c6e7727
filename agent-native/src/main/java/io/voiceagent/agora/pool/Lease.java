package io.voiceagent.agora.pool;

import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.ConnectionChangedReason;
import io.voiceagent.agora.ConnectionInfo;
import io.voiceagent.agora.ConnectionState;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.RtcConnectionListener;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's use of a pooled {@link RtcConnection}, from {@link ConnectionPool#acquire} to
 * {@link #close()}. Resources the lease owns ({@link #own}, {@link #createAudioTrack}) are closed
 * when it closes, in reverse order, before the connection is reset and returned, so nothing of this
 * user survives into the next lease. Thread-safe; close is idempotent.
 */
public final class Lease implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lease.class);

    private final ConnectionPool pool;
    private final RtcConnection connection;
    private final String channelId;
    private final String userId;
    // Guarded by itself.
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean failed;
    private final RtcConnectionListener failureWatcher = new RtcConnectionListener() {
        @Override
        public void onConnectionFailure(RtcConnection c, ConnectionInfo info, ConnectionChangedReason reason) {
            markFailed();
        }

        @Override
        public void onConnectionLost(RtcConnection c, ConnectionInfo info) {
            markFailed();
        }
    };

    Lease(ConnectionPool pool, RtcConnection connection, String channelId, String userId) {
        this.pool = pool;
        this.connection = connection;
        this.channelId = channelId;
        this.userId = userId;
    }

    /** The leased connection; valid until this lease closes. */
    public RtcConnection connection() {
        ensureOpen();
        return connection;
    }

    public String channelId() {
        return channelId;
    }

    public String userId() {
        return userId;
    }

    /** Whether the connection failed during this lease (it will be replaced, not reused). */
    public boolean isFailed() {
        return failed || connection.state() == ConnectionState.FAILED;
    }

    /** Makes {@code resource} part of this lease: it is closed when the lease closes. Returns it. */
    public <T extends AutoCloseable> T own(T resource) {
        Objects.requireNonNull(resource, "resource");
        synchronized (owned) {
            ensureOpen();
            owned.push(resource);
        }
        return resource;
    }

    /** Creates an audio track owned by this lease and publishes it on the leased connection. */
    public LocalAudioTrack createAudioTrack(AudioTrackOptions options) {
        LocalAudioTrack track = own(connection.service().createAudioTrack(options));
        connection.localUser().publishAudio(track);
        return track;
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Closes what the lease owns, then returns the connection to the pool clean (or replaces it if failed). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        while (true) {
            AutoCloseable r;
            synchronized (owned) {
                r = owned.poll();
            }
            if (r == null) {
                break;
            }
            try {
                r.close();
            } catch (Exception e) {
                log.warn("Closing {} of lease {}/{} failed", r, channelId, userId, e);
            }
        }
        pool.release(this, connection, isFailed());
    }

    @Override
    public String toString() {
        return "Lease[" + channelId + "/" + userId + (closed.get() ? ", closed" : "") + "]";
    }

    RtcConnectionListener failureWatcher() {
        return failureWatcher;
    }

    void markFailed() {
        failed = true;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
    }
}
