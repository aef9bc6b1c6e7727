package io.voiceagent.core.tts;

import java.time.Duration;

/**
 * Configuration of {@link EspeakNgTts}. Immutable; build with {@link #builder()}.
 *
 * @param executable the espeak-ng program, a name on {@code PATH} or a path; default {@code espeak-ng}
 * @param voice the {@code -v} voice, e.g. {@code en-us}, {@code cmn}; default {@code en-us}
 * @param wordsPerMinute the {@code -s} speed; 80..500, default 175
 * @param timeout longest a synthesis may run before it is killed and fails; default 30 s
 */
public record EspeakNgConfig(String executable, String voice, int wordsPerMinute, Duration timeout) {

    public EspeakNgConfig {
        if (executable == null || executable.isBlank()) {
            throw new IllegalArgumentException("executable must not be blank; got " + executable);
        }
        if (voice == null || !voice.matches("[A-Za-z0-9_+\\-/]+")) {
            throw new IllegalArgumentException("voice must be a voice name like en-us; got " + voice);
        }
        if (wordsPerMinute < 80 || wordsPerMinute > 500) {
            throw new IllegalArgumentException("wordsPerMinute must be in 80..500; got " + wordsPerMinute);
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive; got " + timeout);
        }
    }

    public static EspeakNgConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link EspeakNgConfig}; not thread-safe. */
    public static final class Builder {
        private String executable = "espeak-ng";
        private String voice = "en-us";
        private int wordsPerMinute = 175;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() {
        }

        public Builder executable(String executable) {
            this.executable = executable;
            return this;
        }

        public Builder voice(String voice) {
            this.voice = voice;
            return this;
        }

        public Builder wordsPerMinute(int wordsPerMinute) {
            this.wordsPerMinute = wordsPerMinute;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** @throws IllegalArgumentException naming the parameter and value that is invalid */
        public EspeakNgConfig build() {
            return new EspeakNgConfig(executable, voice, wordsPerMinute, timeout);
        }
    }
}
