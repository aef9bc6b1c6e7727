package io.voiceagent.core.agent;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumer;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioConsumerListener;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.pacing.PcmSink;
import java.util.Objects;

/**
 * An {@link AgentOutput} over an {@link AudioConsumer}: 10 ms frames into a {@link PcmSink} at
 * real-time pace on a shared {@link AudioPacer}, a small lead ahead. {@link #clear()} clears the
 * consumer (waiting for a send in flight), then runs the transport's {@code clearSink} hook (for
 * example the SDK's {@code clear_sender_buffer}), so that nothing written before reaches the channel.
 *
 * <p>Thread-safe. Owns its consumer (closed with it), not the sink or the pacer.
 */
public final class PacedOutput implements AgentOutput {
    private final AudioConsumer consumer;
    private final Runnable clearSink;
    private volatile Listener listener;

    private final AudioConsumerListener probe; // may be null

    private PacedOutput(AudioPacer pacer, PcmSink sink, PcmFormat format, AudioConsumerConfig config,
            Runnable clearSink, AudioConsumerListener probe) {
        this.clearSink = Objects.requireNonNull(clearSink, "clearSink");
        this.probe = probe;
        this.consumer = pacer.newConsumer(sink, format, config, new Reports());
    }

    /**
     * A paced output into {@code sink}.
     *
     * @param clearSink empties the sink's own buffer on {@link #clear()}; {@code () -> {}} if it has none
     */
    public static PacedOutput create(AudioPacer pacer, PcmSink sink, PcmFormat format, AudioConsumerConfig config,
            Runnable clearSink) {
        return create(pacer, sink, format, config, clearSink, null);
    }

    /**
     * As {@link #create(AudioPacer, PcmSink, PcmFormat, AudioConsumerConfig, Runnable)}, with an extra
     * observer of every send (a benchmark's lateness probe), called on the pacer thread before the
     * output's own listener.
     *
     * @param probe may be null
     */
    public static PacedOutput create(AudioPacer pacer, PcmSink sink, PcmFormat format, AudioConsumerConfig config,
            Runnable clearSink, AudioConsumerListener probe) {
        Objects.requireNonNull(pacer, "pacer");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(config, "config");
        return new PacedOutput(pacer, sink, format, config, clearSink, probe);
    }

    /** The consumer, for its counters (frames sent, underruns). */
    public AudioConsumer consumer() {
        return consumer;
    }

    @Override
    public PcmFormat format() {
        return consumer.format();
    }

    @Override
    public void write(byte[] pcm, int offset, int length) {
        consumer.push(pcm, offset, length);
    }

    @Override
    public void endSegment() {
        consumer.endSegment();
    }

    @Override
    public long clear() {
        long dropped = consumer.clear();
        clearSink.run();
        return dropped;
    }

    /** Pauses the consumer (taking back what has not played), then empties the sink's own buffer. */
    @Override
    public boolean pause() {
        consumer.pause();
        clearSink.run();
        return true;
    }

    @Override
    public void resume() {
        consumer.resume();
    }

    @Override
    public long playedBytes() {
        return consumer.playedFrames() * consumer.format().bytesPerFrame();
    }

    @Override
    public long pendingBytes() {
        return consumer.pendingBytes();
    }

    @Override
    public long playoutEndNanos() {
        return consumer.playoutEndNanos();
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** Drops what is queued (and the sink's buffer) and closes the consumer. Idempotent. */
    @Override
    public void close() {
        if (!consumer.isClosed()) {
            clear();
            consumer.close();
        }
    }

    @Override
    public String toString() {
        return "PacedOutput[" + consumer + "]";
    }

    /** Pacer thread, no lock held (AudioConsumer's contract): forwards to the listener. */
    private final class Reports implements AudioConsumerListener {
        @Override
        public void framesSent(AudioConsumer c, int frameCount, long deadlineNanos, long sentNanos) {
            if (probe != null) {
                probe.framesSent(c, frameCount, deadlineNanos, sentNanos);
            }
            Listener l = listener;
            if (l != null) {
                l.framesSent(sentNanos);
            }
        }

        @Override
        public void drained(AudioConsumer c, long playoutEndNanos) {
            if (probe != null) {
                probe.drained(c, playoutEndNanos);
            }
            Listener l = listener;
            if (l != null) {
                l.drained(playoutEndNanos);
            }
        }

        @Override
        public void underrun(AudioConsumer c, long silentNanos) {
            if (probe != null) {
                probe.underrun(c, silentNanos);
            }
        }

        @Override
        public void sinkFailed(AudioConsumer c, Throwable error) {
            if (probe != null) {
                probe.sinkFailed(c, error);
            }
        }
    }
}
