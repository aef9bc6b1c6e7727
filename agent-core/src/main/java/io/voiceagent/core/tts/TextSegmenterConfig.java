package io.voiceagent.core.tts;

/**
 * Piece-length limits of a {@link TextSegmenter}, in UTF-16 chars of the piece. Immutable.
 *
 * @param minChars a punctuation mark closer than this to the start of the buffered text does not
 *     cut (the piece would be too short to sound natural); 1..1000, default 6
 * @param maxChars a piece is cut at a word boundary once the text without punctuation grows past
 *     this; at least {@code minChars}, at most 10000, default 150. A single word longer than this
 *     is emitted whole (a word is never split)
 */
public record TextSegmenterConfig(int minChars, int maxChars) {

    public TextSegmenterConfig {
        if (minChars < 1 || minChars > 1000) {
            throw new IllegalArgumentException("minChars must be in 1..1000; got " + minChars);
        }
        if (maxChars < minChars || maxChars > 10000) {
            throw new IllegalArgumentException("maxChars must be in minChars(" + minChars + ")..10000; got " + maxChars);
        }
    }

    public static TextSegmenterConfig defaults() {
        return new TextSegmenterConfig(6, 150);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link TextSegmenterConfig}; not thread-safe. */
    public static final class Builder {
        private int minChars = 6;
        private int maxChars = 150;

        private Builder() {
        }

        public Builder minChars(int minChars) {
            this.minChars = minChars;
            return this;
        }

        public Builder maxChars(int maxChars) {
            this.maxChars = maxChars;
            return this;
        }

        /** @throws IllegalArgumentException naming the parameter and value that is invalid */
        public TextSegmenterConfig build() {
            return new TextSegmenterConfig(minChars, maxChars);
        }
    }
}
