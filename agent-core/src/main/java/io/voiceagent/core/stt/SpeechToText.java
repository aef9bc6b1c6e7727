package io.voiceagent.core.stt;

import io.voiceagent.core.audio.PcmFormat;
import java.util.concurrent.CompletableFuture;

/**
 * Speech recognition, in two forms: of a complete utterance ({@link #transcribe}, the PCM the VAD
 * collected between speech start and end), and streaming ({@link #startStream}: audio fed while
 * the user speaks, partial hypotheses as they form, the final transcript at the end). An
 * implementation that only recognizes whole utterances gets the streaming form for free (it
 * collects the audio and transcribes it at the end, with no partials); a streaming recognizer
 * (PocketSphinx, a hosted live API) says so with {@link #isStreaming()}, and an
 * {@link io.voiceagent.core.agent.AgentSession} then feeds it during the user's speech.
 *
 * <p>Implementations are thread-safe; one instance serves many sessions at once.
 */
public interface SpeechToText {

    /**
     * Starts recognizing {@code pcm} (PCM16 little-endian in {@code format}); returns at once. The
     * future completes on an I/O thread. Cancelling it aborts the request (a round can own it with
     * {@code round.own(() -> future.cancel(true))}).
     */
    CompletableFuture<Transcript> transcribe(byte[] pcm, PcmFormat format);

    /**
     * Whether {@link #startStream} recognizes while the audio arrives and reports partial
     * hypotheses. False by default: the stream only collects the audio for {@link #transcribe}.
     */
    default boolean isStreaming() {
        return false;
    }

    /**
     * Opens the recognition of one utterance of PCM16 in {@code format}: feed it with
     * {@link SpeechStream#write}, end it with {@link SpeechStream#finish()}. Returns at once (a
     * connection or a decoder is set up in the background; audio written meanwhile waits). The
     * default collects the audio and calls {@link #transcribe} at the end, with no partials.
     *
     * @param listener receives partial hypotheses, on the recognizer's thread (never the caller's)
     */
    default SpeechStream startStream(PcmFormat format, SpeechStreamListener listener) {
        return new CollectingSpeechStream(this, format);
    }
}
