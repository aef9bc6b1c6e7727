package io.voiceagent.testing;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.stt.SpeechStream;
import io.voiceagent.core.stt.SpeechStreamListener;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.stt.Transcript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A streaming recognizer from a script: the n-th stream (utterance) reports the n-th
 * {@link Utterance}'s partials once that much audio has been written to it, and its final text
 * {@code finalDelay} after {@link SpeechStream#finish()}. Callbacks go through the {@link Scheduler}
 * (never on the writer's thread). Records what each stream was fed and whether it was cancelled.
 * Thread-safe.
 */
public final class ScriptedStreamingStt implements SpeechToText {

    /** A partial hypothesis, reported once {@code afterAudio} of the utterance has been written. */
    public record Partial(Duration afterAudio, String text) {
        public static Partial at(long afterAudioMs, String text) {
            return new Partial(Duration.ofMillis(afterAudioMs), text);
        }
    }

    /** One utterance's script: its partials (in order) and its final text. */
    public record Utterance(String finalText, List<Partial> partials) {
        public static Utterance of(String finalText, Partial... partials) {
            return new Utterance(finalText, List.of(partials));
        }
    }

    /** What one stream saw. */
    public static final class Record {
        private final AtomicInteger bytes = new AtomicInteger();
        private volatile boolean finished;
        private volatile boolean cancelled;

        public int bytes() {
            return bytes.get();
        }

        public boolean finished() {
            return finished;
        }

        public boolean cancelled() {
            return cancelled;
        }
    }

    private final Scheduler scheduler;
    private final Duration finalDelay;
    private final List<Utterance> script;
    private final AtomicInteger next = new AtomicInteger();
    private final List<Record> streams = new CopyOnWriteArrayList<>();

    public ScriptedStreamingStt(Scheduler scheduler, Duration finalDelay, Utterance... script) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.finalDelay = Objects.requireNonNull(finalDelay, "finalDelay");
        this.script = List.of(script);
    }

    private Utterance nextUtterance() {
        int i = next.getAndIncrement();
        return i < script.size() ? script.get(i) : Utterance.of("");
    }

    @Override
    public boolean isStreaming() {
        return true;
    }

    /** Whole-utterance recognition takes the next utterance's final text (no partials). */
    @Override
    public CompletableFuture<Transcript> transcribe(byte[] pcm, PcmFormat format) {
        String text = nextUtterance().finalText();
        CompletableFuture<Transcript> f = new CompletableFuture<>();
        scheduler.schedule(finalDelay, () -> f.complete(new Transcript(text)));
        return f;
    }

    @Override
    public SpeechStream startStream(PcmFormat format, SpeechStreamListener listener) {
        Utterance u = nextUtterance();
        Record rec = new Record();
        streams.add(rec);
        return new SpeechStream() {
            private final List<Partial> pending = new ArrayList<>(u.partials());
            private CompletableFuture<Transcript> result;

            @Override
            public synchronized void write(byte[] pcm, int offset, int length) {
                if (result != null || rec.cancelled) {
                    return;
                }
                long fed = rec.bytes.addAndGet(length);
                while (!pending.isEmpty() && fed >= format.bytesFor(pending.get(0).afterAudio().toMillis())) {
                    String text = pending.remove(0).text();
                    scheduler.schedule(Duration.ZERO, () -> {
                        if (!rec.cancelled) {
                            listener.onPartial(text);
                        }
                    });
                }
            }

            @Override
            public synchronized CompletableFuture<Transcript> finish() {
                if (result == null) {
                    rec.finished = true;
                    CompletableFuture<Transcript> f = new CompletableFuture<>();
                    result = f;
                    f.whenComplete((t, e) -> {
                        if (f.isCancelled()) {
                            rec.cancelled = true;
                        }
                    });
                    scheduler.schedule(finalDelay, () -> f.complete(new Transcript(u.finalText())));
                }
                return result;
            }

            @Override
            public void cancel() {
                rec.cancelled = true;
                CompletableFuture<Transcript> f;
                synchronized (this) {
                    f = result;
                }
                if (f != null) {
                    f.cancel(true);
                }
            }
        };
    }

    /** Every stream opened so far, in order. */
    public List<Record> streams() {
        return List.copyOf(streams);
    }
}
