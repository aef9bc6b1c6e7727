package io.voiceagent.core.agent;

import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.pacing.PcmSink;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A transport inside the process: the caller plays the remote users ({@link #deliver} their audio,
 * {@link #userJoined}, {@link #userLeft}), and the session's paced speech goes to a {@link PcmSink}
 * of the caller's (a recorder in tests, another session's transport for two agents that hear each other). Runs on the
 * real pacer and a pooled executor in production code, or on test-support's fake clock, where a
 * whole conversation runs deterministically with no thread and no native code.
 *
 * <p>Owns the executor and the output it is given (closed with it), not the pacer or the sink.
 * Thread-safe: deliver from any thread (frames of one user in order).
 */
public final class InMemoryTransport implements AgentTransport {
    private final SessionExecutor executor;
    private final PacedOutput output;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile AgentInput input;

    private InMemoryTransport(SessionExecutor executor, PacedOutput output) {
        this.executor = executor;
        this.output = output;
    }

    /**
     * A transport whose output paces {@code outputFormat} PCM on {@code pacer} into {@code remote}.
     * The pacer's ticker must be the executor's.
     */
    public static InMemoryTransport create(SessionExecutor executor, AudioPacer pacer, PcmFormat outputFormat,
            PcmSink remote) {
        return create(executor, pacer, outputFormat, AudioConsumerConfig.defaults(), remote);
    }

    /** As {@link #create(SessionExecutor, AudioPacer, PcmFormat, PcmSink)} with the output's lead and buffer bound. */
    public static InMemoryTransport create(SessionExecutor executor, AudioPacer pacer, PcmFormat outputFormat,
            AudioConsumerConfig config, PcmSink remote) {
        return create(executor, pacer, outputFormat, config, remote, () -> { });
    }

    /**
     * As above, with what empties the remote side's own buffer on a clear or a pause (the in-memory
     * stand-in for an SDK's {@code clear_sender_buffer}); {@code () -> {}} for a remote with none.
     */
    public static InMemoryTransport create(SessionExecutor executor, AudioPacer pacer, PcmFormat outputFormat,
            AudioConsumerConfig config, PcmSink remote, Runnable clearRemote) {
        Objects.requireNonNull(executor, "executor");
        return new InMemoryTransport(executor, PacedOutput.create(pacer, remote, outputFormat, config, clearRemote));
    }

    @Override
    public SessionExecutor executor() {
        return executor;
    }

    @Override
    public PacedOutput output() {
        return output;
    }

    @Override
    public void start(AgentInput sessionInput) {
        Objects.requireNonNull(sessionInput, "sessionInput");
        if (closed.get()) {
            throw new IllegalStateException("InMemoryTransport is closed");
        }
        if (input != null) {
            throw new IllegalStateException("InMemoryTransport serves one session and was already started");
        }
        input = sessionInput;
    }

    /**
     * Delivers one 10 ms frame of {@code userId}'s audio to the session.
     *
     * @return false if no session has started on this transport yet, or it is closed (the frame is dropped)
     */
    public boolean deliver(String userId, AudioFrame frame) {
        AgentInput in = input;
        if (in == null || closed.get()) {
            return false;
        }
        in.audioFrame(userId, frame);
        return true;
    }

    /**
     * Delivers {@code pcm} as consecutive 10 ms frames, all at once (the session's VAD reads the
     * stream's time from the frame count, not from when frames arrive).
     *
     * @param pcm a whole number of 10 ms frames of {@code format}
     * @return frames delivered (0 if not started or closed)
     * @throws IllegalArgumentException if {@code pcm} is not a whole number of frames
     */
    public int deliver(String userId, byte[] pcm, PcmFormat format) {
        int fb = format.bytesPerFrame();
        if (pcm.length % fb != 0) {
            throw new IllegalArgumentException("pcm must be a whole number of 10 ms frames of " + format + " (" + fb
                    + " bytes each); got " + pcm.length + " bytes");
        }
        int n = 0;
        for (int off = 0; off < pcm.length; off += fb) {
            if (!deliver(userId, new AudioFrame(format, Arrays.copyOfRange(pcm, off, off + fb), 0))) {
                break;
            }
            n++;
        }
        return n;
    }

    /** Tells the session that {@code userId} is in the channel. */
    public void userJoined(String userId) {
        AgentInput in = input;
        if (in != null && !closed.get()) {
            in.userJoined(userId);
        }
    }

    /** Tells the session that {@code userId} left. */
    public void userLeft(String userId) {
        AgentInput in = input;
        if (in != null && !closed.get()) {
            in.userLeft(userId);
        }
    }

    public boolean isClosed() {
        return closed.get();
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
        return "InMemoryTransport[" + output.format() + (closed.get() ? ", closed" : "") + "]";
    }
}
