package io.voiceagent.agora;

/** Agora's CONNECTION_CHANGED_REASON: why a connection changed state. */
public enum ConnectionChangedReason {
    CONNECTING(0),
    JOIN_SUCCESS(1),
    INTERRUPTED(2),
    BANNED_BY_SERVER(3),
    JOIN_FAILED(4),
    LEAVE_CHANNEL(5),
    INVALID_APP_ID(6),
    INVALID_CHANNEL_NAME(7),
    INVALID_TOKEN(8),
    TOKEN_EXPIRED(9),
    REJECTED_BY_SERVER(10),
    SETTING_PROXY_SERVER(11),
    RENEW_TOKEN(12),
    CLIENT_IP_ADDRESS_CHANGED(13),
    KEEP_ALIVE_TIMEOUT(14),
    REJOIN_SUCCESS(15),
    LOST(16),
    ECHO_TEST(17),
    CLIENT_IP_ADDRESS_CHANGED_BY_USER(18),
    SAME_UID_LOGIN(19),
    TOO_MANY_BROADCASTERS(20),
    LICENSE_VALIDATION_FAILURE(21),
    CERTIFICATION_VERIFY_FAILURE(22),
    STREAM_CHANNEL_NOT_AVAILABLE(23),
    INCONSISTENT_APPID(24),
    /** A value this SDK does not know (newer native build). */
    UNKNOWN(-1);

    private final int value;

    ConnectionChangedReason(int value) {
        this.value = value;
    }

    /** The C value ({@code -1} for {@link #UNKNOWN}). */
    public int value() {
        return value;
    }

    /** The reason for a C value; {@link #UNKNOWN} if not named. */
    public static ConnectionChangedReason fromValue(int value) {
        ConnectionChangedReason[] all = values();
        return value >= 0 && value < all.length - 1 ? all[value] : UNKNOWN;
    }
}
