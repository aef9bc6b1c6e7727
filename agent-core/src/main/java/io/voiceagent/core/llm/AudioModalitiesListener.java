package io.voiceagent.core.llm;

/**
 * Receives one audio-modalities stream ({@link AudioModalitiesClient}). Methods run on an I/O
 * thread, one at a time, in stream order; none starts after the call is cancelled. An
 * uncancelled call ends with exactly one of {@link #onComplete} or {@link #onError}. Methods must
 * be quick and should not throw (an exception fails the call).
 */
public interface AudioModalitiesListener {

    /** A piece of the spoken answer's text ({@code choices[0].delta.audio.transcript} or {@code delta.content}). */
    default void onTranscript(String delta) {}

    /**
     * A chunk of PCM16 little-endian audio ({@code choices[0].delta.audio.data}, base64-decoded), in
     * the format the server streams (16 kHz mono for the bundled server). The array is the
     * listener's to keep.
     *
     * @param audioId the audio id shared by every chunk of this answer
     */
    void onAudio(String audioId, byte[] pcm);

    /** {@code [DONE]} or end of body. */
    default void onComplete() {}

    /** The call failed. */
    default void onError(Throwable error) {}
}
