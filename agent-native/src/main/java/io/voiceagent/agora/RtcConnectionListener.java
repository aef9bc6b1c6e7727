package io.voiceagent.agora;

import java.util.List;

/**
 * Events of one {@link RtcConnection}: connection state, remote users, data-stream messages, audio
 * metadata and volume indications. Every method has a no-op default, so implement only what you need.
 *
 * <p>Called on the connection's event executor (never on an SDK thread), one call at a time per
 * connection, in the order the SDK raised the events. Implementations must be fast and should not
 * throw: an exception is logged and later events still arrive. Calling back into the connection
 * (for example sending a data-stream message) from a listener is allowed; closing it is too.
 */
public interface RtcConnectionListener {

    /** The connection started joining (state CONNECTING). */
    default void onConnecting(RtcConnection connection, ConnectionInfo info, ConnectionChangedReason reason) {}

    /** The channel was joined (state CONNECTED). Paired with {@link #onDisconnected}. */
    default void onConnected(RtcConnection connection, ConnectionInfo info, ConnectionChangedReason reason) {}

    /** The channel was left (state DISCONNECTED). */
    default void onDisconnected(RtcConnection connection, ConnectionInfo info, ConnectionChangedReason reason) {}

    /** The SDK is reconnecting after an interruption. */
    default void onReconnecting(RtcConnection connection, ConnectionInfo info, ConnectionChangedReason reason) {}

    /** The SDK reconnected after an interruption. */
    default void onReconnected(RtcConnection connection, ConnectionInfo info, ConnectionChangedReason reason) {}

    /** The network connection was lost and could not be restored in time. */
    default void onConnectionLost(RtcConnection connection, ConnectionInfo info) {}

    /** The connection failed (state FAILED); it must be closed and replaced. */
    default void onConnectionFailure(RtcConnection connection, ConnectionInfo info, ConnectionChangedReason reason) {}

    /** A remote user joined the channel. Paired with {@link #onUserLeft}. */
    default void onUserJoined(RtcConnection connection, String userId) {}

    /** A remote user left the channel. */
    default void onUserLeft(RtcConnection connection, String userId, UserOfflineReason reason) {}

    /** This side now receives the user's audio track. */
    default void onRemoteAudioSubscribed(RtcConnection connection, String userId) {}

    /** This side's audio track was published (the SDK confirmed it). */
    default void onAudioPublished(RtcConnection connection) {}

    /** This side's audio track was unpublished. */
    default void onAudioUnpublished(RtcConnection connection) {}

    /** This side's video track was published (the SDK confirmed it). Paired with {@link #onVideoUnpublished}. */
    default void onVideoPublished(RtcConnection connection) {}

    /** This side's video track was unpublished. */
    default void onVideoUnpublished(RtcConnection connection) {}

    /** This side now receives the user's video track (its first frame arrived). */
    default void onRemoteVideoSubscribed(RtcConnection connection, String userId) {}

    /** The token expires in about 30 s: call {@link RtcConnection#renewToken(String)}. */
    default void onTokenPrivilegeWillExpire(RtcConnection connection) {}

    /** The token expired. */
    default void onTokenPrivilegeDidExpire(RtcConnection connection) {}

    /** A data-stream message from a remote user; {@code data} is a private copy. */
    default void onStreamMessage(RtcConnection connection, String userId, int streamId, byte[] data) {}

    /** Data-stream messages from a remote user were lost or arrived out of order. */
    default void onStreamMessageError(RtcConnection connection, String userId, int streamId, int code, int missed,
            int cached) {}

    /** Audio metadata sent by a remote user; {@code data} is a private copy. */
    default void onAudioMetadata(RtcConnection connection, String userId, byte[] data) {}

    /** Who is speaking and how loud, at the interval set by {@link LocalUser#enableVolumeIndication}. */
    default void onAudioVolumeIndication(RtcConnection connection, List<AudioVolumeInfo> speakers, int totalVolume) {}

    /** The SDK reported an error. */
    default void onError(RtcConnection connection, int code, String message) {}

    /** The SDK reported a warning. */
    default void onWarning(RtcConnection connection, int code, String message) {}
}
