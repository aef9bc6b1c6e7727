package io.voiceagent.core.vad;

import java.util.Objects;

/**
 * The decision for one 10 ms frame of a stream. Immutable apart from {@link #audio()}, which is
 * handed over to the receiver (a fresh array per result; the receiver may keep or modify it).
 *
 * @param frameIndex index of the 10 ms frame in the stream (0-based); it covers
 *     {@code [10*frameIndex, 10*frameIndex+10)} ms of the input's time axis
 * @param state the state after this frame
 * @param audio PCM16 in the detector's <em>input</em> format: empty for {@link VadState#NONE}; the
 *     pre-roll and the start window (ending with this frame) for {@link VadState#START_SPEAKING};
 *     this frame for {@link VadState#SPEAKING} and {@link VadState#STOP_SPEAKING}
 * @param voiceProb the frame's voice probability in percent (0-100), rounded: that of the model
 *     window covering the frame's own audio (see {@link VadDetector}), not of the latest window
 *     finished when the frame arrived
 * @param rmsDbfs the frame's RMS level in dBFS (floor {@code -127})
 * @param active whether the frame passed the thresholds of the current direction
 * @param speechStartMs for {@code START_SPEAKING}: start of the first active frame of the start
 *     window, in ms on the input's time axis; otherwise -1
 * @param speechEndMs for {@code STOP_SPEAKING}: end of the last active frame before the stop, in
 *     ms on the input's time axis; otherwise -1
 */
public record VadResult(long frameIndex, VadState state, byte[] audio, int voiceProb, double rmsDbfs,
                        boolean active, long speechStartMs, long speechEndMs) {
    static final byte[] EMPTY = new byte[0];

    public VadResult {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(audio, "audio");
    }

    /** Start of this frame on the input's time axis, in ms. */
    public long frameStartMs() {
        return frameIndex * 10;
    }

    @Override
    public String toString() {
        return "VadResult[frame=" + frameIndex + ", " + state + ", " + audio.length + " bytes, p="
                + voiceProb + ", rms=" + Math.round(rmsDbfs) + " dBFS"
                + (speechStartMs >= 0 ? ", speechStartMs=" + speechStartMs : "")
                + (speechEndMs >= 0 ? ", speechEndMs=" + speechEndMs : "") + "]";
    }
}
