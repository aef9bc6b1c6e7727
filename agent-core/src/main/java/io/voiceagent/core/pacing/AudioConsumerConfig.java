package io.voiceagent.core.pacing;

import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable, validated settings of one {@link AudioConsumer}.
 *
 * <p>Build with {@link #builder()} or use {@link #defaults()}; the canonical constructor
 * validates too, so an invalid instance cannot exist. Thread-safe.
 *
 * @param lead how long before its play-out time each 10 ms frame is handed to the sink: the
 *     cushion the receiver holds against network and scheduling jitter. Also the size of the
 *     burst sent when audio (re)starts. Between {@link #MIN_LEAD} and {@link #MAX_LEAD};
 *     default {@link #DEFAULT_LEAD}.
 * @param bufferLimit the most audio that may wait in the consumer (pushed but not yet sent);
 *     a push beyond it fails with {@link AudioBufferFullException}, audio is never dropped
 *     silently. Between {@link #MIN_BUFFER_LIMIT} and {@link #MAX_BUFFER_LIMIT}; default
 *     {@link #DEFAULT_BUFFER_LIMIT} (60 s: 5.76 MB at 48 kHz mono, 11.5 MB at 48 kHz stereo).
 *     Memory is allocated as audio is pushed, not up front.
 */
public record AudioConsumerConfig(Duration lead, Duration bufferLimit) {

    /** 100 ms: what the reference SDKs settled on (down from 180 ms) as enough for jitter. */
    public static final Duration DEFAULT_LEAD = Duration.ofMillis(100);
    /**
     * One frame. With less, a frame would only be sent once the receiver has nothing left to
     * play, so every scheduling delay would be an audible gap.
     */
    public static final Duration MIN_LEAD = Duration.ofMillis(PcmFormat.FRAME_MS);
    /** 10 s: beyond this the "pacing" is a bulk upload; use the SDK's direct mode instead. */
    public static final Duration MAX_LEAD = Duration.ofSeconds(10);

    /** 60 s: longer than any single TTS answer needs to be queued ahead. */
    public static final Duration DEFAULT_BUFFER_LIMIT = Duration.ofSeconds(60);
    /** One frame. */
    public static final Duration MIN_BUFFER_LIMIT = Duration.ofMillis(PcmFormat.FRAME_MS);
    /** One hour (about 345 MB at 48 kHz stereo). */
    public static final Duration MAX_BUFFER_LIMIT = Duration.ofHours(1);

    private static final AudioConsumerConfig DEFAULTS = new AudioConsumerConfig(DEFAULT_LEAD, DEFAULT_BUFFER_LIMIT);

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException naming the parameter, its allowed range and the bad value
     */
    public AudioConsumerConfig {
        checkRange("lead", lead, MIN_LEAD, MAX_LEAD);
        checkRange("bufferLimit", bufferLimit, MIN_BUFFER_LIMIT, MAX_BUFFER_LIMIT);
    }

    /** Lead 100 ms, buffer limit 60 s. */
    public static AudioConsumerConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder(DEFAULTS);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** {@link #bufferLimit()} in bytes of {@code format}, rounded down to whole sample frames. */
    public long bufferLimitBytes(PcmFormat format) {
        long sampleFrames = bufferLimit.toNanos() / 1000 * format.sampleRateHz() / 1_000_000L;
        return sampleFrames * format.bytesPerSampleFrame();
    }

    private static void checkRange(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min.toMillis() + " ms and "
                    + max.toMillis() + " ms; got " + describe(value));
        }
    }

    private static String describe(Duration d) {
        return d.toNanos() % 1_000_000 == 0 ? d.toMillis() + " ms" : d.toNanos() + " ns";
    }

    /** Mutable builder; not thread-safe. {@link #build()} validates. */
    public static final class Builder {
        private Duration lead;
        private Duration bufferLimit;

        private Builder(AudioConsumerConfig from) {
            this.lead = from.lead;
            this.bufferLimit = from.bufferLimit;
        }

        /** See {@link AudioConsumerConfig#lead()}. */
        public Builder lead(Duration lead) {
            this.lead = Objects.requireNonNull(lead, "lead");
            return this;
        }

        /** See {@link AudioConsumerConfig#bufferLimit()}. */
        public Builder bufferLimit(Duration bufferLimit) {
            this.bufferLimit = Objects.requireNonNull(bufferLimit, "bufferLimit");
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid parameter and its value */
        public AudioConsumerConfig build() {
            return new AudioConsumerConfig(lead, bufferLimit);
        }
    }
}
