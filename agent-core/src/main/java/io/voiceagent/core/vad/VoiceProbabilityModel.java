package io.voiceagent.core.vad;

/**
 * A streaming speech-probability model over 16 kHz mono windows (Silero's I/O contract): each
 * call scores one window per stream of {@link #contextSamples()} samples of context (the end of the
 * previous window; zeros at stream start) followed by {@link #windowSamples()} new samples, and
 * carries a recurrent state per stream.
 *
 * <p>Implementations must be thread-safe: one instance serves every stream of the process, from any
 * number of threads. The windows of one stream must be scored in order and never concurrently (the
 * state of window {@code w+1} is the output of window {@code w}).
 */
public interface VoiceProbabilityModel {
    /** New samples per window at 16 kHz (512 = 32 ms for Silero). */
    int windowSamples();

    /** Context samples prepended to each window (64 for Silero). */
    int contextSamples();

    /** Floats of recurrent state per stream (256 for Silero: [2][128]). Initial state is zeros. */
    int stateSize();

    /**
     * Scores one window for each of {@code count} streams as one batch.
     *
     * @param inputs {@code inputs[i]} holds {@code contextSamples() + windowSamples()} floats in
     *     [-1, 1]; only read
     * @param states {@code states[i]} holds {@link #stateSize()} floats; replaced in place by the
     *     state after this window
     * @param probabilities receives the speech probability (0-1) of each window
     */
    void score(int count, float[][] inputs, float[][] states, float[] probabilities);
}
