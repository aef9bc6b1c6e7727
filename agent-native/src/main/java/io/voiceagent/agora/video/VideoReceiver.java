package io.voiceagent.agora.video;

import io.voiceagent.agora.AgoraException;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.AgoraStructs.VideoSubscriptionOptionsStruct;
import io.voiceagent.agora.internal.HandleGuard;
import io.voiceagent.agora.internal.Handles.EncodedVideoObserverHandle;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import io.voiceagent.agora.internal.Handles.VideoFrameObserverHandle;
import io.voiceagent.agora.internal.TypedAccess;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives remote users' video on one connection: owns a video frame observer (raw, decoded I420)
 * or an encoded video frame observer (encoded access units), registered on the connection's local
 * user, and the video subscription. Frames are copied on the SDK's thread and delivered to the
 * {@link VideoFrameListener} on the connection's event executor.
 *
 * <pre>{@code
 * try (VideoReceiver video = VideoReceiver.open(connection, new VideoFrameListener() {
 *         public void onFrame(RtcConnection c, ReceivedVideoFrame f) { ... }
 *     })) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Lifecycle, in Agora's order: create the observer, register it, subscribe; on {@link #close()}
 * unsubscribe, unregister, destroy the observer. If the connection closes (or a pool resets it)
 * first, it does this itself before it disconnects, and the receiver is then closed. Thread-safe;
 * close is idempotent.
 */
public final class VideoReceiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VideoReceiver.class);

    /** What a receiver gets. */
    public enum Kind {
        /** Decoded frames, I420 ({@link VideoFrameListener#onFrame}). */
        RAW,
        /** Encoded access units ({@link VideoFrameListener#onEncodedFrame}); subscribes with encoded frames only. */
        ENCODED
    }

    private final RtcConnection connection;
    private final AgoraLibrary lib;
    private final Kind kind;
    private final VideoFrameListener listener;
    private final VideoFrameObserverHandle rawHandle;       // RAW only
    private final EncodedVideoObserverHandle encodedHandle; // ENCODED only
    private final HandleGuard guard = new HandleGuard(this);
    private final TypedAccess.ConnectionResource registration = this::releaseForConnection;
    private final AtomicLong framesReceived = new AtomicLong();

    private VideoReceiver(RtcConnection connection, AgoraLibrary lib, Kind kind, VideoFrameListener listener) {
        this.connection = connection;
        this.lib = lib;
        this.kind = kind;
        this.listener = listener;
        if (kind == Kind.RAW) {
            rawHandle = lib.agora_video_frame_observer2_create(VideoCallbacks.RAW.getPointer());
            encodedHandle = null;
            if (rawHandle == null || rawHandle.getPointer() == null) {
                throw new AgoraException("agora_video_frame_observer2_create", -1, "no observer");
            }
        } else {
            rawHandle = null;
            encodedHandle = lib.agora_video_encoded_frame_observer_create(VideoCallbacks.ENCODED.getPointer());
            if (encodedHandle == null || encodedHandle.getPointer() == null) {
                throw new AgoraException("agora_video_encoded_frame_observer_create", -1, "no observer");
            }
        }
    }

    /** Receives every remote user's decoded video (subscribes to all, high stream). */
    public static VideoReceiver open(RtcConnection connection, VideoFrameListener listener) {
        return open(connection, Kind.RAW, listener);
    }

    /**
     * Registers an observer of {@code kind} on {@code connection} and subscribes to every remote
     * user's video (encoded frames only for {@link Kind#ENCODED}).
     *
     * @throws IllegalStateException if the connection is closed
     * @throws AgoraException naming the C function if the SDK refused
     */
    public static VideoReceiver open(RtcConnection connection, Kind kind, VideoFrameListener listener) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(listener, "listener");
        AgoraLibrary lib = TypedAccess.get().library(connection.service());
        VideoReceiver r = new VideoReceiver(connection, lib, kind, listener);
        VideoCallbacks.route(r.observerPointer(), r);
        try {
            TypedAccess.get().withLocalUser(connection, user -> {
                int rc = kind == Kind.RAW ? lib.agora_local_user_register_video_frame_observer(user, r.rawHandle)
                        : lib.agora_local_user_register_video_encoded_frame_observer(user, r.encodedHandle);
                if (rc != 0) {
                    throw new AgoraException(kind == Kind.RAW ? "agora_local_user_register_video_frame_observer"
                            : "agora_local_user_register_video_encoded_frame_observer", rc, null);
                }
                try {
                    r.subscribeAllLocked(user);
                } catch (RuntimeException e) {
                    r.guard.closeOnce(() -> r.destroyObserver(user));
                    throw e;
                }
                TypedAccess.get().attach(connection, r.registration);
                return null;
            });
        } catch (RuntimeException e) {
            r.guard.closeOnce(() -> r.destroyObserver(null));
            throw e;
        }
        return r;
    }

    private com.sun.jna.Pointer observerPointer() {
        return kind == Kind.RAW ? rawHandle.getPointer() : encodedHandle.getPointer();
    }

    private void subscribeAllLocked(LocalUserHandle user) {
        VideoSubscriptionOptionsStruct o = new VideoSubscriptionOptionsStruct();
        o.type = VideoStreamType.HIGH.value();
        o.encoded_frame_only = kind == Kind.ENCODED ? 1 : 0;
        o.write();
        int rc = lib.agora_local_user_subscribe_all_video(user, o);
        if (rc != 0) {
            throw new AgoraException("agora_local_user_subscribe_all_video", rc, null);
        }
    }

    /** Receives {@code userId}'s video in {@code stream} (after {@link #unsubscribe} or in addition to all). */
    public void subscribe(String userId, VideoStreamType stream) {
        RtcConnection.validateUserId(userId);
        Objects.requireNonNull(stream, "stream");
        withUser(user -> {
            VideoSubscriptionOptionsStruct o = new VideoSubscriptionOptionsStruct();
            o.type = stream.value();
            o.encoded_frame_only = kind == Kind.ENCODED ? 1 : 0;
            o.write();
            return check("agora_local_user_subscribe_video", lib.agora_local_user_subscribe_video(user, userId, o));
        });
    }

    /** Stops receiving {@code userId}'s video. */
    public void unsubscribe(String userId) {
        RtcConnection.validateUserId(userId);
        withUser(user -> check("agora_local_user_unsubscribe_video", lib.agora_local_user_unsubscribe_video(user,
                userId)));
    }

    private void withUser(java.util.function.Function<LocalUserHandle, Void> action) {
        TypedAccess.get().withLocalUser(connection, user -> guard.withHandle(() -> action.apply(user)));
    }

    private static Void check(String function, int rc) {
        if (rc != 0) {
            throw new AgoraException(function, rc, null);
        }
        return null;
    }

    /** The connection this receiver listens on. */
    public RtcConnection connection() {
        return connection;
    }

    public Kind kind() {
        return kind;
    }

    /** Frames copied from the SDK and handed to the connection's executor so far. */
    public long framesReceived() {
        return framesReceived.get();
    }

    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Unsubscribes, unregisters and destroys the observer (Agora's order). Idempotent. When it
     * returns no SDK callback of this receiver runs; a frame already queued on the connection's
     * executor is still delivered unless the connection closed.
     */
    @Override
    public void close() {
        if (guard.isClosed() || connection.isClosed()) {
            return; // a closing connection releases its receivers itself
        }
        try {
            TypedAccess.get().withLocalUser(connection, user -> {
                TypedAccess.get().detach(connection, registration);
                guard.closeOnce(() -> {
                    int rc = lib.agora_local_user_unsubscribe_all_video(user);
                    if (rc != 0) {
                        log.warn("{}: agora_local_user_unsubscribe_all_video returned {}", this, rc);
                    }
                    destroyObserver(user);
                });
                return null;
            });
        } catch (IllegalStateException connectionClosedMeanwhile) {
            // Its close runs releaseForConnection.
        }
    }

    /** Under the connection's write lock (close or reset): unregister and destroy, before disconnect. */
    private void releaseForConnection(LocalUserHandle user) {
        guard.closeOnce(() -> destroyObserver(user));
    }

    // Under the guard's write lock: user == null when registering failed.
    private void destroyObserver(LocalUserHandle user) {
        if (user != null) {
            int rc = kind == Kind.RAW ? lib.agora_local_user_unregister_video_frame_observer(user, rawHandle)
                    : lib.agora_local_user_unregister_video_encoded_frame_observer(user, encodedHandle);
            if (rc != 0) {
                log.warn("{}: unregistering the video observer returned {}", this, rc);
            }
        }
        if (kind == Kind.RAW) {
            lib.agora_video_frame_observer2_destroy(rawHandle);
        } else {
            lib.agora_video_encoded_frame_observer_destroy(encodedHandle);
        }
        VideoCallbacks.unroute(observerPointer(), this);
    }

    /** SDK thread: a copied frame; hands it to the listener on the connection's executor. */
    void deliver(ReceivedVideoFrame frame) {
        if (guard.isClosed()) {
            return;
        }
        framesReceived.incrementAndGet();
        TypedAccess.get().offerEvent(connection, () -> {
            try {
                listener.onFrame(connection, frame);
            } catch (RuntimeException e) {
                log.warn("Video listener of {} threw; later frames still arrive", connection, e);
            }
        });
    }

    /** SDK thread: a copied access unit. */
    void deliver(ReceivedEncodedVideoFrame frame) {
        if (guard.isClosed()) {
            return;
        }
        framesReceived.incrementAndGet();
        TypedAccess.get().offerEvent(connection, () -> {
            try {
                listener.onEncodedFrame(connection, frame);
            } catch (RuntimeException e) {
                log.warn("Video listener of {} threw; later frames still arrive", connection, e);
            }
        });
    }

    @Override
    public String toString() {
        return "VideoReceiver[" + kind + " on " + connection + (guard.isClosed() ? ", closed" : "") + "]";
    }
}
