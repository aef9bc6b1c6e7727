package io.voiceagent.core.stt;

import io.voiceagent.core.audio.PcmFormat;
import java.util.concurrent.CompletableFuture;

/**
 * Speech recognition of a complete utterance (the PCM the VAD collected between speech start and
 * end). Implementations are thread-safe.
 */
public interface SpeechToText {

    /**
     * Starts recognizing {@code pcm} (PCM16 little-endian in {@code format}); returns at once. The
     * future completes on an I/O thread. Cancelling it aborts the request (a round can own it with
     * {@code round.own(() -> future.cancel(true))}).
     */
    CompletableFuture<Transcript> transcribe(byte[] pcm, PcmFormat format);
}
