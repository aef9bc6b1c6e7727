package io.voiceagent.agora.video;

import io.voiceagent.agora.AgoraException;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.HandleGuard;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import io.voiceagent.agora.internal.TypedAccess;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every track of this package shares: one owner of a track handle and its sender, enabling,
 * publishing on one connection at a time, and closing in Agora's order (unpublish, disable, destroy
 * the track, then its sender). The service closes a track still open when it closes.
 *
 * <p>Thread-safe. Lock order: a connection's handle lock before a track's. Publishing takes the
 * connection's first; a connection that closes unpublishes its tracks under its write lock, then
 * takes each track's read lock; closing a track unpublishes it before taking its own write lock.
 */
public abstract sealed class MediaTrack implements AutoCloseable permits VideoTrackBase, EncodedAudioTrack {
    private static final Logger log = LoggerFactory.getLogger(MediaTrack.class);
    private static final AtomicLong SERIAL = new AtomicLong();

    static {
        io.voiceagent.agora.internal.MediaAccess.install(new io.voiceagent.agora.internal.MediaAccess.Ops() {
            @Override
            public <T> T withTrackHandle(Object track, java.util.function.Function<com.sun.jna.Pointer, T> action) {
                MediaTrack t = (MediaTrack) track;
                return t.guard.withHandle(() -> action.apply(t.nativeTrack()));
            }

            @Override
            public boolean isVideo(Object track) {
                return track instanceof VideoTrackBase;
            }
        });
    }

    final AgoraService service;
    final AgoraLibrary lib;
    final HandleGuard guard = new HandleGuard(this);
    private final long serial = SERIAL.incrementAndGet();
    private final AtomicReference<RtcConnection> publisher = new AtomicReference<>();
    private final TypedAccess.ConnectionResource publication = this::releaseForConnection;
    private volatile boolean enabled;

    MediaTrack(AgoraService service, AgoraLibrary lib) {
        this.service = service;
        this.lib = lib;
        TypedAccess.get().adopt(service, this);
    }

    // ---- what each kind of track does natively ----

    abstract int publishNative(LocalUserHandle user);

    abstract int unpublishNative(LocalUserHandle user);

    /** The C functions of {@link #publishNative} and {@link #unpublishNative}, for errors. */
    abstract String publishFunction();

    abstract String unpublishFunction();

    abstract void setEnabledNative(boolean enable);

    /** Destroys the track handle, then the sender; called once. */
    abstract void destroyNative();

    /** The track handle's pointer (diagnostics). */
    abstract com.sun.jna.Pointer nativeTrack();

    // ---- public API ----

    /** Enables or disables the track; a disabled track refuses frames. New tracks are enabled. */
    public void setEnabled(boolean enable) {
        guard.withHandle(() -> {
            setEnabledNative(enable);
            enabled = enable;
            return null;
        });
    }

    /** Whether the track is enabled, as last set through this object. */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Publishes this track on {@code connection}'s local user: every remote user who subscribes
     * receives it. Publishing again on the same connection does nothing.
     *
     * @throws IllegalStateException if the track or the connection is closed, or the track is
     *     published on another connection
     * @throws AgoraException naming the C function if the SDK refused
     */
    public void publish(RtcConnection connection) {
        Objects.requireNonNull(connection, "connection");
        TypedAccess.get().withLocalUser(connection, user -> guard.withHandle(() -> {
            RtcConnection prev = publisher.compareAndExchange(null, connection);
            if (prev == connection) {
                return null;
            }
            if (prev != null) {
                throw new IllegalStateException(this + " is already published on " + prev + "; unpublish it first");
            }
            int rc = publishNative(user);
            if (rc != 0) {
                publisher.set(null);
                throw new AgoraException(publishFunction(), rc, this + " on " + connection);
            }
            TypedAccess.get().attach(connection, publication);
            return null;
        }));
    }

    /** Stops publishing; does nothing if the track is not published. */
    public void unpublish() {
        RtcConnection c = publisher.get();
        if (c == null || c.isClosed()) {
            return;
        }
        try {
            TypedAccess.get().withLocalUser(c, user -> guard.withHandle(() -> {
                if (publisher.compareAndSet(c, null)) {
                    TypedAccess.get().detach(c, publication);
                    int rc = unpublishNative(user);
                    if (rc != 0) {
                        throw new AgoraException(unpublishFunction(), rc, toString());
                    }
                }
                return null;
            }));
        } catch (IllegalStateException closedMeanwhile) {
            // The connection (or this track) closed concurrently; the connection unpublished it.
        }
    }

    /** The connection this track is published on, if any. */
    public Optional<RtcConnection> publisher() {
        return Optional.ofNullable(publisher.get());
    }

    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Releases the track and its sender in Agora's order: unpublish, disable, destroy the track,
     * destroy the sender. Idempotent; waits for a send in flight on another thread. After it, every
     * method but this one throws {@link IllegalStateException}.
     */
    @Override
    public void close() {
        unpublish();
        if (!guard.closeOnce(() -> {
            setEnabledNative(false);
            enabled = false;
            destroyNative();
        })) {
            return;
        }
        TypedAccess.get().disown(service, this);
        log.debug("Closed {}", this);
    }

    /** Called under the connection's write lock when it closes or is reset: unpublish natively. */
    private void releaseForConnection(LocalUserHandle user) {
        RtcConnection c = publisher.getAndSet(null);
        if (c == null) {
            return;
        }
        try {
            guard.withHandle(() -> {
                int rc = unpublishNative(user);
                if (rc != 0) {
                    log.warn("{}: {} returned {} while its connection closed", this, unpublishFunction(), rc);
                }
                return null;
            });
        } catch (IllegalStateException closed) {
            // The track was destroyed first; nothing is published any more.
        }
    }

    /** The raw library of {@code service}, which must have video enabled. */
    static AgoraLibrary videoLibrary(AgoraService service) {
        Objects.requireNonNull(service, "service");
        if (!service.config().enableVideo()) {
            throw new IllegalStateException("video needs a service with video enabled:"
                    + " AgoraServiceConfig.builder().enableVideo(true)");
        }
        return TypedAccess.get().library(service);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "#" + serial + (guard.isClosed() ? "[closed]" : "");
    }
}
