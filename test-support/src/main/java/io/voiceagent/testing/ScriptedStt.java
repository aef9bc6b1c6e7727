package io.voiceagent.testing;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.stt.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Speech recognition from a script: the n-th utterance is recognized as the n-th text ("" once the
 * script runs out), {@code delay} after it was handed over. Records the length of each utterance.
 * Thread-safe.
 */
public final class ScriptedStt implements SpeechToText {
    private final Scheduler scheduler;
    private final Duration delay;
    private final List<String> script;
    private final AtomicInteger next = new AtomicInteger();
    private final List<Integer> utteranceBytes = new CopyOnWriteArrayList<>();

    public ScriptedStt(Scheduler scheduler, Duration delay, String... script) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.delay = Objects.requireNonNull(delay, "delay");
        this.script = List.of(script);
    }

    @Override
    public CompletableFuture<Transcript> transcribe(byte[] pcm, PcmFormat format) {
        utteranceBytes.add(pcm.length);
        int i = next.getAndIncrement();
        String text = i < script.size() ? script.get(i) : "";
        CompletableFuture<Transcript> f = new CompletableFuture<>();
        scheduler.schedule(delay, () -> f.complete(new Transcript(text)));
        return f;
    }

    /** Bytes of each utterance handed over, in order. */
    public List<Integer> utteranceBytes() {
        return List.copyOf(utteranceBytes);
    }
}
