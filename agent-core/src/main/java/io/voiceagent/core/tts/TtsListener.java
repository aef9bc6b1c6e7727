package io.voiceagent.core.tts;

/**
 * Receives one synthesis. Methods run on one I/O thread at a time, in order; none starts after
 * the call is cancelled. An uncancelled call ends with exactly one of {@link #onComplete()} or
 * {@link #onError(Throwable)}. Must be quick and must not throw.
 */
public interface TtsListener {

    /** A piece of PCM16 little-endian audio in the requested format (whole sample frames); the array is the listener's. */
    void onAudio(byte[] pcm);

    default void onComplete() {}

    /** {@link TtsException} (engine missing, failed, bad output) or an I/O error. */
    default void onError(Throwable error) {}
}
