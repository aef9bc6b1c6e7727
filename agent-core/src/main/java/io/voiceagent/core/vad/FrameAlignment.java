package io.voiceagent.core.vad;

import java.util.function.LongToDoubleFunction;

/**
 * Where each 10 ms frame's voice probability comes from: the mapping of the model's windows onto
 * frames in audio time, and which window a frame's decision has to wait for. Pure arithmetic on
 * 16 kHz sample positions, so direct and batched detectors agree bit for bit.
 *
 * <p>Frame {@code f} holds samples {@code [160f, 160f+160)}; window {@code w} holds
 * {@code [W*w, W*w+W)} ({@code W} = 512 for Silero). The windows do not line up with the frames
 * (5 windows per 16 frames), so a frame either lies inside one window or straddles two. Its
 * <em>own</em> window is the one holding its last sample, i.e. the later of two (measured best of
 * first / majority / later window, see BENCHMARKS.md), and the frame takes that window's
 * probability. A frame is decided once its own window is scored: at most one window (32 ms) after
 * the frame's last sample arrived.
 *
 * <p>Immutable and thread-safe.
 */
final class FrameAlignment {
    private static final int FRAME = VadDetector.FRAME_16K;

    private final int window;

    /** @param windowSamples samples per model window at 16 kHz (512 for Silero) */
    FrameAlignment(int windowSamples) {
        if (windowSamples < FRAME) {
            throw new IllegalArgumentException("windowSamples must be >= " + FRAME + "; got " + windowSamples);
        }
        this.window = windowSamples;
    }

    /** The window holding the frame's last sample. */
    long ownWindow(long frame) {
        return (FRAME * frame + FRAME - 1) / window;
    }

    /** The last window whose probability the frame's decision reads. Non-decreasing in {@code frame}. */
    long decisionWindow(long frame) {
        return ownWindow(frame);
    }

    /**
     * End, in ms of input, of the frame whose samples complete {@link #decisionWindow}: the earliest
     * audio time at which the frame's result can be delivered.
     */
    long decisionTimeMs(long frame) {
        long lastSample = (decisionWindow(frame) + 1) * window - 1;
        return 10 * (lastSample / FRAME + 1);
    }

    /**
     * The frame's probability (0-1).
     *
     * @param windowProbability the probability of a window by index; asked only for windows up to
     *     {@link #decisionWindow}{@code (frame)} and from {@code decisionWindow(frame) - 1}
     */
    double probability(long frame, LongToDoubleFunction windowProbability) {
        return windowProbability.applyAsDouble(ownWindow(frame));
    }
}
