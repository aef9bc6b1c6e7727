package io.voiceagent.agora.audio;

import io.voiceagent.agora.AgoraException;
import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.core.agent.AgentOutput;
import io.voiceagent.core.agent.PacedOutput;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumer;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioConsumerListener;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.time.Ticker;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where an agent's speech goes on Agora: TTS PCM of any length in, 10 ms frames into a published
 * {@link LocalAudioTrack} out, and {@link #clear()} for barge-in (the queued audio, then the SDK's
 * sender buffer). The {@link AgentOutput} of an Agora transport. Two modes:
 * <ul>
 *   <li>{@link #paced paced} (default): a {@link PacedOutput} on a shared {@link AudioPacer} sends
 *       each frame on its real-time deadline, a small lead ahead, so the SDK's send buffer holds at
 *       most the lead;</li>
 *   <li>{@link #direct direct}: whole frames go into the SDK's send buffer as soon as they arrive and
 *       the SDK paces them itself (Agora's AI-server scenario). The track's
 *       {@link AudioTrackOptions#maxBufferedFrames()} must hold the longest answer. Send reports run
 *       on the writer's thread.</li>
 * </ul>
 * Thread-safe. Does not own the track; {@link #close()} stops this output only.
 */
public final class AudioOutput implements AgentOutput {
    private final LocalAudioTrack track;
    private final PcmFormat format;
    private final PacedOutput paced; // null in direct mode
    private final Ticker ticker;
    private volatile Listener listener;
    // Direct mode state, guarded by this.
    private final byte[] partial;
    private int partialLength;
    private long playEndNanos;
    private boolean closed;

    private AudioOutput(LocalAudioTrack track, PcmFormat format, PacedOutput paced, Ticker ticker) {
        this.track = track;
        this.format = format;
        this.paced = paced;
        this.ticker = ticker;
        this.partial = paced == null ? new byte[format.bytesPerFrame()] : null;
        this.playEndNanos = ticker.nanoTime();
    }

    /** Paced output with the consumer defaults (100 ms lead, 60 s buffer). */
    public static AudioOutput paced(LocalAudioTrack track, AudioPacer pacer, PcmFormat format) {
        return paced(track, pacer, format, AudioConsumerConfig.defaults(), null);
    }

    /**
     * Paced output: a new consumer on {@code pacer} feeding {@code track}'s sender.
     *
     * @param probe an extra observer of every send (lateness measurements), on the pacer thread; may be null
     */
    public static AudioOutput paced(LocalAudioTrack track, AudioPacer pacer, PcmFormat format,
            AudioConsumerConfig config, AudioConsumerListener probe) {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(pacer, "pacer");
        PacedOutput p = PacedOutput.create(pacer, track.sender(), format, config, track::clearSenderBuffer, probe);
        return new AudioOutput(track, format, p, pacer.ticker());
    }

    /** Direct output: the SDK paces; see the class comment. */
    public static AudioOutput direct(LocalAudioTrack track, PcmFormat format) {
        Objects.requireNonNull(track, "track");
        Objects.requireNonNull(format, "format");
        return new AudioOutput(track, format, null, Ticker.system());
    }

    /** Whether the SDK paces (direct mode) rather than this SDK's pacer. */
    public boolean isDirect() {
        return paced == null;
    }

    /** The track this output sends into. */
    public LocalAudioTrack track() {
        return track;
    }

    @Override
    public PcmFormat format() {
        return format;
    }

    /** The consumer of a paced output (null in direct mode), e.g. for its counters. */
    public AudioConsumer consumer() {
        return paced == null ? null : paced.consumer();
    }

    /** {@link #write(byte[], int, int)} of the whole array. */
    public void write(byte[] pcm) {
        write(pcm, 0, pcm.length);
    }

    /**
     * Queues {@code length} bytes of {@code pcm} from {@code offset}, in {@link #format()}; any length.
     * Never blocks on the pace of the channel.
     *
     * @throws io.voiceagent.core.pacing.AudioBufferFullException (paced) or {@link AgoraException}
     *     (direct, SDK buffer full) when more than the configured buffer is pending; nothing is dropped silently
     */
    @Override
    public void write(byte[] pcm, int offset, int length) {
        if (paced != null) {
            paced.write(pcm, offset, length);
            return;
        }
        Objects.checkFromIndexSize(offset, length, pcm.length);
        boolean sent;
        long playEnd;
        synchronized (this) {
            ensureOpen();
            int frameBytes = format.bytesPerFrame();
            int pos = offset;
            int end = offset + length;
            sent = false;
            if (partialLength > 0) {
                int n = Math.min(frameBytes - partialLength, end - pos);
                System.arraycopy(pcm, pos, partial, partialLength, n);
                partialLength += n;
                pos += n;
                if (partialLength == frameBytes) {
                    sendDirect(partial, 0, frameBytes);
                    partialLength = 0;
                    sent = true;
                }
            }
            int whole = (end - pos) / frameBytes * frameBytes;
            if (whole > 0) {
                sendDirect(pcm, pos, whole);
                pos += whole;
                sent = true;
            }
            int rest = end - pos;
            System.arraycopy(pcm, pos, partial, 0, rest);
            partialLength = rest;
            playEnd = partialLength == 0 ? playEndNanos : -1;
        }
        reportDirect(sent, playEnd);
    }

    // Guarded by this.
    private void sendDirect(byte[] data, int offset, int length) {
        track.sender().sendFrames(data, offset, length, format);
        long now = ticker.nanoTime();
        long frames = length / format.bytesPerFrame();
        playEndNanos = Math.max(playEndNanos, now) + frames * 10_000_000L;
    }

    /** Direct mode's send reports, outside the lock, on the writer's thread. */
    private void reportDirect(boolean sent, long drainedPlayEnd) {
        Listener l = listener;
        if (l == null) {
            return;
        }
        if (sent) {
            l.framesSent(ticker.nanoTime());
        }
        if (drainedPlayEnd >= 0 && sent) {
            l.drained(drainedPlayEnd);
        }
    }

    /** Marks the end of an utterance: a trailing partial frame is sent, zero-padded. */
    @Override
    public void endSegment() {
        if (paced != null) {
            paced.endSegment();
            return;
        }
        boolean sent = false;
        long playEnd;
        synchronized (this) {
            ensureOpen();
            if (partialLength > 0) {
                Arrays.fill(partial, partialLength, partial.length, (byte) 0);
                sendDirect(partial, 0, partial.length);
                partialLength = 0;
                sent = true;
            }
            playEnd = playEndNanos;
        }
        reportDirect(sent, playEnd);
    }

    /** Paced: see {@link AgentOutput#pause()}. Direct (the SDK paces): cannot pause; returns false. */
    @Override
    public boolean pause() {
        return paced != null && paced.pause();
    }

    @Override
    public void resume() {
        if (paced != null) {
            paced.resume();
        }
    }

    /** Paced: bytes heard by the pacer's play-out schedule; direct: -1 (unknown). */
    @Override
    public long playedBytes() {
        return paced == null ? -1 : paced.playedBytes();
    }

    @Override
    public long pendingBytes() {
        if (paced != null) {
            return paced.pendingBytes();
        }
        synchronized (this) {
            return partialLength;
        }
    }

    @Override
    public long playoutEndNanos() {
        if (paced != null) {
            return paced.playoutEndNanos();
        }
        synchronized (this) {
            return playEndNanos;
        }
    }

    /** Whether everything written has been handed over and its play-out time has passed. */
    public boolean isPushToRtcCompleted() {
        return pendingBytes() == 0 && ticker.nanoTime() - playoutEndNanos() >= 0;
    }

    @Override
    public void setListener(Listener listener) {
        if (paced != null) {
            paced.setListener(listener);
        } else {
            this.listener = listener;
        }
    }

    /**
     * Barge-in: drops everything not yet played, in this SDK and in the native SDK's send buffer.
     * When this returns, no byte written before the call can be sent to the channel: the queued audio
     * is dropped first (waiting for a send in progress), then the track's sender buffer.
     *
     * @return bytes dropped on the Java side (the SDK's own buffer is not counted)
     */
    @Override
    public long clear() {
        if (paced != null) {
            return paced.clear();
        }
        long dropped;
        synchronized (this) {
            dropped = partialLength;
            partialLength = 0;
            playEndNanos = ticker.nanoTime();
        }
        track.clearSenderBuffer();
        return dropped;
    }

    /** Stops this output now: drops what is queued here and in the track's sender buffer. Idempotent. */
    @Override
    public void close() {
        if (paced != null) {
            paced.close();
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            partialLength = 0;
        }
        if (!track.isClosed()) {
            track.clearSenderBuffer();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("AudioOutput is closed");
        }
    }

    @Override
    public String toString() {
        return "AudioOutput[" + (paced != null ? "paced" : "direct") + ", " + format + ", " + track + "]";
    }
}
