package io.voiceagent.core.vad;

import java.util.Locale;

/**
 * Parameters of the VAD V2 turn detector ("percent windows", Agora's Gen 1 algorithm). All counts
 * are in 10 ms frames (30 frames = 300 ms). Immutable and thread-safe; build with
 * {@link #builder()}, whose setters reject out-of-range values with an exception naming the
 * parameter and the value.
 *
 * <p>A frame is <em>active</em> when its voice probability and its RMS level both pass the
 * thresholds of the current direction: while not speaking, {@code voiceProb >= startVoiceProb} and
 * {@code rmsDbfs >= startRmsThreshold}; while speaking, {@code voiceProb > stopVoiceProb} and
 * {@code rmsDbfs > stopRmsThreshold}. The RMS threshold is a minimum-loudness gate (AND), never an
 * alternative to the probability.
 *
 * <p>One parameter is ours, not Agora's: {@link #lookaheadWindows()}, how many model windows after
 * a frame's own the detector may read before deciding that frame (see {@link VadDetector}).
 *
 * @see VadV2StateMachine for how the windows are evaluated
 */
public final class VadV2Config {
    /** The largest {@link #lookaheadWindows()}: 2 windows, 64 ms of Silero audio. */
    public static final int MAX_LOOKAHEAD_WINDOWS = 2;

    /** The defaults: 16 / 30 / 50 frames, 0.7 / 0.5, 70 / 70, -50 / -50 dBFS, look-ahead 0. */
    public static final VadV2Config DEFAULT = builder().build();

    private final int preStartRecognizeCount;
    private final int startRecognizeCount;
    private final int stopRecognizeCount;
    private final double activePercent;
    private final double inactivePercent;
    private final int startVoiceProb;
    private final int stopVoiceProb;
    private final double startRmsThreshold;
    private final double stopRmsThreshold;
    private final int lookaheadWindows;

    private VadV2Config(Builder b) {
        preStartRecognizeCount = b.preStartRecognizeCount;
        startRecognizeCount = b.startRecognizeCount;
        stopRecognizeCount = b.stopRecognizeCount;
        activePercent = b.activePercent;
        inactivePercent = b.inactivePercent;
        startVoiceProb = b.startVoiceProb;
        stopVoiceProb = b.stopVoiceProb;
        startRmsThreshold = b.startRmsThreshold;
        stopRmsThreshold = b.stopRmsThreshold;
        lookaheadWindows = b.lookaheadWindows;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this configuration's values. */
    public Builder toBuilder() {
        return new Builder()
                .preStartRecognizeCount(preStartRecognizeCount)
                .startRecognizeCount(startRecognizeCount)
                .stopRecognizeCount(stopRecognizeCount)
                .activePercent(activePercent)
                .inactivePercent(inactivePercent)
                .startVoiceProb(startVoiceProb)
                .stopVoiceProb(stopVoiceProb)
                .startRmsThreshold(startRmsThreshold)
                .stopRmsThreshold(stopRmsThreshold)
                .lookaheadWindows(lookaheadWindows);
    }

    /** Pre-roll: frames before the start window that are prepended to the START audio. Default 16. */
    public int preStartRecognizeCount() {
        return preStartRecognizeCount;
    }

    /** Length of the start window in frames. Default 30 (300 ms). */
    public int startRecognizeCount() {
        return startRecognizeCount;
    }

    /** Length of the stop window in frames; the pause that ends a turn. Default 50 (500 ms). */
    public int stopRecognizeCount() {
        return stopRecognizeCount;
    }

    /** Fraction of active frames in the start window that starts speech. Default 0.7. */
    public double activePercent() {
        return activePercent;
    }

    /** Fraction of inactive frames in the stop window that stops speech. Default 0.5. */
    public double inactivePercent() {
        return inactivePercent;
    }

    /** Voice probability (0-100) a frame needs to count as active while not speaking. Default 70. */
    public int startVoiceProb() {
        return startVoiceProb;
    }

    /** Voice probability (0-100) a frame must exceed to stay active while speaking. Default 70. */
    public int stopVoiceProb() {
        return stopVoiceProb;
    }

    /** Minimum frame RMS in dBFS for an active frame while not speaking. Default -50. */
    public double startRmsThreshold() {
        return startRmsThreshold;
    }

    /** Minimum frame RMS in dBFS for an active frame while speaking. Default -50. */
    public double stopRmsThreshold() {
        return stopRmsThreshold;
    }

    /**
     * Model windows (32 ms each for Silero) after a frame's own window that the detector waits for
     * and reads before deciding the frame; 0 to {@link #MAX_LOOKAHEAD_WINDOWS}. Each window adds up
     * to 32 ms of decision latency in exchange for boundary accuracy. Default 0, by measurement
     * (BENCHMARKS.md, {@code bench vad-accuracy}): 1 lines timestamps up with labelled speech and
     * costs nothing where the probability decides, but delays START and STOP by up to 32 ms where
     * the RMS threshold alone decides (quiet pauses), and a live agent's barge-in and end of turn
     * come first.
     */
    public int lookaheadWindows() {
        return lookaheadWindows;
    }

    /**
     * Returns a copy with one parameter changed, parsed from text, as given on a command line
     * ({@code key=value} with the parameter names of the builder).
     *
     * @throws IllegalArgumentException for an unknown key, an unparsable value or a value out of range
     */
    public VadV2Config with(String key, String value) {
        Builder b = toBuilder();
        try {
            switch (key) {
                case "preStartRecognizeCount" -> b.preStartRecognizeCount(Integer.parseInt(value.trim()));
                case "startRecognizeCount" -> b.startRecognizeCount(Integer.parseInt(value.trim()));
                case "stopRecognizeCount" -> b.stopRecognizeCount(Integer.parseInt(value.trim()));
                case "activePercent" -> b.activePercent(Double.parseDouble(value.trim()));
                case "inactivePercent" -> b.inactivePercent(Double.parseDouble(value.trim()));
                case "startVoiceProb" -> b.startVoiceProb(Integer.parseInt(value.trim()));
                case "stopVoiceProb" -> b.stopVoiceProb(Integer.parseInt(value.trim()));
                case "startRmsThreshold" -> b.startRmsThreshold(Double.parseDouble(value.trim()));
                case "stopRmsThreshold" -> b.stopRmsThreshold(Double.parseDouble(value.trim()));
                case "lookaheadWindows" -> b.lookaheadWindows(Integer.parseInt(value.trim()));
                default -> throw new IllegalArgumentException("unknown VAD parameter '" + key
                        + "'; known: preStartRecognizeCount, startRecognizeCount, stopRecognizeCount, "
                        + "activePercent, inactivePercent, startVoiceProb, stopVoiceProb, "
                        + "startRmsThreshold, stopRmsThreshold, lookaheadWindows");
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number; got '" + value + "'", e);
        }
        return b.build();
    }

    /**
     * Returns a copy with one parameter changed, given as one {@code key=value} string (a
     * command-line option's value); see {@link #with(String, String)}.
     *
     * @throws IllegalArgumentException if the text has no {@code =} after a key, or as
     *     {@link #with(String, String)}
     */
    public VadV2Config with(String keyEqualsValue) {
        int eq = keyEqualsValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("a VAD parameter must be given as key=value; got '"
                    + keyEqualsValue + "'");
        }
        return with(keyEqualsValue.substring(0, eq).trim(), keyEqualsValue.substring(eq + 1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VadV2Config c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "VadV2Config{preStartRecognizeCount=%d, startRecognizeCount=%d, "
                + "stopRecognizeCount=%d, activePercent=%s, inactivePercent=%s, startVoiceProb=%d, "
                + "stopVoiceProb=%d, startRmsThreshold=%s, stopRmsThreshold=%s, lookaheadWindows=%d}",
                preStartRecognizeCount, startRecognizeCount, stopRecognizeCount, activePercent,
                inactivePercent, startVoiceProb, stopVoiceProb, startRmsThreshold, stopRmsThreshold,
                lookaheadWindows);
    }

    /** Validating builder; every setter checks its range at once. Not thread-safe. */
    public static final class Builder {
        private int preStartRecognizeCount = 16;
        private int startRecognizeCount = 30;
        private int stopRecognizeCount = 50;
        private double activePercent = 0.7;
        private double inactivePercent = 0.5;
        private int startVoiceProb = 70;
        private int stopVoiceProb = 70;
        private double startRmsThreshold = -50;
        private double stopRmsThreshold = -50;
        private int lookaheadWindows = 0;

        private Builder() {
        }

        /**
         * Frames of audio kept before the start window and prepended to the START bytes, so speech
         * recognition hears the onset that preceded the decision. Range [0, ...]; default 16 (160 ms).
         */
        public Builder preStartRecognizeCount(int frames) {
            preStartRecognizeCount = atLeast("preStartRecognizeCount", frames, 0);
            return this;
        }

        /**
         * Frames in the sliding start window; speech starts when at least {@code activePercent}
         * of them are active. Range [1, ...]; default 30 (300 ms). Larger values ignore short
         * noises but report speech later.
         */
        public Builder startRecognizeCount(int frames) {
            startRecognizeCount = atLeast("startRecognizeCount", frames, 1);
            return this;
        }

        /**
         * Frames in the sliding stop window; speech stops when at least {@code inactivePercent} of
         * them are inactive. This is the pause length that splits one utterance into two; 50-80
         * frames (0.5-0.8 s) are recommended. Range [1, ...]; default 50.
         */
        public Builder stopRecognizeCount(int frames) {
            stopRecognizeCount = atLeast("stopRecognizeCount", frames, 1);
            return this;
        }

        /** Fraction of active frames in the start window needed to start. Range [0, 1]; default 0.7. */
        public Builder activePercent(double fraction) {
            activePercent = within("activePercent", fraction, 0, 1);
            return this;
        }

        /** Fraction of inactive frames in the stop window needed to stop. Range [0, 1]; default 0.5. */
        public Builder inactivePercent(double fraction) {
            inactivePercent = within("inactivePercent", fraction, 0, 1);
            return this;
        }

        /**
         * Voice probability, in percent (0-100), that a frame needs ({@code >=}) to count as
         * active while not speaking. Range [0, 100]; default 70.
         */
        public Builder startVoiceProb(int percent) {
            startVoiceProb = (int) within("startVoiceProb", percent, 0, 100);
            return this;
        }

        /**
         * Voice probability, in percent (0-100), that a frame must exceed ({@code >}) to stay
         * active while speaking. Setting it below {@code startVoiceProb} gives hysteresis (Silero's
         * own convention is 15 points lower). Range [0, 100]; default 70.
         */
        public Builder stopVoiceProb(int percent) {
            stopVoiceProb = (int) within("stopVoiceProb", percent, 0, 100);
            return this;
        }

        /**
         * Minimum frame loudness, RMS in dBFS, for an active frame while not speaking. -50 suits
         * quiet rooms; use -40..-30 in noise. Range [-100, 0]; default -50.
         */
        public Builder startRmsThreshold(double dbfs) {
            startRmsThreshold = within("startRmsThreshold", dbfs, -100, 0);
            return this;
        }

        /**
         * Minimum frame loudness, RMS in dBFS, for an active frame while speaking. -50 suits quiet
         * rooms; use -40..-30 in noise. Range [-100, 0]; default -50.
         */
        public Builder stopRmsThreshold(double dbfs) {
            stopRmsThreshold = within("stopRmsThreshold", dbfs, -100, 0);
            return this;
        }

        /**
         * Model windows after a frame's own window that the detector reads before deciding the
         * frame. 0: a frame takes the probability of the window holding its last sample and is
         * decided as soon as that window is scored (at most 30 ms of input after the frame's end).
         * 1: it takes the next window's probability (Silero reacts about one window late), decided
         * 32 ms later than with 0 (at most 70 ms after the frame). 2: the same, linearly
         * interpolated between window centres, decided 32-64 ms later than with 0 (at most 80 ms).
         * The exact rules are in {@link VadDetector}, the measured trade-off in BENCHMARKS.md.
         * Range [0, {@value VadV2Config#MAX_LOOKAHEAD_WINDOWS}]; default 0.
         */
        public Builder lookaheadWindows(int windows) {
            if (windows < 0 || windows > MAX_LOOKAHEAD_WINDOWS) {
                throw new IllegalArgumentException("lookaheadWindows must be in [0, " + MAX_LOOKAHEAD_WINDOWS
                        + "]; got " + windows);
            }
            lookaheadWindows = windows;
            return this;
        }

        public VadV2Config build() {
            return new VadV2Config(this);
        }

        private static int atLeast(String name, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be >= " + min + "; got " + value);
            }
            return value;
        }

        private static double within(String name, double value, double min, double max) {
            if (!(value >= min && value <= max)) { // also rejects NaN
                throw new IllegalArgumentException(name + " must be in [" + fmt(min) + ", " + fmt(max)
                        + "]; got " + value);
            }
            return value;
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
