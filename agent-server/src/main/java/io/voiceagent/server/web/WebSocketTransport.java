package io.voiceagent.server.web;

import io.voiceagent.core.agent.AgentInput;
import io.voiceagent.core.agent.AgentTransport;
import io.voiceagent.core.agent.PacedOutput;
import io.voiceagent.core.agent.SessionExecutor;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioPacer;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link AgentTransport} of one WebSocket client: the client is the session's one remote user
 * ({@value #USER_ID}); its PCM arrives in blocks of any length and is cut into 10 ms frames here; the
 * session's speech is paced on the process-wide {@link AudioPacer} and sent as binary messages through
 * the socket's ordered send path, whose queued audio {@link PacedOutput#clear()} also drops.
 *
 * <p>Threads: {@link #deliver} from the socket's Jetty thread (one at a time per socket); the output
 * sends on the pacer thread; the executor borrows threads of a shared pool. Owns the executor and
 * the output (closed with it), not the pacer, the pool or the socket.
 */
public final class WebSocketTransport implements AgentTransport {
    /** The user id of the client in the session's events. */
    public static final String USER_ID = "web";

    private final SessionExecutor executor;
    private final PacedOutput output;
    private final PcmFormat format;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile AgentInput input;

    // Confined to the socket's Jetty thread (deliver).
    private final byte[] carry;
    private int carried;

    WebSocketTransport(String name, Executor pool, AudioPacer pacer, PcmFormat format, AudioConsumerConfig config,
            WebSocketSender sender) {
        this.format = Objects.requireNonNull(format, "format");
        this.executor = SessionExecutor.onPool(name, pool);
        this.output = PacedOutput.create(pacer, (data, off, len, f) -> sender.sendAudio(data, off, len), format, config,
                sender::clearAudio);
        this.carry = new byte[format.bytesPerFrame()];
    }

    @Override
    public SessionExecutor executor() {
        return executor;
    }

    @Override
    public PacedOutput output() {
        return output;
    }

    public PcmFormat format() {
        return format;
    }

    @Override
    public void start(AgentInput sessionInput) {
        Objects.requireNonNull(sessionInput, "sessionInput");
        if (closed.get() || input != null) {
            throw new IllegalStateException("WebSocketTransport serves one session and was already started or closed");
        }
        input = sessionInput;
    }

    /**
     * The client's PCM16 (a whole number of samples, any length), cut into 10 ms frames; a partial
     * frame waits for the next block.
     *
     * @param timestampMs the client's timestamp of the block's first sample
     */
    void deliver(byte[] pcm, int offset, int length, long timestampMs) {
        AgentInput in = input;
        if (in == null || closed.get()) {
            return;
        }
        int fb = carry.length;
        int pos = offset;
        int end = offset + length;
        long frameMs = timestampMs;
        if (carried > 0) {
            int n = Math.min(fb - carried, length);
            System.arraycopy(pcm, pos, carry, carried, n);
            carried += n;
            pos += n;
            if (carried == fb) {
                in.audioFrame(USER_ID, new AudioFrame(format, carry.clone(), frameMs));
                carried = 0;
            }
        }
        while (end - pos >= fb) {
            byte[] frame = new byte[fb];
            System.arraycopy(pcm, pos, frame, 0, fb);
            in.audioFrame(USER_ID, new AudioFrame(format, frame, frameMs));
            pos += fb;
            frameMs += PcmFormat.FRAME_MS;
        }
        if (pos < end) {
            System.arraycopy(pcm, pos, carry, 0, end - pos);
            carried = end - pos;
        }
    }

    /** Drops a partial 10 ms frame left from the previous block (the client's "first block" flag). */
    void resetPartialFrame() {
        carried = 0;
    }

    /** The client stopped listening: the partial frame is dropped and the user's turn state released. */
    void userLeft() {
        carried = 0;
        AgentInput in = input;
        if (in != null && !closed.get()) {
            in.userLeft(USER_ID);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            input = null;
            output.close();
            executor.close();
        }
    }

    @Override
    public String toString() {
        return "WebSocketTransport[" + format + (closed.get() ? ", closed" : "") + "]";
    }
}
