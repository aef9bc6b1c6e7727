package io.voiceagent.agora.audio;

import io.voiceagent.agora.AgoraException;
import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumer;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioConsumerListener;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.time.Ticker;
import java.util.Objects;

/**
 * Where an agent's speech goes: TTS PCM of any length in, 10 ms frames into a published
 * {@link LocalAudioTrack} out, and {@link #interruptAudio()} for barge-in. Two modes:
 * <ul>
 *   <li>{@link #paced paced} (default): an {@link AudioConsumer} on a shared {@link AudioPacer} sends
 *       each frame on its real-time deadline, a small lead ahead, so the SDK's send buffer holds at
 *       most the lead;</li>
 *   <li>{@link #direct direct}: whole frames go into the SDK's send buffer as soon as they arrive and
 *       the SDK paces them itself (Agora's AI-server scenario). The track's
 *       {@link AudioTrackOptions#maxBufferedFrames()} must hold the longest answer.</li>
 * </ul>
 * Thread-safe. Does not own the track; {@link #close()} stops this output only.
 */
public final class AudioOutput implements AutoCloseable {
    private final LocalAudioTrack track;
    private final PcmFormat format;
    private final AudioConsumer consumer; // null in direct mode
    private final Ticker ticker;
    // Direct mode state, guarded by this.
    private final byte[] partial;
    private int partialLength;
    private long playEndNanos;
    private boolean closed;

    private AudioOutput(LocalAudioTrack track, PcmFormat format, AudioConsumer consumer, Ticker ticker) {
        this.track = track;
        this.format = format;
        this.consumer = consumer;
        this.ticker = ticker;
        this.partial = consumer == null ? new byte[format.bytesPerFrame()] : null;
    }

    /** Paced output with the consumer defaults (100 ms lead, 60 s buffer). */
    public static AudioOutput paced(LocalAudioTrack track, AudioPacer pacer, PcmFormat format) {
        return paced(track, pacer, format, AudioConsumerConfig.defaults(), null);
    }

    /**
     * Paced output: a new consumer on {@code pacer} feeding {@code track}'s sender.
     *
     * @param listener optional per-send observer (lateness measurements); may be null
     */
    public static AudioOutput paced(LocalAudioTrack track, AudioPacer pacer, PcmFormat format,
            AudioConsumerConfig config, AudioConsumerListener listener) {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(pacer, "pacer");
        AudioConsumer c = pacer.newConsumer(track.sender(), format, config, listener);
        return new AudioOutput(track, format, c, pacer.ticker());
    }

    /** Direct output: the SDK paces; see the class comment. */
    public static AudioOutput direct(LocalAudioTrack track, PcmFormat format) {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(format, "format");
        return new AudioOutput(track, format, null, Ticker.system());
    }

    /** Whether the SDK paces (direct mode) rather than this SDK's pacer. */
    public boolean isDirect() {
        return consumer == null;
    }

    public PcmFormat format() {
        return format;
    }

    /** The consumer of a paced output (null in direct mode), e.g. for its counters. */
    public AudioConsumer consumer() {
        return consumer;
    }

    /**
     * Queues PCM in {@link #format()}; any length. Never blocks on the pace of the channel.
     *
     * @throws io.voiceagent.core.pacing.AudioBufferFullException (paced) or {@link AgoraException}
     *     (direct, SDK buffer full) when more than the configured buffer is pending; nothing is dropped silently
     */
    public void push(byte[] pcm) {
        push(pcm, 0, pcm.length);
    }

    /** Queues {@code length} bytes of {@code pcm} from {@code offset}. */
    public void push(byte[] pcm, int offset, int length) {
        if (consumer != null) {
            consumer.push(pcm, offset, length);
            return;
        }
        Objects.checkFromIndexSize(offset, length, pcm.length);
        synchronized (this) {
            ensureOpen();
            int frameBytes = format.bytesPerFrame();
            int pos = offset;
            int end = offset + length;
            if (partialLength > 0) {
                int n = Math.min(frameBytes - partialLength, end - pos);
                System.arraycopy(pcm, pos, partial, partialLength, n);
                partialLength += n;
                pos += n;
                if (partialLength == frameBytes) {
                    sendDirect(partial, 0, frameBytes);
                    partialLength = 0;
                }
            }
            int whole = (end - pos) / frameBytes * frameBytes;
            if (whole > 0) {
                sendDirect(pcm, pos, whole);
                pos += whole;
            }
            int rest = end - pos;
            System.arraycopy(pcm, pos, partial, 0, rest);
            partialLength = rest;
        }
    }

    // Guarded by this.
    private void sendDirect(byte[] data, int offset, int length) {
        track.sender().sendFrames(data, offset, length, format);
        long now = ticker.nanoTime();
        long frames = length / format.bytesPerFrame();
        playEndNanos = Math.max(playEndNanos, now) + frames * 10_000_000L;
    }

    /** Marks the end of an utterance: a trailing partial frame is sent, zero-padded. */
    public void endSegment() {
        if (consumer != null) {
            consumer.endSegment();
            return;
        }
        synchronized (this) {
            ensureOpen();
            if (partialLength > 0) {
                java.util.Arrays.fill(partial, partialLength, partial.length, (byte) 0);
                sendDirect(partial, 0, partial.length);
                partialLength = 0;
            }
        }
    }

    /** Whether everything pushed has been handed over and its play-out time has passed. */
    public boolean isPushToRtcCompleted() {
        if (consumer != null) {
            return consumer.isPushToRtcCompleted();
        }
        synchronized (this) {
            return partialLength == 0 && ticker.nanoTime() >= playEndNanos;
        }
    }

    /**
     * Barge-in: drops everything not yet played, in this SDK and in the native SDK's send buffer.
     * When this returns, no byte pushed before the call can be sent to the channel: the consumer is
     * cleared first (waiting for a send in progress), then the track's sender buffer.
     *
     * @return bytes dropped on the Java side (the SDK's own buffer is not counted)
     */
    public long interruptAudio() {
        long dropped;
        if (consumer != null) {
            dropped = consumer.clear();
        } else {
            synchronized (this) {
                dropped = partialLength;
                partialLength = 0;
                playEndNanos = 0;
            }
        }
        track.clearSenderBuffer();
        return dropped;
    }

    /** Stops this output: a paced one drains what is queued; a direct one forgets a partial frame. */
    @Override
    public void close() {
        if (consumer != null) {
            consumer.close();
            return;
        }
        synchronized (this) {
            closed = true;
            partialLength = 0;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("AudioOutput is closed");
        }
    }
}
