package io.voiceagent.core.stt;

import java.util.concurrent.CompletableFuture;

/**
 * One utterance being recognized as it is spoken (see {@link SpeechToText#startStream}). Single use:
 * written, then finished or cancelled once.
 *
 * <p><b>Threads.</b> {@link #write} and {@link #finish} are called by one owner at a time (a session's
 * executor) and never block: the audio is copied and handed to the recognizer's own thread or
 * connection. {@link #cancel()} may be called from any thread. Implementations are thread-safe.
 */
public interface SpeechStream {

    /**
     * Feeds {@code length} bytes of PCM16 (a whole number of samples) in the stream's format; copies
     * them. Ignored after {@link #finish} or {@link #cancel}.
     */
    void write(byte[] pcm, int offset, int length);

    /**
     * Ends the utterance: no more audio follows. The future completes (on the recognizer's thread)
     * with the final transcript of everything written, or exceptionally if recognition failed.
     * Cancelling the future cancels the stream. Idempotent: later calls return the same future.
     */
    CompletableFuture<Transcript> finish();

    /**
     * Abandons the utterance: the recognizer's resources are released and no partial is reported
     * once this returns (one being delivered may finish); the {@link #finish} future, if any, ends
     * cancelled. Idempotent.
     */
    void cancel();
}
