package io.voiceagent.agora;

/** Agora's CONNECTION_STATE of an {@link RtcConnection}. */
public enum ConnectionState {
    DISCONNECTED(1),
    CONNECTING(2),
    CONNECTED(3),
    RECONNECTING(4),
    FAILED(5);

    private final int value;

    ConnectionState(int value) {
        this.value = value;
    }

    /** The C value. */
    public int value() {
        return value;
    }

    /** The state for a C value; {@link #FAILED} for a value this SDK does not know. */
    public static ConnectionState fromValue(int value) {
        for (ConnectionState s : values()) {
            if (s.value == value) {
                return s;
            }
        }
        return FAILED;
    }
}
