package io.voiceagent.core.avatar;

import java.util.function.Consumer;

/**
 * The agent's end of the connection to an avatar worker: ordered binary (PCM) and text (control)
 * messages out, text messages in. {@link WebSocketAvatarLink} is the WebSocket one; tests use
 * in-memory links.
 *
 * <p>Implementations are thread-safe, keep the send order across both kinds of message, never block
 * the caller (messages are queued and sent in the background, the queue bounded), and deliver
 * received text on their own thread, one message at a time.
 */
public interface AvatarLink extends AutoCloseable {

    /**
     * Queues {@code length} bytes as one binary message (copied).
     *
     * @throws IllegalStateException if the link is closed or its queue is full (the worker does not
     *     keep up); the message names which
     */
    void sendBinary(byte[] data, int offset, int length);

    /** Queues one text message. @throws IllegalStateException as {@link #sendBinary} */
    void sendText(String text);

    /**
     * Drops the binary messages that are queued and not yet handed to the network (barge-in: the
     * worker must not get audio of an interrupted turn); text messages stay.
     *
     * @return the bytes dropped
     */
    long dropQueuedBinary();

    /** Who receives the worker's text messages (set before traffic starts); null for none. */
    void onText(Consumer<String> receiver);

    /** Whether the link is open. */
    boolean isOpen();

    /** Sends what is queued, then closes (normal closure). Idempotent. */
    @Override
    void close();
}
