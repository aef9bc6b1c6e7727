package io.voiceagent.core.avatar;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AvatarLink} over a WebSocket (the JDK's {@link java.net.http.WebSocket} client): what
 * hosted avatar services accept, since an Agora data stream cannot carry PCM. Messages go out in
 * queue order, one send at a time (the JDK client allows one outstanding send); the queue holds at
 * most {@link #MAX_QUEUED_BYTES}. Received text messages are reassembled from their fragments and
 * handed to the receiver on the client's thread.
 *
 * <p>Thread-safe. {@link #close()} sends what is queued, then a normal closure.
 */
public final class WebSocketAvatarLink implements AvatarLink {
    private static final Logger log = LoggerFactory.getLogger(WebSocketAvatarLink.class);
    /** Bound of the send queue: about 16 s of 16 kHz mono audio (a paced sender queues about 100 ms). */
    public static final long MAX_QUEUED_BYTES = 512 * 1024;

    private record Out(byte[] binary, String text, boolean close) {
        long size() {
            return binary != null ? binary.length : text != null ? text.length() : 0;
        }
    }

    private final URI uri;
    private final Object lock = new Object();
    // Guarded by lock.
    private final ArrayDeque<Out> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean sending;
    private boolean closing;
    private volatile boolean open = true;
    private volatile Consumer<String> receiver;
    private volatile WebSocket socket;

    private WebSocketAvatarLink(URI uri) {
        this.uri = uri;
    }

    /**
     * Opens a WebSocket to the worker at {@code uri} ({@code ws://} or {@code wss://}) and waits until
     * it is open.
     *
     * @throws IllegalArgumentException if {@code uri} is not a ws/wss URI
     * @throws IllegalStateException naming the URI if the worker does not accept within {@code timeout}
     */
    public static WebSocketAvatarLink connect(URI uri, Duration timeout) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(timeout, "timeout");
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("avatar uri must be ws:// or wss://; got " + uri);
        }
        WebSocketAvatarLink link = new WebSocketAvatarLink(uri);
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        try {
            link.socket = http.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, link.new Listener())
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to the avatar worker at " + uri, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot connect to the avatar worker at " + uri + ": " + cause, cause);
        }
        log.info("Connected to the avatar worker at {}", uri);
        return link;
    }

    @Override
    public void sendBinary(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        byte[] copy = new byte[length];
        System.arraycopy(data, offset, copy, 0, length);
        enqueue(new Out(copy, null, false));
    }

    @Override
    public void sendText(String text) {
        enqueue(new Out(null, Objects.requireNonNull(text, "text"), false));
    }

    private void enqueue(Out o) {
        boolean start;
        synchronized (lock) {
            if (!open || closing) {
                throw new IllegalStateException("the link to the avatar worker at " + uri + " is closed");
            }
            if (queuedBytes + o.size() > MAX_QUEUED_BYTES) {
                throw new IllegalStateException("the avatar worker at " + uri + " does not keep up: " + queuedBytes
                        + " bytes wait to be sent (limit " + MAX_QUEUED_BYTES + ")");
            }
            queue.addLast(o);
            queuedBytes += o.size();
            start = !sending;
            sending = true;
        }
        if (start) {
            pump();
        }
    }

    /** Sends queued messages one at a time; continues from each send's completion. */
    private void pump() {
        while (true) {
            Out o;
            synchronized (lock) {
                o = queue.pollFirst();
                if (o == null) {
                    sending = false;
                    return;
                }
                queuedBytes -= o.size();
            }
            WebSocket ws = socket;
            CompletableFuture<WebSocket> f = o.close ? ws.sendClose(WebSocket.NORMAL_CLOSURE, "done")
                    : o.binary != null ? ws.sendBinary(ByteBuffer.wrap(o.binary), true) : ws.sendText(o.text, true);
            if (!f.isDone()) {
                f.whenComplete((w, e) -> {
                    if (e != null) {
                        failed(e);
                    } else {
                        pump();
                    }
                });
                return;
            }
            if (f.isCompletedExceptionally()) {
                f.exceptionally(e -> {
                    failed(e);
                    return null;
                });
                return;
            }
        }
    }

    private void failed(Throwable e) {
        synchronized (lock) {
            open = false;
            queue.clear();
            queuedBytes = 0;
            sending = false;
        }
        log.warn("Sending to the avatar worker at {} failed; the link is closed", uri, e);
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    @Override
    public long dropQueuedBinary() {
        long dropped = 0;
        synchronized (lock) {
            var it = queue.iterator();
            while (it.hasNext()) {
                Out o = it.next();
                if (o.binary != null) {
                    dropped += o.binary.length;
                    queuedBytes -= o.binary.length;
                    it.remove();
                }
            }
        }
        return dropped;
    }

    @Override
    public void onText(Consumer<String> receiver) {
        this.receiver = receiver;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        boolean start;
        synchronized (lock) {
            if (closing || !open) {
                return;
            }
            closing = true;
            queue.addLast(new Out(null, null, true));
            start = !sending;
            sending = true;
        }
        if (start) {
            pump();
        }
    }

    @Override
    public String toString() {
        return "WebSocketAvatarLink[" + uri + (open ? "" : ", closed") + "]";
    }

    /** The client's callbacks: text reassembled from fragments, one demand at a time. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (text.length() + data.length() <= AvatarProtocol.MAX_TEXT_CHARS + 1) {
                text.append(data);
            }
            if (last) {
                String message = text.toString();
                text.setLength(0);
                Consumer<String> r = receiver;
                if (r != null) {
                    try {
                        r.accept(message);
                    } catch (RuntimeException e) {
                        log.warn("The receiver of {} threw on a message; later messages still arrive", this, e);
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1); // the worker sends no binary messages; ignored
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            open = false;
            log.info("The avatar worker at {} closed the link ({} {})", uri, statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            open = false;
            log.warn("The link to the avatar worker at {} failed", uri, error);
        }
    }
}
