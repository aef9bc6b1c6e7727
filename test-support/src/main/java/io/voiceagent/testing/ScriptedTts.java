package io.voiceagent.testing;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.tts.TextToSpeech;
import io.voiceagent.core.tts.TtsException;
import io.voiceagent.core.tts.TtsListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A TTS that "speaks" a text as {@code duration(text)} of PCM whose every sample is {@code tag(text)}
 * (so a test can tell on the wire which text, and so which round, each frame belongs to), streamed in
 * chunks of {@code chunk} length, the first after {@code firstDelay}, the next each {@code interval}
 * later. Records every text and call. Thread-safe.
 */
public final class ScriptedTts implements TextToSpeech {
    private final Scheduler scheduler;
    private final Duration firstDelay;
    private final Duration interval;
    private final Duration chunk;
    private final Function<String, Duration> duration;
    private final ToIntFunction<String> tag;
    private final List<String> texts = new CopyOnWriteArrayList<>();
    private final List<FakeCall> calls = new CopyOnWriteArrayList<>();
    private volatile String failOn;

    public ScriptedTts(Scheduler scheduler, Duration firstDelay, Duration interval, Duration chunk,
            Function<String, Duration> duration, ToIntFunction<String> tag) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.firstDelay = firstDelay;
        this.interval = interval;
        this.chunk = chunk;
        this.duration = Objects.requireNonNull(duration, "duration");
        this.tag = Objects.requireNonNull(tag, "tag");
    }

    /** Every text lasts {@code perText}, tagged 1000; chunks of 100 ms. */
    public static ScriptedTts fixed(Scheduler scheduler, Duration firstDelay, Duration interval, Duration perText) {
        return new ScriptedTts(scheduler, firstDelay, interval, Duration.ofMillis(100), t -> perText, t -> 1000);
    }

    /** From now on a synthesis of a text containing {@code marker} fails after its first chunk. */
    public void failOn(String marker) {
        failOn = marker;
    }

    @Override
    public FakeCall synthesize(String text, PcmFormat format, TtsListener listener) {
        texts.add(text);
        FakeCall call = new FakeCall();
        calls.add(call);
        int value = tag.applyAsInt(text);
        long totalBytes = format.bytesFor(duration.apply(text).toMillis());
        int chunkBytes = (int) format.bytesFor(chunk.toMillis());
        boolean fail = failOn != null && text.contains(failOn);
        Duration at = firstDelay;
        for (long off = 0; off < totalBytes; off += chunkBytes) {
            int n = (int) Math.min(chunkBytes, totalBytes - off);
            boolean last = fail && off > 0;
            scheduler.schedule(at, () -> {
                if (call.isCancelled()) {
                    return;
                }
                if (last) {
                    TtsException e = new TtsException("scripted failure of '" + text + "'");
                    call.finish(e);
                    listener.onError(e);
                    return;
                }
                listener.onAudio(pcm(n, value));
            });
            if (last) {
                return call;
            }
            at = at.plus(interval);
        }
        scheduler.schedule(at, () -> {
            if (!call.isCancelled()) {
                call.finish(null);
                listener.onComplete();
            }
        });
        return call;
    }

    /** {@code length} bytes of PCM16 LE whose every sample is {@code value}. */
    public static byte[] pcm(int length, int value) {
        byte[] b = new byte[length];
        for (int i = 0; i + 1 < length; i += 2) {
            b[i] = (byte) value;
            b[i + 1] = (byte) (value >> 8);
        }
        return b;
    }

    /** The first sample of {@code frame} (the tag of a frame this TTS produced; 0 for padding). */
    public static int tagOf(byte[] frame, int offset) {
        return (short) ((frame[offset] & 0xff) | (frame[offset + 1] << 8));
    }

    /** Every text synthesized, in order. */
    public List<String> texts() {
        return List.copyOf(texts);
    }

    /** Every call, in order. */
    public List<FakeCall> calls() {
        return List.copyOf(calls);
    }
}
