package io.voiceagent.server.web;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Objects;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one ordered send path of a socket: JSON messages and PCM binary messages in the order they
 * were queued, with at most one message handed to Jetty at a time. Because audio waits here rather
 * than in Jetty, {@link #clearAudio()} can drop every binary message not yet handed over; together
 * with {@code AudioConsumer.clear()} (which waits for a pacer send in flight) that is the WebSocket's
 * half of the barge-in guarantee: a message queued after the clear ({@code tts_stop}) is preceded
 * only by audio that was already on its way.
 *
 * <p>Thread-safe: called from the pacer thread (audio), the session's executor (events) and Jetty's
 * threads (replies, send completions). The lock guards only the queue; Jetty is never called under
 * it. Bounded: beyond {@code maxQueuedBytes} of audio waiting (a client that does not read), new
 * audio is dropped and counted. Public for the other endpoints on the server (the duet's).
 */
public final class WebSocketSender {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSender.class);

    private record Entry(String text, ByteBuffer binary) {
    }

    private final Session socket;
    private final long maxQueuedBytes;
    private final Object lock = new Object();
    private final ArrayDeque<Entry> queue = new ArrayDeque<>(); // guarded by lock
    private long queuedAudioBytes; // guarded by lock
    private boolean inFlight; // guarded by lock
    private boolean pumping; // guarded by lock: a pump loop runs (a synchronous completion continues it)
    private boolean closed; // guarded by lock
    private long droppedAudioBytes; // guarded by lock
    private long sentAudioBytes; // guarded by lock

    /** A send path over {@code socket} that holds at most {@code maxQueuedBytes} of audio waiting. */
    public WebSocketSender(Session socket, long maxQueuedBytes) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** Queues a JSON (text) message. */
    public void sendText(String json) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            queue.add(new Entry(json, null));
        }
        pump();
    }

    /** Queues a copy of {@code length} bytes of PCM. */
    public void sendAudio(byte[] pcm, int offset, int length) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (queuedAudioBytes + length > maxQueuedBytes) {
                droppedAudioBytes += length;
                return;
            }
            byte[] copy = new byte[length];
            System.arraycopy(pcm, offset, copy, 0, length);
            queue.add(new Entry(null, ByteBuffer.wrap(copy)));
            queuedAudioBytes += length;
        }
        pump();
    }

    /** Drops every audio message not yet handed to Jetty; JSON messages stay. Returns the bytes dropped. */
    public long clearAudio() {
        synchronized (lock) {
            long dropped = 0;
            for (Iterator<Entry> it = queue.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.binary() != null) {
                    dropped += e.binary().remaining();
                    it.remove();
                }
            }
            queuedAudioBytes = 0;
            return dropped;
        }
    }

    /** Stops sending: what is queued is dropped. */
    public void close() {
        synchronized (lock) {
            closed = true;
            queue.clear();
            queuedAudioBytes = 0;
        }
    }

    /** Whether nothing waits and nothing is in flight. */
    public boolean isIdle() {
        synchronized (lock) {
            return queue.isEmpty() && !inFlight;
        }
    }

    /** Audio bytes handed to the socket so far. */
    public long sentAudioBytes() {
        synchronized (lock) {
            return sentAudioBytes;
        }
    }

    /** Audio bytes dropped because more than the bound waited. */
    public long droppedAudioBytes() {
        synchronized (lock) {
            return droppedAudioBytes;
        }
    }

    private void pump() {
        synchronized (lock) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        while (true) {
            Entry next;
            synchronized (lock) {
                if (inFlight || closed || queue.isEmpty()) {
                    pumping = false;
                    return;
                }
                next = queue.poll();
                inFlight = true;
                if (next.binary() != null) {
                    queuedAudioBytes -= next.binary().remaining();
                    sentAudioBytes += next.binary().remaining();
                }
            }
            Callback done = Callback.from(this::sent, this::failed);
            try {
                if (next.text() != null) {
                    socket.sendText(next.text(), done);
                } else {
                    socket.sendBinary(next.binary(), done);
                }
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    private void sent() {
        synchronized (lock) {
            inFlight = false;
        }
        pump(); // continues here, or in the loop that handed the message over if it completed synchronously
    }

    private void failed(Throwable t) {
        synchronized (lock) {
            inFlight = false;
            closed = true;
            queue.clear();
        }
        log.debug("WebSocket send failed; the socket's send path stops", t);
    }
}
