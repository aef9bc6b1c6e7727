package io.voiceagent.core.avatar;

import io.voiceagent.core.agent.AgentOutput;
import io.voiceagent.core.agent.PacedOutput;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.pacing.PcmSink;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the avatar protocol ({@link AvatarProtocol}, seed 004): an {@link AgentOutput}
 * that, instead of publishing the session's speech itself, streams it to an avatar worker, which
 * plays it in the channel with a face. TTS PCM is paced on an {@link AudioPacer} (10 ms frames a small
 * lead ahead, as an Agora track would get it) and sent as binary messages, so the worker never holds
 * more than about the lead; {@link #endSegment()} sends {@code segment_end} right after the segment's
 * last frame; {@link #clear()} (barge-in) drops everything not yet sent, including the link's queue,
 * and sends {@code INTERRUPT}. The worker's {@code stream_ended} acks reach the {@link Listener} as
 * {@link Listener#playbackEnded}, so the session can tell what the user actually heard.
 *
 * <p><b>Barge-in.</b> When {@link #clear()} returns, no byte written before it will be sent to the
 * worker, and the {@code INTERRUPT} is queued ahead of anything written later. What the worker
 * already holds (at most the lead plus the link's transit) is dropped by the worker when the
 * interrupt arrives: the guarantee on the channel is "silent within the interrupt-to-silence
 * latency of the worker" (measured in BENCHMARKS.md), not "at once" as with a local track.
 *
 * <p>Thread-safe. Owns its link (closed with it) and its consumer, not the pacer.
 */
public final class AvatarAudioOut implements AgentOutput {
    private static final Logger log = LoggerFactory.getLogger(AvatarAudioOut.class);

    private final AvatarLink link;
    private final PacedOutput paced;
    private final PcmFormat format;
    private final Object lock = new Object();
    // Guarded by lock: bytes written (a trailing partial frame padded at endSegment), bytes handed to the
    // link, and the written-byte positions where segments end and segment_end is still to be sent.
    private long written;
    private long sent;
    private final ArrayDeque<Long> segmentEnds = new ArrayDeque<>();
    private volatile Listener listener;
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong malformedMessages = new AtomicLong();
    private final AtomicLong segmentsEnded = new AtomicLong();
    private final AtomicLong interruptsSent = new AtomicLong();

    private AvatarAudioOut(AvatarLink link, AudioPacer pacer, PcmFormat format, AudioConsumerConfig config) {
        this.link = link;
        this.format = format;
        this.paced = PacedOutput.create(pacer, new ToLink(), format, config, this::interruptWorker);
        link.onText(this::onWorkerText);
    }

    /**
     * An output over {@code link} (which it owns from now on), paced on {@code pacer}.
     *
     * @param format what the worker expects (16 kHz mono in seed 004); TTS must produce it
     */
    public static AvatarAudioOut over(AvatarLink link, AudioPacer pacer, PcmFormat format, AudioConsumerConfig config) {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(pacer, "pacer");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(config, "config");
        return new AvatarAudioOut(link, pacer, format, config);
    }

    /**
     * Connects to the worker at {@code uri} over a WebSocket and returns an output of 16 kHz mono with
     * the consumer's default lead.
     *
     * @throws IllegalStateException naming the URI if the worker cannot be reached within 5 s
     */
    public static AvatarAudioOut connect(URI uri, AudioPacer pacer) {
        return over(WebSocketAvatarLink.connect(uri, Duration.ofSeconds(5)), pacer, PcmFormat.MONO_16K,
                AudioConsumerConfig.defaults());
    }

    @Override
    public PcmFormat format() {
        return format;
    }

    @Override
    public void write(byte[] pcm, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, pcm.length);
        if (!link.isOpen()) {
            throw new IllegalStateException("the link to the avatar worker is closed: " + link);
        }
        synchronized (lock) {
            written += length;
        }
        paced.write(pcm, offset, length);
    }

    @Override
    public void endSegment() {
        boolean now;
        synchronized (lock) {
            int frame = format.bytesPerFrame();
            written = (written + frame - 1) / frame * frame; // the consumer pads the trailing partial frame
            now = sent >= written;
            if (!now && (segmentEnds.isEmpty() || segmentEnds.peekLast() != written)) {
                segmentEnds.addLast(written);
            }
        }
        paced.endSegment();
        if (now) {
            sendSegmentEnd();
        }
    }

    /** Drops what is not yet sent (here and in the link's queue), then sends {@code INTERRUPT}. */
    @Override
    public long clear() {
        return paced.clear(); // consumer first (waits for a send in flight), then interruptWorker()
    }

    // Runs from PacedOutput.clear(), after the consumer dropped its audio and no send is in flight.
    private void interruptWorker() {
        synchronized (lock) {
            written = sent;
            segmentEnds.clear();
        }
        long dropped = link.dropQueuedBinary();
        if (link.isOpen()) {
            link.sendText(AvatarProtocol.INTERRUPT);
            interruptsSent.incrementAndGet();
        }
        if (dropped > 0) {
            log.debug("{}: dropped {} queued bytes on interrupt", this, dropped);
        }
    }

    private void sendSegmentEnd() {
        if (link.isOpen()) {
            link.sendText(AvatarProtocol.SEGMENT_END);
            segmentsEnded.incrementAndGet();
        }
    }

    @Override
    public long pendingBytes() {
        return paced.pendingBytes();
    }

    @Override
    public long playoutEndNanos() {
        return paced.playoutEndNanos();
    }

    @Override
    public void setListener(Listener l) {
        this.listener = l;
        paced.setListener(l);
    }

    /** Stops: drops what is queued (interrupting the worker) and closes the link. Idempotent. */
    @Override
    public void close() {
        paced.close();
        link.close();
    }

    /** {@code stream_ended} acks received from the worker. */
    public long acksReceived() {
        return acks.get();
    }

    /** Messages from the worker that were not protocol messages (logged, then ignored). */
    public long malformedMessages() {
        return malformedMessages.get();
    }

    /** {@code segment_end} messages sent. */
    public long segmentsEnded() {
        return segmentsEnded.get();
    }

    /** {@code INTERRUPT} messages sent. */
    public long interruptsSent() {
        return interruptsSent.get();
    }

    /** The link to the worker. */
    public AvatarLink link() {
        return link;
    }

    // The link's thread: one message at a time.
    private void onWorkerText(String text) {
        AvatarProtocol.Message m = AvatarProtocol.parse(text);
        if (m instanceof AvatarProtocol.StreamEnded se) {
            acks.incrementAndGet();
            Listener l = listener;
            if (l != null) {
                l.playbackEnded(se.playbackPosition(), se.interrupted());
            }
            return;
        }
        long n = malformedMessages.incrementAndGet();
        if (n <= 10 || n % 1000 == 0) {
            log.warn("{}: ignored message #{} from the avatar worker: {}", this, n, m);
        }
    }

    @Override
    public String toString() {
        return "AvatarAudioOut[" + link + "]";
    }

    /** Pacer thread, under the consumer's send lock: hands frames to the link, then a due segment_end. */
    private final class ToLink implements PcmSink {
        @Override
        public void sendFrames(byte[] data, int offset, int length, PcmFormat f) {
            link.sendBinary(data, offset, length);
            boolean end = false;
            synchronized (lock) {
                sent += length;
                while (!segmentEnds.isEmpty() && sent >= segmentEnds.peekFirst()) {
                    segmentEnds.pollFirst();
                    end = true;
                }
            }
            if (end) {
                sendSegmentEnd();
            }
        }
    }
}
