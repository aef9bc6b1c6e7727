package io.voiceagent.core.stt;

import io.voiceagent.core.audio.PcmFormat;
import java.io.ByteArrayOutputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The default {@link SpeechToText#startStream}: keeps the utterance's audio and hands it to
 * {@link SpeechToText#transcribe} at {@link #finish()}; no partials. Guarded by {@code this}.
 */
final class CollectingSpeechStream implements SpeechStream {
    private final SpeechToText stt;
    private final PcmFormat format;
    private final ByteArrayOutputStream audio = new ByteArrayOutputStream(); // guarded by this
    private CompletableFuture<Transcript> result; // guarded by this
    private boolean cancelled; // guarded by this

    CollectingSpeechStream(SpeechToText stt, PcmFormat format) {
        this.stt = Objects.requireNonNull(stt, "stt");
        this.format = Objects.requireNonNull(format, "format");
    }

    @Override
    public synchronized void write(byte[] pcm, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, pcm.length);
        if (result == null && !cancelled) {
            audio.write(pcm, offset, length);
        }
    }

    @Override
    public CompletableFuture<Transcript> finish() {
        byte[] pcm;
        synchronized (this) {
            if (result != null) {
                return result;
            }
            if (cancelled) {
                result = new CompletableFuture<>();
                result.cancel(true);
                return result;
            }
            pcm = audio.toByteArray();
            audio.reset();
            result = new CompletableFuture<>();
        }
        CompletableFuture<Transcript> r = result;
        CompletableFuture<Transcript> call = stt.transcribe(pcm, format); // outside the lock: calls out
        call.whenComplete((t, e) -> {
            if (e != null) {
                r.completeExceptionally(e);
            } else {
                r.complete(t);
            }
        });
        r.whenComplete((t, e) -> {
            if (r.isCancelled()) {
                call.cancel(true);
            }
        });
        return r;
    }

    @Override
    public void cancel() {
        CompletableFuture<Transcript> r;
        synchronized (this) {
            cancelled = true;
            audio.reset();
            r = result;
        }
        if (r != null) {
            r.cancel(true);
        }
    }

    @Override
    public String toString() {
        return "CollectingSpeechStream[" + stt + ", " + format + "]";
    }
}
