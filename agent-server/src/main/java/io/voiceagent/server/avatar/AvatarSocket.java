package io.voiceagent.server.avatar;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's WebSocket endpoint for one agent: binary messages (PCM) and text messages
 * ({@code segment_end}, {@code INTERRUPT}) go to the worker's {@code AvatarAudioIn}; its
 * {@code stream_ended} acks go back, one send at a time (Jetty allows one outstanding send). Public
 * because Jetty calls endpoint methods reflectively; created by {@link AvatarWorker} only.
 *
 * <p>Events run on Jetty's threads, one at a time per connection.
 */
public final class AvatarSocket implements Session.Listener.AutoDemanding {
    private static final Logger log = LoggerFactory.getLogger(AvatarSocket.class);

    private final AvatarWorker worker;
    private volatile Session session;
    private final Object lock = new Object();
    // Guarded by lock.
    private final ArrayDeque<String> outbox = new ArrayDeque<>();
    private boolean sending;

    AvatarSocket(AvatarWorker worker) {
        this.worker = worker;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        if (!worker.attach(this)) {
            log.warn("{}: refusing a second agent from {}", worker, s.getRemoteSocketAddress());
            s.close(1013, "another agent is connected to this avatar", Callback.NOOP);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        if (worker.isAttached(this)) {
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            worker.audioIn().onBinary(b, 0, b.length);
        }
        callback.succeed();
    }

    @Override
    public void onWebSocketText(String message) {
        if (worker.isAttached(this)) {
            worker.audioIn().onText(message);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        worker.detach(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("{}: the agent's WebSocket failed", worker, cause);
        worker.detach(this);
    }

    /** Queues a text message to the agent; any thread, never blocks. */
    void send(String text) {
        synchronized (lock) {
            outbox.addLast(text);
            if (sending) {
                return;
            }
            sending = true;
        }
        sendNext();
    }

    private void sendNext() {
        String next;
        synchronized (lock) {
            next = outbox.pollFirst();
            if (next == null) {
                sending = false;
                return;
            }
        }
        Session s = session;
        if (s == null || !s.isOpen()) {
            synchronized (lock) {
                outbox.clear();
                sending = false;
            }
            return;
        }
        s.sendText(next, Callback.from(this::sendNext, e -> {
            log.debug("{}: sending to the agent failed", worker, e);
            synchronized (lock) {
                outbox.clear();
                sending = false;
            }
        }));
    }

    void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1001, "the avatar is going away", Callback.NOOP);
        }
    }
}
