package io.voiceagent.agora;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A data stream of a {@link RtcConnection}: small messages to every other user in the channel,
 * who receive them through {@link RtcConnectionListener#onStreamMessage}. Agora's limits apply: at
 * most 5 streams per connection, 1 KB per message, about 30 messages and 6 KB per second.
 * Lives as long as its connection; thread-safe.
 */
public final class DataStream {
    /** Largest message, in bytes. */
    public static final int MAX_MESSAGE_BYTES = 1024;

    private final RtcConnection conn;
    private final int id;
    private final boolean reliable;
    private final boolean ordered;

    DataStream(RtcConnection conn, int id, boolean reliable, boolean ordered) {
        this.conn = conn;
        this.id = id;
        this.reliable = reliable;
        this.ordered = ordered;
    }

    /**
     * Sends one message.
     *
     * @param data 1 to {@value #MAX_MESSAGE_BYTES} bytes
     * @throws AgoraException if the SDK refused it (for example when not connected)
     */
    public void send(byte[] data) {
        conn.sendStreamMessage(id, data);
    }

    /** Sends {@code text} as UTF-8. */
    public void send(String text) {
        send(Objects.requireNonNull(text, "text").getBytes(StandardCharsets.UTF_8));
    }

    /** The SDK's stream id. */
    public int id() {
        return id;
    }

    public boolean reliable() {
        return reliable;
    }

    public boolean ordered() {
        return ordered;
    }

    @Override
    public String toString() {
        return "DataStream[" + id + (reliable ? ", reliable" : "") + (ordered ? ", ordered" : "") + "]";
    }
}
