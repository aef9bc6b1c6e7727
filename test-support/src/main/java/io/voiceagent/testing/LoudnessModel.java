package io.voiceagent.testing;

import io.voiceagent.core.vad.VoiceProbabilityModel;

/**
 * A stand-in for Silero in VAD tests: a window is "speech" (probability 1) when its new samples are not
 * all zero and their RMS is above {@code thresholdDbfs}, else not (probability 0). With synthetic bursts
 * of exact length this makes every VAD decision predictable to the frame. Stateless; thread-safe (a
 * batcher may use it).
 */
public final class LoudnessModel implements VoiceProbabilityModel {
    private final double thresholdDbfs;

    public LoudnessModel(double thresholdDbfs) {
        this.thresholdDbfs = thresholdDbfs;
    }

    /** Any window with a non-zero sample is speech. */
    public static LoudnessModel anySound() {
        return new LoudnessModel(-Double.MAX_VALUE);
    }

    @Override
    public int windowSamples() {
        return 512;
    }

    @Override
    public int contextSamples() {
        return 64;
    }

    @Override
    public int stateSize() {
        return 1;
    }

    @Override
    public void score(int count, float[][] inputs, float[][] states, float[] probabilities) {
        for (int i = 0; i < count; i++) {
            float[] in = inputs[i];
            double sum = 0;
            for (int k = contextSamples(); k < in.length; k++) {
                sum += in[k] * in[k];
            }
            double rms = Math.sqrt(sum / windowSamples());
            probabilities[i] = sum > 0 && 20 * Math.log10(rms) > thresholdDbfs ? 1f : 0f;
        }
    }
}
