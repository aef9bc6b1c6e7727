package io.voiceagent.agora;

import static io.voiceagent.agora.CallbackSupport.attach;
import static io.voiceagent.agora.CallbackSupport.copyBytes;
import static io.voiceagent.agora.CallbackSupport.copyString;

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

/**
 * The SDK-facing side of one {@link RtcConnection}: the three observer tables whose function
 * pointers the SDK calls on its own threads. Each adapter copies what it needs out of the borrowed
 * native memory, updates the connection's state where a waiter needs it immediately, hands the
 * event to the connection's serial executor and returns. Adapters never call the SDK, never block,
 * never throw into native code.
 *
 * <p>The structures (and so every callback object) are fields of this object, which the connection
 * keeps strongly reachable until after the connection handle is destroyed.
 */
final class ConnectionCallbacks {
    final RtcConnObserverStruct connObserver = new RtcConnObserverStruct();
    final LocalUserObserverStruct localUserObserver = new LocalUserObserverStruct();
    final AudioFrameObserverStruct audioFrameObserver = new AudioFrameObserverStruct();

    private final RtcConnection conn;

    ConnectionCallbacks(RtcConnection conn) {
        this.conn = conn;
        wireConnectionObserver();
        wireLocalUserObserver();
        wireAudioFrameObserver();
        connObserver.write();
        localUserObserver.write();
        audioFrameObserver.write();
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

    private void wireConnectionObserver() {
        RtcConnObserverStruct o = connObserver;
        o.on_connecting = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent("on_connecting", i, r,
                ConnectionState.CONNECTING, RtcConnectionListener::onConnecting));
        o.on_connected = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent("on_connected", i, r,
                ConnectionState.CONNECTED, RtcConnectionListener::onConnected));
        o.on_disconnected = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent("on_disconnected", i, r,
                ConnectionState.DISCONNECTED, RtcConnectionListener::onDisconnected));
        o.on_reconnecting = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent("on_reconnecting", i, r,
                ConnectionState.RECONNECTING, RtcConnectionListener::onReconnecting));
        o.on_reconnected = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent("on_reconnected", i, r,
                ConnectionState.CONNECTED, RtcConnectionListener::onReconnected));
        o.on_connection_failure = attach((AgoraObservers.OnConnInfoReason) (h, i, r) -> stateEvent(
                "on_connection_failure", i, r, ConnectionState.FAILED, RtcConnectionListener::onConnectionFailure));
        o.on_connection_lost = attach((AgoraObservers.OnConnInfo) (h, i) -> {
            try {
                ConnectionInfo info = info(i);
                conn.onNativeState(info == null ? ConnectionState.FAILED : info.state(),
                        ConnectionChangedReason.LOST, info);
                conn.dispatch(l -> l.onConnectionLost(conn, info));
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_connection_lost", t);
            }
        });
        o.on_user_joined = attach((AgoraObservers.OnConnString) (h, user) -> {
            try {
                String userId = copyString(user);
                conn.dispatch(l -> l.onUserJoined(conn, userId));
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_user_joined", t);
            }
        });
        o.on_user_left = attach((AgoraObservers.OnConnStringInt) (h, user, reason) -> {
            try {
                String userId = copyString(user);
                conn.dispatch(l -> l.onUserLeft(conn, userId, UserOfflineReason.fromValue(reason)));
                conn.onRemoteUserLeft(userId);
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_user_left", t);
            }
        });
        o.on_token_privilege_will_expire = attach((AgoraObservers.OnConnString) (h, token) ->
                conn.dispatch(l -> l.onTokenPrivilegeWillExpire(conn)));
        o.on_token_privilege_did_expire = attach((AgoraObservers.OnConnOnly) h ->
                conn.dispatch(l -> l.onTokenPrivilegeDidExpire(conn)));
        o.on_error = attach((AgoraObservers.OnConnIntString) (h, code, msg) -> {
            try {
                String text = copyString(msg);
                conn.dispatch(l -> l.onError(conn, code, text));
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_error", t);
            }
        });
        o.on_warning = attach((AgoraObservers.OnConnIntString) (h, code, msg) -> {
            try {
                String text = copyString(msg);
                conn.dispatch(l -> l.onWarning(conn, code, text));
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_warning", t);
            }
        });
        o.on_stream_message_error = attach((AgoraObservers.OnStreamMessageError) (h, user, sid, code, missed, cached) -> {
            try {
                String userId = copyString(user);
                conn.dispatch(l -> l.onStreamMessageError(conn, userId, sid, code, missed, cached));
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_stream_message_error", t);
            }
        });
    }

    @FunctionalInterface
    private interface StateEvent {
        void deliver(RtcConnectionListener l, RtcConnection c, ConnectionInfo info, ConnectionChangedReason reason);
    }

    private void stateEvent(String name, Pointer infoPtr, int reasonValue, ConnectionState newState, StateEvent event) {
        try {
            ConnectionInfo info = info(infoPtr);
            ConnectionChangedReason reason = ConnectionChangedReason.fromValue(reasonValue);
            // The state the waiter sees is the event's meaning, not the info's (a failure may carry any state).
            conn.onNativeState(newState, reason, info);
            conn.dispatch(l -> event.deliver(l, conn, info, reason));
        } catch (Throwable t) {
            CallbackSupport.adapterError(name, t);
        }
    }

    private void wireLocalUserObserver() {
        LocalUserObserverStruct o = localUserObserver;
        o.on_audio_track_publish_success = attach((AgoraObservers.OnUserPointer) (h, track) ->
                conn.dispatch(l -> l.onAudioPublished(conn)));
        o.on_audio_track_unpublished = attach((AgoraObservers.OnUserPointer) (h, track) ->
                conn.dispatch(l -> l.onAudioUnpublished(conn)));
        o.on_user_audio_track_subscribed = attach((AgoraObservers.OnUserStringPointer) (h, user, track) -> {
            try {
                String userId = copyString(user);
                conn.dispatch(l -> l.onRemoteAudioSubscribed(conn, userId));
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_user_audio_track_subscribed", t);
            }
        });
        o.on_stream_message = attach((AgoraObservers.OnStreamMessage) (h, user, streamId, data, length) -> {
            try {
                String userId = copyString(user);
                byte[] bytes = copyBytes(data, length);
                conn.dispatch(l -> l.onStreamMessage(conn, userId, streamId, bytes));
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_stream_message", t);
            }
        });
        o.on_audio_meta_data_received = attach((AgoraObservers.OnAudioMetaData) (h, user, data, length) -> {
            try {
                String userId = copyString(user);
                byte[] bytes = copyBytes(data, length);
                conn.dispatch(l -> l.onAudioMetadata(conn, userId, bytes));
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_audio_meta_data_received", t);
            }
        });
        o.on_audio_volume_indication = attach((AgoraObservers.OnAudioVolumeIndication) (h, speakers, n, total) -> {
            try {
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
            } catch (Throwable t) {
                CallbackSupport.adapterError("on_audio_volume_indication", t);
            }
        });
    }

    private void wireAudioFrameObserver() {
        AudioFrameObserverStruct o = audioFrameObserver;
        o.on_playback_audio_frame_before_mixing = attach((AgoraObservers.OnAudioFrameBeforeMixing)
                (h, channel, user, frame) -> {
                    try {
                        onRemoteFrame(user, frame);
                    } catch (Throwable t) {
                        CallbackSupport.adapterError("on_playback_audio_frame_before_mixing", t);
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

    private void onRemoteFrame(Pointer user, Pointer frame) {
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
