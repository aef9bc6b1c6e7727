package io.voiceagent.agora;

import io.voiceagent.agora.internal.HandleGuard;
import io.voiceagent.agora.internal.CallbackSupport;
import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.AgoraStructs.RtcConnConfigStruct;
import io.voiceagent.agora.internal.Handles.ConnectionHandle;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.concurrent.SerialExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to one Agora channel as one user: the owner of an {@code agora_rtc_conn} handle,
 * its {@link LocalUser}, its observers and its event executor. Created by
 * {@link AgoraService#createConnection(RtcConnectionConfig)}.
 *
 * <p><b>Threads.</b> Methods may be called from any thread. SDK callbacks are copied on the SDK's
 * threads and delivered to listeners on this connection's serial event executor (one event at a
 * time, in order, on a shared pool thread), never on an SDK thread. The executor's queue is bounded
 * ({@link RtcConnectionConfig#eventQueueCapacity()}); events beyond it are dropped and counted in
 * {@link #droppedEvents()}.
 *
 * <p><b>Lifecycle.</b> {@link #close()} is idempotent and releases in the order Agora documents:
 * unpublish tracks, unregister the audio-frame and local-user observers, disconnect, unregister the
 * connection observer, destroy the connection. It waits (up to 5 s) for a listener call in flight
 * on another thread to return, unless it is called from that listener itself; after it returns no
 * listener call runs or starts, and any other method throws {@link IllegalStateException}. Tracks
 * published here are unpublished, not destroyed: they belong to whoever created them.
 */
public final class RtcConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtcConnection.class);
    private static final AtomicLong SERIAL = new AtomicLong();
    /** Agora's channel name rule: at most 64 bytes of these characters. */
    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-zA-Z0-9 !#$%&()+\\-:;<=.>?@\\[\\]^_{|}~]{1,64}");
    private static final int MAX_USER_ID_BYTES = 255;
    private static final Duration DISCONNECT_WAIT = Duration.ofSeconds(3);
    /** How long close waits for a listener call in flight on another thread. */
    private static final Duration LISTENER_WAIT = Duration.ofSeconds(5);
    private static final RtcConnectionListener[] NO_LISTENERS = new RtcConnectionListener[0];

    static {
        io.voiceagent.agora.internal.TypedAccess.install(TypedAccessImpl.INSTANCE);
    }

    private final AgoraService service;
    private final AgoraLibrary lib;
    private final RtcConnectionConfig config;
    private final long serial = SERIAL.incrementAndGet();
    private final ConnectionHandle handle;
    private final LocalUser localUser;
    private final Executor eventPool;
    // Replaced on reuse by a pool, so events queued for the previous user are discarded with the old executor.
    private volatile SerialExecutor events;
    private final AtomicLong droppedBeforeReset = new AtomicLong();
    private final CopyOnWriteArrayList<RtcConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private volatile RemoteAudioListener audioListener;
    // Replaced under the guard; used on the event executor.
    private volatile RemoteUserVad vad;
    private final PcmFormat[][] formats = new PcmFormat[PcmFormat.SUPPORTED_RATES_HZ.length][2];

    // Close waits for in-flight native calls before destroying the handle.
    private final HandleGuard guard = new HandleGuard(this);

    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private final AtomicReference<CompletableFuture<ConnectionInfo>> pendingConnect = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Void>> pendingDisconnect = new AtomicReference<>();
    private volatile String channelId;
    private volatile String userId;
    private final AtomicLong malformedFrames = new AtomicLong();
    // Guarded by itself; indexed by (reliable ? 2 : 0) | (ordered ? 1 : 0).
    private final DataStream[] dataStreams = new DataStream[4];

    RtcConnection(AgoraService service, AgoraLibrary lib, RtcConnectionConfig config, Executor eventPool) {
        this.service = service;
        this.lib = lib;
        this.config = config;
        this.eventPool = eventPool;
        this.events = newExecutor();
        RtcConnConfigStruct c = new RtcConnConfigStruct();
        c.auto_subscribe_audio = config.autoSubscribeAudio() ? 1 : 0;
        c.auto_subscribe_video = 0;
        c.enable_audio_recording_or_playout = 0;
        c.max_send_bitrate = config.maxSendBitrate();
        c.min_port = config.minPort();
        c.max_port = config.maxPort();
        if (config.pcmSubscription()) {
            c.audio_subs_options.pcm_data_only = 1;
            c.audio_subs_options.bytes_per_sample = PcmFormat.BYTES_PER_SAMPLE;
            c.audio_subs_options.number_of_channels = config.receiveFormat().channels();
            c.audio_subs_options.sample_rate_hz = config.receiveFormat().sampleRateHz();
        }
        c.client_role_type = config.clientRole().value();
        c.channel_profile = config.channelProfile().value();
        c.write();
        ConnectionHandle h = lib.agora_rtc_conn_create(service.serviceHandle(), c);
        if (h == null || h.getPointer() == null) {
            throw new AgoraException("agora_rtc_conn_create", -1, "the SDK returned no connection");
        }
        this.handle = h;
        LocalUserHandle userHandle = lib.agora_rtc_conn_get_local_user(h);
        if (userHandle == null || userHandle.getPointer() == null) {
            lib.agora_rtc_conn_destroy(h);
            throw new AgoraException("agora_rtc_conn_get_local_user", -1, "the SDK returned no local user");
        }
        this.localUser = new LocalUser(this, lib, userHandle);
        ConnectionCallbacks.register(this, h.getPointer(), userHandle.getPointer());
        try {
            AgoraException.check("agora_rtc_conn_register_observer",
                    lib.agora_rtc_conn_register_observer(h, ConnectionCallbacks.CONN_OBSERVER.getPointer()));
            localUser.registerObserver(ConnectionCallbacks.LOCAL_USER_OBSERVER.getPointer());
            if (service.config().audioScenario() == AudioScenario.CHORUS) {
                // What the reference wrappers do for the low-delay scenario.
                localUser.setAudioScenario(AudioScenario.CHORUS);
            }
        } catch (RuntimeException e) {
            localUser.releaseForClose();
            lib.agora_rtc_conn_unregister_observer(h);
            lib.agora_rtc_conn_destroy(h);
            ConnectionCallbacks.unregister(this, h.getPointer(), userHandle.getPointer());
            throw e;
        }
        log.debug("Created connection #{}", serial);
    }

    private SerialExecutor newExecutor() {
        return new SerialExecutor("rtc-connection-" + serial, eventPool, config.eventQueueCapacity(),
                (name, t) -> log.warn("A listener of {} threw; later events still arrive", name, t));
    }

    // ---- public API ----

    /**
     * Joins {@code channelId} as {@code userId} and waits until the channel is joined.
     *
     * @param token an RTC token from your token server, or {@code ""} for an app id without an app
     *     certificate (testing only). Never logged.
     * @param channelId the channel: 1 to 64 bytes of a-z A-Z 0-9 space and {@code !#$%&()+-:;<=.>?@[]^_{|}~}
     * @param userId this side's user id: 1 to 255 bytes
     * @return the connection info as of joining
     * @throws IllegalArgumentException naming the bad parameter and value
     * @throws AgoraException if the SDK refused the call
     * @throws RtcConnectException if joining failed (with the SDK's reason) or timed out
     */
    public ConnectionInfo connect(String token, String channelId, String userId) {
        CompletableFuture<ConnectionInfo> f = startConnect(token, channelId, userId);
        try {
            return f.get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RtcConnectException("Joining channel '" + channelId + "' as '" + userId + "' timed out after "
                    + config.connectTimeout().toMillis() + " ms (state " + state + ")", state,
                    ConnectionChangedReason.UNKNOWN);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtcConnectException("Interrupted while joining channel '" + channelId + "'", state,
                    ConnectionChangedReason.UNKNOWN);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Like {@link #connect} but returns at once; the future completes on a pool thread (never an SDK
     * thread) when the channel is joined, or exceptionally with {@link RtcConnectException}. It is
     * not bounded by the connect timeout.
     */
    public CompletableFuture<ConnectionInfo> connectAsync(String token, String channelId, String userId) {
        return startConnect(token, channelId, userId).thenApplyAsync(i -> i, service.eventPool());
    }

    private CompletableFuture<ConnectionInfo> startConnect(String token, String channelId, String userId) {
        Objects.requireNonNull(token, "token must not be null: pass the RTC token from your token server, or \"\" for"
                + " an app id without certificate");
        validateChannel(channelId);
        validateUserId(userId);
        CompletableFuture<ConnectionInfo> f = new CompletableFuture<>();
        withHandle(() -> {
            if (!pendingConnect.compareAndSet(null, f)) {
                throw new IllegalStateException("connect is already in progress on this connection");
            }
            if (state == ConnectionState.CONNECTED) {
                pendingConnect.set(null);
                throw new IllegalStateException("already connected to channel '" + this.channelId + "' as '"
                        + this.userId + "'; disconnect first");
            }
            this.channelId = channelId;
            this.userId = userId;
            state = ConnectionState.CONNECTING;
            // "" stays "" (never NULL) for an app id without certificate, as Agora's Python and Go wrappers pass it.
            int rc = lib.agora_rtc_conn_connect(handle, token, channelId, userId);
            if (rc != 0) {
                pendingConnect.set(null);
                state = ConnectionState.DISCONNECTED;
                throw new AgoraException("agora_rtc_conn_connect", rc, "channel '" + channelId + "', user '" + userId
                        + "'");
            }
            return null;
        });
        log.info("Connection #{} joining channel '{}' as '{}'", serial, channelId, userId);
        return f.whenComplete((v, e) -> pendingConnect.compareAndSet(f, null));
    }

    /**
     * Checks {@code channelId} against Agora's channel name rule (1 to 64 characters from a-z A-Z 0-9
     * space and {@code !#$%&()+-:;<=.>?@[]^_{|}~}).
     *
     * @throws IllegalArgumentException naming the parameter and the value
     */
    public static void validateChannel(String channelId) {
        if (channelId == null || channelId.isEmpty()) {
            throw new IllegalArgumentException("channelId must be 1 to 64 bytes; got " + (channelId == null ? "null"
                    : "an empty string"));
        }
        if (!CHANNEL_NAME.matcher(channelId).matches()) {
            throw new IllegalArgumentException("channelId must be 1 to 64 characters from a-z A-Z 0-9 space and"
                    + " !#$%&()+-:;<=.>?@[]^_{|}~; got '" + channelId + "'");
        }
    }

    /**
     * Checks a user id: 1 to 255 bytes of UTF-8 without NUL.
     *
     * @throws IllegalArgumentException naming the parameter and the value
     */
    public static void validateUserId(String userId) {
        if (userId == null || userId.isEmpty()) {
            throw new IllegalArgumentException("userId must be 1 to 255 bytes; got " + (userId == null ? "null"
                    : "an empty string"));
        }
        if (userId.getBytes(StandardCharsets.UTF_8).length > MAX_USER_ID_BYTES || userId.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("userId must be 1 to 255 bytes without NUL; got '" + userId + "'");
        }
    }

    /**
     * Leaves the channel and waits (up to 3 s) for the SDK to confirm. Idempotent: does nothing when
     * not connected. The connection can connect again afterwards.
     */
    public void disconnect() {
        CompletableFuture<Void> f = withHandle(this::startDisconnect);
        awaitDisconnected(f);
    }

    // Call with the read or write lock held.
    private CompletableFuture<Void> startDisconnect() {
        if (state == ConnectionState.DISCONNECTED) {
            return CompletableFuture.completedFuture(null);
        }
        if (state == ConnectionState.FAILED) {
            // Nothing to wait for: the SDK already dropped the channel. Tell it to stop retrying.
            int rc = lib.agora_rtc_conn_disconnect(handle);
            if (rc != 0) {
                log.debug("Connection #{}: disconnect after failure returned {}", serial, rc);
            }
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        pendingDisconnect.set(f);
        int rc = lib.agora_rtc_conn_disconnect(handle);
        if (rc != 0) {
            pendingDisconnect.set(null);
            throw new AgoraException("agora_rtc_conn_disconnect", rc, null);
        }
        CompletableFuture<ConnectionInfo> connecting = pendingConnect.get();
        if (connecting != null) {
            connecting.completeExceptionally(new RtcConnectException("disconnected while joining", state,
                    ConnectionChangedReason.LEAVE_CHANNEL));
        }
        return f;
    }

    private void awaitDisconnected(CompletableFuture<Void> f) {
        try {
            f.get(DISCONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("Connection #{}: no disconnect confirmation from the SDK within {} ms", serial,
                    DISCONNECT_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            log.warn("Connection #{}: disconnect failed", serial, e.getCause());
        } finally {
            pendingDisconnect.compareAndSet(f, null);
        }
    }

    /** Replaces the token before it expires (see {@link RtcConnectionListener#onTokenPrivilegeWillExpire}). */
    public void renewToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token must be a non-empty RTC token; got "
                    + (token == null ? "null" : "an empty string"));
        }
        withHandle(() -> {
            AgoraException.check("agora_rtc_conn_renew_token", lib.agora_rtc_conn_renew_token(handle, token));
            return null;
        });
    }

    /**
     * The SDK's current view of this connection ({@code agora_rtc_conn_get_conn_info}): id, channel,
     * state, local user id and the SDK's numeric uid.
     */
    public ConnectionInfo info() {
        return withHandle(() -> {
            com.sun.jna.Pointer p = lib.agora_rtc_conn_get_conn_info(handle);
            if (p == null) {
                throw new AgoraException("agora_rtc_conn_get_conn_info", -1, "the SDK returned no info");
            }
            try {
                return ConnectionCallbacks.info(p);
            } finally {
                lib.agora_rtc_conn_destroy_conn_info(handle, p);
            }
        });
    }

    /** The current state as last reported by the SDK. */
    public ConnectionState state() {
        return state;
    }

    /** The channel of the last {@link #connect}, or null. */
    public String channelId() {
        return channelId;
    }

    /** The user id of the last {@link #connect}, or null. */
    public String userId() {
        return userId;
    }

    /** This connection's configuration. */
    public RtcConnectionConfig config() {
        return config;
    }

    /** The local user of this connection (publishing, subscribing, received audio). */
    public LocalUser localUser() {
        ensureOpen();
        return localUser;
    }

    /** Adds a listener; see {@link RtcConnectionListener} for threading. */
    public void addListener(RtcConnectionListener listener) {
        ensureOpen();
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(RtcConnectionListener listener) {
        listeners.remove(listener);
    }

    /**
     * Returns this connection's data stream with the given reliability and ordering, creating it on
     * first use, for sending messages to everyone in the channel (up to 1 KB each, about 30 per
     * second). The C API cannot destroy a stream, so a stream lives as long as its connection,
     * across disconnects and pool leases; asking again for the same kind returns the same stream,
     * which keeps a connection within Agora's limit of 5 streams.
     *
     * @param reliable whether lost messages are resent
     * @param ordered whether messages arrive in send order
     */
    public DataStream createDataStream(boolean reliable, boolean ordered) {
        int kind = (reliable ? 2 : 0) | (ordered ? 1 : 0);
        return withHandle(() -> {
            synchronized (dataStreams) {
                DataStream existing = dataStreams[kind];
                if (existing != null) {
                    return existing;
                }
                IntByReference id = new IntByReference(-1);
                AgoraException.check("agora_rtc_conn_create_data_stream",
                        lib.agora_rtc_conn_create_data_stream(handle, id, reliable ? 1 : 0, ordered ? 1 : 0));
                DataStream created = new DataStream(this, id.getValue(), reliable, ordered);
                dataStreams[kind] = created;
                return created;
            }
        });
    }

    void sendStreamMessage(int streamId, byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0 || data.length > DataStream.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("data must be 1 to " + DataStream.MAX_MESSAGE_BYTES + " bytes; got "
                    + data.length);
        }
        withHandle(() -> {
            Memory m = new Memory(data.length);
            m.write(0, data, 0, data.length);
            AgoraException.check("agora_rtc_conn_send_stream_message",
                    lib.agora_rtc_conn_send_stream_message(handle, streamId, m, data.length),
                    "stream " + streamId + ", " + data.length + " bytes");
            return null;
        });
    }

    /** Events dropped because the event queue was full (or arrived after close). */
    public long droppedEvents() {
        return droppedBeforeReset.get() + events.rejectedCount();
    }

    /** Received audio frames dropped because their format was not one 10 ms PCM16 frame. */
    public long malformedFrames() {
        return malformedFrames.get();
    }

    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Releases everything in Agora's documented order (see the class comment). Idempotent. Waits for
     * in-flight calls on other threads, for the SDK's disconnect confirmation (up to 3 s) and for a
     * listener call running on the event executor (up to 5 s). Safe to call from a listener: it does
     * not wait for the listener that called it, and no other listener call starts afterwards.
     */
    @Override
    public void close() {
        AtomicReference<CompletableFuture<Void>> pending = new AtomicReference<>();
        if (!guard.closeOnce(() -> {
            localUser.releaseForClose();
            pending.set(safeDisconnect());
        })) {
            return;
        }
        CompletableFuture<Void> disconnected = pending.get();
        if (disconnected != null) {
            awaitDisconnected(disconnected);
        }
        rc("agora_rtc_conn_unregister_observer", lib.agora_rtc_conn_unregister_observer(handle));
        lib.agora_rtc_conn_destroy(handle);
        ConnectionCallbacks.unregister(this, handle.getPointer(), localUser.handle().getPointer());
        awaitListenerAndClose(events);
        closeVad();
        failPending();
        service.onConnectionClosed(this);
        log.debug("Closed connection #{}", serial);
    }

    /** Closes {@code e} and waits for a listener call in flight on another thread (never for the caller's own). */
    private void awaitListenerAndClose(SerialExecutor e) {
        try {
            if (!e.close(LISTENER_WAIT)) {
                log.warn("Connection #{}: a listener was still running {} ms after close began; closing anyway",
                        serial, LISTENER_WAIT.toMillis());
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            log.warn("Connection #{}: interrupted while waiting for a running listener during close", serial);
        }
    }

    private CompletableFuture<Void> safeDisconnect() {
        try {
            return startDisconnect();
        } catch (RuntimeException e) {
            log.warn("Connection #{}: disconnect during close failed", serial, e);
            return null;
        }
    }

    private void failPending() {
        CompletableFuture<ConnectionInfo> c = pendingConnect.getAndSet(null);
        if (c != null) {
            c.completeExceptionally(new RtcConnectException("connection closed", state, ConnectionChangedReason.UNKNOWN));
        }
    }

    private void rc(String function, int rc) {
        if (rc != 0) {
            log.warn("Connection #{}: {} returned {} during close", serial, function, rc);
        }
    }

    @Override
    public String toString() {
        return "RtcConnection#" + serial + "[" + (channelId == null ? "-" : channelId) + "/" + (userId == null ? "-"
                : userId) + ", " + state + (guard.isClosed() ? ", closed" : "") + "]";
    }

    // ---- package-private plumbing ----

    long serial() {
        return serial;
    }

    ConnectionHandle handle() {
        return handle;
    }

    /** The service that created this connection. */
    public AgoraService service() {
        return service;
    }

    /** Runs {@code action} while the handle is guaranteed alive; throws if closed. */
    <T> T withHandle(java.util.function.Supplier<T> action) {
        return guard.withHandle(action);
    }

    void ensureOpen() {
        guard.ensureOpen();
    }

    void setAudioListener(RemoteAudioListener listener) {
        this.audioListener = listener;
    }

    /** Called on an SDK thread: record the state change and wake waiters. Never blocks. */
    void onNativeState(ConnectionState newState, ConnectionChangedReason reason, ConnectionInfo info) {
        state = newState;
        if (newState == ConnectionState.CONNECTED) {
            CompletableFuture<ConnectionInfo> f = pendingConnect.get();
            if (f != null) {
                f.complete(info != null ? info : new ConnectionInfo(serial, channelId, newState, userId, 0));
            }
        } else if (newState == ConnectionState.FAILED || newState == ConnectionState.DISCONNECTED) {
            CompletableFuture<ConnectionInfo> f = pendingConnect.get();
            if (f != null) {
                f.completeExceptionally(new RtcConnectException(failureMessage(reason), newState, reason));
            }
            if (newState == ConnectionState.DISCONNECTED) {
                CompletableFuture<Void> d = pendingDisconnect.get();
                if (d != null) {
                    d.complete(null);
                }
            }
        }
    }

    private String failureMessage(ConnectionChangedReason reason) {
        String base = "Joining channel '" + channelId + "' as '" + userId + "' failed: " + reason;
        return switch (reason) {
            case INVALID_TOKEN -> base + " (this app id requires a token: pass one from your token server)";
            case TOKEN_EXPIRED -> base + " (get a fresh token from your token server)";
            case INVALID_APP_ID -> base + " (check the app id in AgoraServiceConfig)";
            case INVALID_CHANNEL_NAME -> base + " (check the channel name)";
            default -> base;
        };
    }

    /**
     * Called on an SDK thread: queue an event for the listeners registered now. The listener set is
     * captured at enqueue time, so an event can never reach a listener added later (a pool's next user).
     */
    void dispatch(Consumer<RtcConnectionListener> event) {
        CallbackSupport.countAdapterThread();
        if (listeners.isEmpty() || guard.isClosed()) {
            return;
        }
        RtcConnectionListener[] targets = listeners.toArray(NO_LISTENERS);
        events.offer(() -> {
            for (RtcConnectionListener l : targets) {
                try {
                    event.accept(l);
                } catch (RuntimeException e) {
                    log.warn("Listener {} of {} threw; later events still arrive", l, this, e);
                }
            }
        });
    }

    /** Called on an SDK thread with a copied frame: hands it to the audio listener and the per-user VAD. */
    void deliverAudio(String fromUser, AudioFrame frame) {
        CallbackSupport.countAdapterThread();
        RemoteAudioListener l = audioListener;
        RemoteUserVad v = vad;
        if ((l == null && v == null) || guard.isClosed()) {
            return;
        }
        events.offer(() -> {
            if (l != null) {
                try {
                    l.onAudioFrame(this, fromUser, frame);
                } catch (RuntimeException e) {
                    log.warn("Audio listener of {} threw; later frames still arrive", this, e);
                }
            }
            if (v != null) {
                v.process(fromUser, frame);
            }
        });
    }

    /** Runs {@code task} on this connection's event executor (in order with its events). */
    boolean offerEvent(Runnable task) {
        return events.offer(task);
    }

    void setVad(RemoteUserVad newVad) {
        RemoteUserVad old = vad;
        vad = newVad;
        if (old != null) {
            old.close();
        }
    }

    private void closeVad() {
        setVad(null);
    }

    /** Users with a live VAD detector (diagnostics and tests). */
    int vadUsers() {
        RemoteUserVad v = vad;
        return v == null ? 0 : v.users();
    }

    /**
     * Returns this connection to a clean, disconnected state for its next user (connection pools):
     * unpublishes every track, stops audio delivery and volume indications, drops every listener,
     * leaves the channel, and replaces the event executor so nothing queued for the previous user
     * can reach the next one. Like {@link #close()}, it returns only once a listener call of the
     * previous user in flight on another thread has returned (bounded).
     */
    void resetForReuse() {
        AtomicReference<SerialExecutor> old = new AtomicReference<>();
        CompletableFuture<Void> disconnected = guard.exclusive(() -> {
            audioListener = null;
            listeners.clear();
            closeVad();
            old.set(events);
            events = newExecutor();
            old.get().close();
            droppedBeforeReset.addAndGet(old.get().rejectedCount());
            localUser.resetForReuse();
            return startDisconnect();
        });
        awaitDisconnected(disconnected);
        // Outside the write lock: the running listener may still be calling this connection.
        awaitListenerAndClose(old.get());
    }

    /** Called on an SDK thread: the user's per-user state is released on the executor. */
    void onRemoteUserLeft(String remoteUserId) {
        RemoteUserVad v = vad;
        if (v != null) {
            events.offer(() -> v.userLeft(remoteUserId));
        }
    }

    void countMalformedFrame(int samplesPerChannel, int bytesPerSample, int channels, int rate) {
        long n = malformedFrames.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            log.warn("{}: dropped received audio frame #{} that is not one 10 ms PCM16 frame (samplesPerChannel={},"
                    + " bytesPerSample={}, channels={}, rate={})", this, n, samplesPerChannel, bytesPerSample,
                    channels, rate);
        }
    }

    /** Cached format instances so the audio path does not allocate one per frame. */
    PcmFormat formatFor(int rate, int channels) {
        int i = 0;
        while (PcmFormat.SUPPORTED_RATES_HZ[i] != rate) {
            i++;
        }
        PcmFormat f = formats[i][channels - 1];
        if (f == null) {
            f = PcmFormat.of(rate, channels);
            formats[i][channels - 1] = f;
        }
        return f;
    }

    List<RtcConnectionListener> listeners() {
        return listeners;
    }
}
