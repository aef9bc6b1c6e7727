package io.voiceagent.agora;

/**
 * {@link RtcConnection#connect} did not reach the CONNECTED state: the SDK reported a failure (with
 * its reason) or the connect timeout passed.
 */
public final class RtcConnectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ConnectionChangedReason reason;
    private final ConnectionState state;

    public RtcConnectException(String message, ConnectionState state, ConnectionChangedReason reason) {
        super(message);
        this.state = state;
        this.reason = reason;
    }

    /** The SDK's reason, or {@link ConnectionChangedReason#UNKNOWN} on timeout. */
    public ConnectionChangedReason reason() {
        return reason;
    }

    /** The connection state when connecting gave up. */
    public ConnectionState state() {
        return state;
    }
}
