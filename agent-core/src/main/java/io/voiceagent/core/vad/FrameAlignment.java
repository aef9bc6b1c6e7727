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
 * first / majority / later window, see BENCHMARKS.md). With look-ahead {@code N}:
 * <ul>
 *   <li>{@code N = 0}: the probability of the own window.</li>
 *   <li>{@code N = 1}: the probability of the window after the own window. Silero's probability
 *       reacts about one window after the audio it describes (measured on the labelled fixtures),
 *       so window {@code w+1} describes window {@code w}'s frames better than {@code w} itself.</li>
 *   <li>{@code N = 2}: the same one-window shift, linearly interpolated: window {@code j}'s
 *       probability is placed at the centre of window {@code j-1}, and a frame takes the value at
 *       its midpoint on the line between the two nearest such points (window {@code m+1} and
 *       {@code m} or {@code m+2}, {@code m} the window of the midpoint), instead of one value held
 *       for 32 ms.</li>
 * </ul>
 * A frame is decided once the last window it reads ({@link #decisionWindow}) is scored: at most
 * {@code N+1} windows after the frame's own audio, i.e. the look-ahead adds at most {@code 32 N} ms.
 *
 * <p>Immutable and thread-safe.
 */
final class FrameAlignment {
    private static final int FRAME = VadDetector.FRAME_16K;

    private final int window;
    private final int lookahead;

    /**
     * @param windowSamples samples per model window at 16 kHz (512 for Silero)
     * @param lookaheadWindows 0, 1 or 2 (see the class comment)
     */
    FrameAlignment(int windowSamples, int lookaheadWindows) {
        if (windowSamples < FRAME) {
            throw new IllegalArgumentException("windowSamples must be >= " + FRAME + "; got " + windowSamples);
        }
        if (lookaheadWindows < 0 || lookaheadWindows > VadV2Config.MAX_LOOKAHEAD_WINDOWS) {
            throw new IllegalArgumentException("lookaheadWindows must be in [0, "
                    + VadV2Config.MAX_LOOKAHEAD_WINDOWS + "]; got " + lookaheadWindows);
        }
        this.window = windowSamples;
        this.lookahead = lookaheadWindows;
    }

    int lookaheadWindows() {
        return lookahead;
    }

    /** The window holding the frame's last sample. */
    long ownWindow(long frame) {
        return (FRAME * frame + FRAME - 1) / window;
    }

    /** The last window whose probability the frame's decision reads. Non-decreasing in {@code frame}. */
    long decisionWindow(long frame) {
        return switch (lookahead) {
            case 0 -> ownWindow(frame);
            case 1 -> ownWindow(frame) + 1;
            default -> {
                long mid = FRAME * frame + FRAME / 2;
                long m = mid / window;
                yield 2 * (mid - m * window) < window ? m + 1 : m + 2;
            }
        };
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
        return switch (lookahead) {
            case 0 -> windowProbability.applyAsDouble(ownWindow(frame));
            case 1 -> windowProbability.applyAsDouble(ownWindow(frame) + 1);
            default -> {
                long mid = FRAME * frame + FRAME / 2;
                long m = mid / window;
                // Window j+1's probability sits at the centre of window j: c(j) = W*j + W/2.
                long left = 2 * (mid - m * window) < window ? m - 1 : m; // centre at or before mid
                double a = (mid - (left * window + window / 2.0)) / window;
                double pl = windowProbability.applyAsDouble(left + 1);
                double pr = windowProbability.applyAsDouble(left + 2);
                yield (1 - a) * pl + a * pr;
            }
        };
    }
}
