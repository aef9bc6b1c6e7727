package io.voiceagent.agora;

/**
 * A copy of the SDK's {@code rtc_conn_info} as it was when an event fired.
 *
 * @param id the SDK's connection id
 * @param channelId the channel
 * @param state the connection state
 * @param localUserId this side's user id
 * @param internalUid the SDK's numeric uid for this side (unsigned 32-bit, as a long)
 */
public record ConnectionInfo(long id, String channelId, ConnectionState state, String localUserId, long internalUid) {}
