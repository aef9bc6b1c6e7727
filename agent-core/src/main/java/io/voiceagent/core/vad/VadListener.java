package io.voiceagent.core.vad;

/**
 * Receives a {@link VadDetector}'s per-frame results, in frame order, one call at a time per
 * detector. Called on the thread that fed the frame (direct mode), on a {@link VadBatcher} worker,
 * or on the callback executor given to the detector. Must be fast and must not throw; an exception
 * is logged and ignored.
 */
@FunctionalInterface
public interface VadListener {
    void onResult(VadResult result);
}
