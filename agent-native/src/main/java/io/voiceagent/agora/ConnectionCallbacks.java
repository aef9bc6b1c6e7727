package io.voiceagent.agora;

import io.voiceagent.agora.internal.CallbackSupport;
import static io.voiceagent.agora.internal.CallbackSupport.attach;
import static io.voiceagent.agora.internal.CallbackSupport.copyBytes;
import static io.voiceagent.agora.internal.CallbackSupport.copyString;

import com.sun.jna.Pointer;
import io.voiceagent.agora.internal.AgoraObservers;
import io.voiceagent.agora.internal.AgoraObservers.AudioFrameObserverStruct;
import io.voiceagent.agora.internal.AgoraObservers.LocalUserObserverStruct;
import io.voiceagent.agora.internal.AgoraObservers.RtcConnObserverStruct;
import io.voiceagent.agora.internal.AgoraStructs.AudioFrameStruct;
import io.voiceagent.agora.internal.AgoraStructs.AudioVolumeInfoStruct;
import io.voiceagent.agora.internal.AgoraStructs.RtcConnInfoStruct;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The SDK-facing side of every {@link RtcConnection}: three observer tables whose function pointers
 * the SDK calls on its own threads. Every callback's first argument is the connection or local-user
 * handle it concerns, so one set of callback objects serves the whole process and routes each call
 * to its connection through a registry; no JNA callback (and no native trampoline) is created per
 * connection. The tables and callbacks are static: they outlive every registration, as the SDK
 * requires (it copies the table and calls the pointers until unregister).
 *
 * <p>Each adapter copies what it needs out of the borrowed native memory, updates the connection's
 * state where a waiter needs it immediately, hands the event to the connection's serial executor
 * and returns. Adapters never call the SDK, never block, never throw into native code. A call for
 * a handle that is not registered (never, once unregister has returned) is ignored.
 */
final class ConnectionCallbacks {
    private static final ConcurrentHashMap<Long, RtcConnection> BY_CONNECTION = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, RtcConnection> BY_LOCAL_USER = new ConcurrentHashMap<>();

    static final RtcConnObserverStruct CONN_OBSERVER = new RtcConnObserverStruct();
    static final LocalUserObserverStruct LOCAL_USER_OBSERVER = new LocalUserObserverStruct();
    static final AudioFrameObserverStruct AUDIO_FRAME_OBSERVER = new AudioFrameObserverStruct();

    static {
        wireConnectionObserver(CONN_OBSERVER);
        wireLocalUserObserver(LOCAL_USER_OBSERVER);
        wireAudioFrameObserver(AUDIO_FRAME_OBSERVER);
        CONN_OBSERVER.write();
        LOCAL_USER_OBSERVER.write();
        AUDIO_FRAME_OBSERVER.write();
    }

    private ConnectionCallbacks() {}

    /** Routes callbacks for these handles to {@code conn}; call before registering its observers. */
    static void register(RtcConnection conn, Pointer connection, Pointer localUser) {
        BY_CONNECTION.put(Pointer.nativeValue(connection), conn);
        if (localUser != null) {
            BY_LOCAL_USER.put(Pointer.nativeValue(localUser), conn);
        }
    }

    /**
     * Stops routing these handles to {@code conn}; call after the connection handle is destroyed.
     * Removes only {@code conn}'s own mappings: once a handle is destroyed the SDK may hand out the
     * same address to a connection created meanwhile on another thread, whose route must survive.
     */
    static void unregister(RtcConnection conn, Pointer connection, Pointer localUser) {
        BY_CONNECTION.remove(Pointer.nativeValue(connection), conn);
        if (localUser != null) {
            BY_LOCAL_USER.remove(Pointer.nativeValue(localUser), conn);
        }
    }

    // Package-private for tests.
    static RtcConnection byConnection(Pointer h) {
        return h == null ? null : BY_CONNECTION.get(Pointer.nativeValue(h));
    }

    // Package-private for tests.
    static RtcConnection byLocalUser(Pointer h) {
        return h == null ? null : BY_LOCAL_USER.get(Pointer.nativeValue(h));
    }

    /** Connections currently routed (diagnostics and tests). */
    static int routedConnections() {
        return BY_CONNECTION.size();
    }

    static ConnectionInfo info(Pointer p) {
        if (p == null) {
            return null;
        }
        return new ConnectionInfo(
                Integer.toUnsignedLong(p.getInt(RtcConnInfoStruct.OFFSET_ID)),
                copyString(p.getPointer(RtcConnInfoStruct.OFFSET_CHANNEL_ID)),
                ConnectionState.fromValue(p.getInt(RtcConnInfoStruct.OFFSET_STATE)),
                copyString(p.getPointer(RtcConnInfoStruct.OFFSET_LOCAL_USER_ID)),
                Integer.toUnsignedLong(p.getInt(RtcConnInfoStruct.OFFSET_INTERNAL_UID)));
    }

    /** Runs {@code action} for the connection of handle {@code h}; errors are recorded, never thrown. */
    private static void onConnection(Pointer h, String name, Consumer<RtcConnection> action) {
        RtcConnection conn = byConnection(h);
        if (conn != null) {
            run(conn, name, action);
        }
    }

    /** Runs {@code action} for the connection whose local user is {@code h}. */
    private static void onLocalUser(Pointer h, String name, Consumer<RtcConnection> action) {
        RtcConnection conn = byLocalUser(h);
        if (conn != null) {
            run(conn, name, action);
        }
    }

    private static void run(RtcConnection conn, String name, Consumer<RtcConnection> action) {
        try {
            action.accept(conn);
        } catch (Throwable t) {
            CallbackSupport.adapterError(name, t);
        }
    }

    private static void wireConnectionObserver(RtcConnObserverStruct o) {
        o.on_connecting = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent(h, "on_connecting", i, r,
                ConnectionState.CONNECTING, RtcConnectionListener::onConnecting));
        o.on_connected = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent(h, "on_connected", i, r,
                ConnectionState.CONNECTED, RtcConnectionListener::onConnected));
        o.on_disconnected = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent(h, "on_disconnected", i,
                r, ConnectionState.DISCONNECTED, RtcConnectionListener::onDisconnected));
        o.on_reconnecting = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent(h, "on_reconnecting", i,
                r, ConnectionState.RECONNECTING, RtcConnectionListener::onReconnecting));
        o.on_reconnected = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent(h, "on_reconnected", i, r,
                ConnectionState.CONNECTED, RtcConnectionListener::onReconnected));
        o.on_connection_failure = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent(h,
                "on_connection_failure", i, r, ConnectionState.FAILED, RtcConnectionListener::onConnectionFailure));
        o.on_connection_lost = attach((AgoraObservers.OnConnInfo) (h, i) -> onConnection(h, "on_connection_lost",
                conn -> {
                    ConnectionInfo info = info(i);
                    conn.onNativeState(info == null ? ConnectionState.FAILED : info.state(),
                            ConnectionChangedReason.LOST, info);
                    conn.dispatch(l -> l.onConnectionLost(conn, info));
                }));
        o.on_user_joined = attach((AgoraObservers.OnConnString) (h, user) -> onConnection(h, "on_user_joined",
                conn -> {
                    String userId = copyString(user);
                    conn.dispatch(l -> l.onUserJoined(conn, userId));
                }));
        o.on_user_left = attach((AgoraObservers.OnConnStringInt) (h, user, reason) -> onConnection(h, "on_user_left",
                conn -> {
                    String userId = copyString(user);
                    conn.dispatch(l -> l.onUserLeft(conn, userId, UserOfflineReason.fromValue(reason)));
                    conn.onRemoteUserLeft(userId);
                }));
        o.on_token_privilege_will_expire = attach((AgoraObservers.OnConnString) (h, token) -> onConnection(h,
                "on_token_privilege_will_expire", conn -> conn.dispatch(l -> l.onTokenPrivilegeWillExpire(conn))));
        o.on_token_privilege_did_expire = attach((AgoraObservers.OnConnOnly) h -> onConnection(h,
                "on_token_privilege_did_expire", conn -> conn.dispatch(l -> l.onTokenPrivilegeDidExpire(conn))));
        o.on_error = attach((AgoraObservers.OnConnIntString) (h, code, msg) -> onConnection(h, "on_error", conn -> {
            String text = copyString(msg);
            conn.dispatch(l -> l.onError(conn, code, text));
        }));
        o.on_warning = attach((AgoraObservers.OnConnIntString) (h, code, msg) -> onConnection(h, "on_warning",
                conn -> {
                    String text = copyString(msg);
                    conn.dispatch(l -> l.onWarning(conn, code, text));
                }));
        o.on_stream_message_error = attach((AgoraObservers.OnStreamMessageError) (h, user, sid, code, missed, cached) ->
                onConnection(h, "on_stream_message_error", conn -> {
                    String userId = copyString(user);
                    conn.dispatch(l -> l.onStreamMessageError(conn, userId, sid, code, missed, cached));
                }));
    }

    @FunctionalInterface
    private interface StateEvent {
        void deliver(RtcConnectionListener l, RtcConnection c, ConnectionInfo info, ConnectionChangedReason reason);
    }

    private static void stateEvent(Pointer h, String name, Pointer infoPtr, int reasonValue, ConnectionState newState,
            StateEvent event) {
        onConnection(h, name, conn -> {
            ConnectionInfo info = info(infoPtr);
            ConnectionChangedReason reason = ConnectionChangedReason.fromValue(reasonValue);
            // The state the waiter sees is the event's meaning, not the info's (a failure may carry any state).
            conn.onNativeState(newState, reason, info);
            conn.dispatch(l -> event.deliver(l, conn, info, reason));
        });
    }

    private static void wireLocalUserObserver(LocalUserObserverStruct o) {
        o.on_audio_track_publish_success = attach((AgoraObservers.OnUserPointer) (h, track) -> onLocalUser(h,
                "on_audio_track_publish_success", conn -> conn.dispatch(l -> l.onAudioPublished(conn))));
        o.on_audio_track_unpublished = attach((AgoraObservers.OnUserPointer) (h, track) -> onLocalUser(h,
                "on_audio_track_unpublished", conn -> conn.dispatch(l -> l.onAudioUnpublished(conn))));
        o.on_user_audio_track_subscribed = attach((AgoraObservers.OnUserStringPointer) (h, user, track) ->
                onLocalUser(h, "on_user_audio_track_subscribed", conn -> {
                    String userId = copyString(user);
                    conn.dispatch(l -> l.onRemoteAudioSubscribed(conn, userId));
                }));
        o.on_video_track_publish_success = attach((AgoraObservers.OnUserPointer) (h, track) -> onLocalUser(h,
                "on_video_track_publish_success", conn -> conn.dispatch(l -> l.onVideoPublished(conn))));
        o.on_video_track_unpublished = attach((AgoraObservers.OnUserPointer) (h, track) -> onLocalUser(h,
                "on_video_track_unpublished", conn -> conn.dispatch(l -> l.onVideoUnpublished(conn))));
        o.on_user_video_track_subscribed = attach((AgoraObservers.OnUserStringPointerPointer) (h, user, info, track) ->
                onLocalUser(h, "on_user_video_track_subscribed", conn -> {
                    String userId = copyString(user);
                    conn.dispatch(l -> l.onRemoteVideoSubscribed(conn, userId));
                }));
        o.on_stream_message = attach((AgoraObservers.OnStreamMessage) (h, user, streamId, data, length) ->
                onLocalUser(h, "on_stream_message", conn -> {
                    String userId = copyString(user);
                    byte[] bytes = copyBytes(data, length);
                    conn.dispatch(l -> l.onStreamMessage(conn, userId, streamId, bytes));
                }));
        o.on_audio_meta_data_received = attach((AgoraObservers.OnAudioMetaData) (h, user, data, length) ->
                onLocalUser(h, "on_audio_meta_data_received", conn -> {
                    String userId = copyString(user);
                    byte[] bytes = copyBytes(data, length);
                    conn.dispatch(l -> l.onAudioMetadata(conn, userId, bytes));
                }));
        o.on_audio_volume_indication = attach((AgoraObservers.OnAudioVolumeIndication) (h, speakers, n, total) ->
                onLocalUser(h, "on_audio_volume_indication", conn -> {
                    List<AudioVolumeInfo> list = new ArrayList<>(Math.max(0, n));
                    for (int i = 0; i < n && speakers != null; i++) {
                        long base = (long) i * AudioVolumeInfoStruct.SIZE;
                        list.add(new AudioVolumeInfo(
                                copyString(speakers.getPointer(base + AudioVolumeInfoStruct.OFFSET_USER_ID)),
                                speakers.getInt(base + AudioVolumeInfoStruct.OFFSET_VOLUME),
                                speakers.getInt(base + AudioVolumeInfoStruct.OFFSET_VAD) != 0,
                                speakers.getDouble(base + AudioVolumeInfoStruct.OFFSET_VOICE_PITCH)));
                    }
                    List<AudioVolumeInfo> speakersCopy = List.copyOf(list);
                    conn.dispatch(l -> l.onAudioVolumeIndication(conn, speakersCopy, total));
                }));
    }

    private static void wireAudioFrameObserver(AudioFrameObserverStruct o) {
        o.on_playback_audio_frame_before_mixing = attach((AgoraObservers.OnAudioFrameBeforeMixing)
                (h, channel, user, frame) -> {
                    RtcConnection conn = byLocalUser(h);
                    if (conn != null) {
                        try {
                            onRemoteFrame(conn, user, frame);
                        } catch (Throwable t) {
                            CallbackSupport.adapterError("on_playback_audio_frame_before_mixing", t);
                        }
                    }
                    return 1;
                });
        // Slots 0-3 and 5 are set (and answer 1) as the reference wrappers do; the by-value param slots stay NULL.
        AgoraObservers.OnAudioFrame ignoreFrame = attach((h, channel, frame) -> 1);
        o.on_record_audio_frame = ignoreFrame;
        o.on_playback_audio_frame = ignoreFrame;
        o.on_mixed_audio_frame = ignoreFrame;
        o.on_ear_monitoring_audio_frame = attach((AgoraObservers.OnEarMonitoringAudioFrame) (h, frame) -> 1);
        o.on_get_audio_frame_position = attach((AgoraObservers.OnGetAudioFramePosition) h -> 1);
    }

    private static void onRemoteFrame(RtcConnection conn, Pointer user, Pointer frame) {
        if (frame == null) {
            return;
        }
        int samplesPerChannel = frame.getInt(AudioFrameStruct.OFFSET_SAMPLES_PER_CHANNEL);
        int bytesPerSample = frame.getInt(AudioFrameStruct.OFFSET_BYTES_PER_SAMPLE);
        int channels = frame.getInt(AudioFrameStruct.OFFSET_CHANNELS);
        int rate = frame.getInt(AudioFrameStruct.OFFSET_SAMPLES_PER_SEC);
        Pointer buffer = frame.getPointer(AudioFrameStruct.OFFSET_BUFFER);
        if (buffer == null || bytesPerSample != PcmFormat.BYTES_PER_SAMPLE || !PcmFormat.isSupportedRate(rate)
                || (channels != 1 && channels != 2) || samplesPerChannel != rate / 100) {
            conn.countMalformedFrame(samplesPerChannel, bytesPerSample, channels, rate);
            return;
        }
        PcmFormat format = conn.formatFor(rate, channels);
        byte[] pcm = buffer.getByteArray(0, format.bytesPerFrame());
        long renderTime = frame.getLong(AudioFrameStruct.OFFSET_RENDER_TIME_MS);
        String userId = copyString(user);
        conn.deliverAudio(userId, new AudioFrame(format, pcm, renderTime));
    }
}
