package io.voiceagent.core.turn;

import java.util.Objects;

/**
 * Configuration of a {@link RoundManager}. Immutable; build with {@link #builder()}.
 *
 * @param interruptMode what interrupts the agent; default {@link InterruptMode#VOICE_ACTIVATION}
 * @param minInterruptLetters in {@link InterruptMode#ASR_ACTIVATION}, the letters or digits a
 *     recognized text needs to interrupt (punctuation-only or empty partials never do); 1..100,
 *     default 1
 */
public record RoundManagerConfig(InterruptMode interruptMode, int minInterruptLetters) {

    /** Validates like {@link Builder#build()}. */
    public RoundManagerConfig {
        Objects.requireNonNull(interruptMode, "interruptMode");
        if (minInterruptLetters < 1 || minInterruptLetters > 100) {
            throw new IllegalArgumentException("minInterruptLetters must be in 1..100; got " + minInterruptLetters);
        }
    }

    /** The defaults. */
    public static RoundManagerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link RoundManagerConfig}; not thread-safe. */
    public static final class Builder {
        private InterruptMode interruptMode = InterruptMode.VOICE_ACTIVATION;
        private int minInterruptLetters = 1;

        private Builder() {
        }

        public Builder interruptMode(InterruptMode interruptMode) {
            this.interruptMode = interruptMode;
            return this;
        }

        public Builder minInterruptLetters(int minInterruptLetters) {
            this.minInterruptLetters = minInterruptLetters;
            return this;
        }

        /** @throws IllegalArgumentException naming the parameter and value that is invalid */
        public RoundManagerConfig build() {
            if (interruptMode == null) {
                throw new IllegalArgumentException("interruptMode must not be null");
            }
            return new RoundManagerConfig(interruptMode, minInterruptLetters);
        }
    }
}
