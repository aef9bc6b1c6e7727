package io.voiceagent.server.web;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a {@link WebConsole}. Immutable; {@link #builder()} validates every value and
 * names the parameter in its error.
 *
 * @param sampleRateHz the session rate of both directions (the client's microphone PCM and the
 *     agent's speech), announced to the client; a multiple of 100 in 8000..48000 (default 16000)
 * @param maxSessions WebSockets served at once; a client beyond it gets an {@code error} and close
 *     code 1013 (default 200)
 * @param maxFramesPerSecond binary messages a client may send per second (bursts up to the same
 *     number); beyond it frames are dropped with an {@code error} (default 100)
 * @param maxFrameBytes the largest binary message accepted, header included (default 64 KB);
 *     larger ones get an {@code error} and are dropped
 * @param maxQueuedAudio agent audio that may wait for a slow client before new audio is dropped (default 2 s)
 * @param output pacing of the agent's speech (lead, buffer bound)
 * @param shutdownGrace how long {@link WebConsole#close()} lets each socket flush its last messages (default 1 s)
 */
public record WebConsoleConfig(int sampleRateHz, int maxSessions, int maxFramesPerSecond, int maxFrameBytes,
        Duration maxQueuedAudio, AudioConsumerConfig output, Duration shutdownGrace) {

    /** The protocol's frame limit. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

    public WebConsoleConfig {
        if (sampleRateHz < 8000 || sampleRateHz > 48000 || sampleRateHz % 100 != 0) {
            throw new IllegalArgumentException("sampleRateHz must be a multiple of 100 in 8000..48000 (10 ms frames of "
                    + "whole samples); got " + sampleRateHz);
        }
        if (maxSessions < 1 || maxSessions > 100_000) {
            throw new IllegalArgumentException("maxSessions must be in 1..100000; got " + maxSessions);
        }
        if (maxFramesPerSecond < 1 || maxFramesPerSecond > 10_000) {
            throw new IllegalArgumentException("maxFramesPerSecond must be in 1..10000; got " + maxFramesPerSecond);
        }
        if (maxFrameBytes < 16 || maxFrameBytes > 1 << 20) {
            throw new IllegalArgumentException("maxFrameBytes must be in 16..1048576; got " + maxFrameBytes);
        }
        Objects.requireNonNull(maxQueuedAudio, "maxQueuedAudio");
        if (maxQueuedAudio.toMillis() < 100) {
            throw new IllegalArgumentException("maxQueuedAudio must be at least 100 ms; got " + maxQueuedAudio.toMillis()
                    + " ms");
        }
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    public static WebConsoleConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mono PCM16 at {@link #sampleRateHz()}. */
    public PcmFormat format() {
        return PcmFormat.of(sampleRateHz, 1);
    }

    /** Builder of a {@link WebConsoleConfig}; not thread-safe. */
    public static final class Builder {
        private int sampleRateHz = 16_000;
        private int maxSessions = 200;
        private int maxFramesPerSecond = 100;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private Duration maxQueuedAudio = Duration.ofSeconds(2);
        private AudioConsumerConfig output = AudioConsumerConfig.defaults();
        private Duration shutdownGrace = Duration.ofSeconds(1);

        private Builder() {
        }

        public Builder sampleRateHz(int v) {
            sampleRateHz = v;
            return this;
        }

        public Builder maxSessions(int v) {
            maxSessions = v;
            return this;
        }

        public Builder maxFramesPerSecond(int v) {
            maxFramesPerSecond = v;
            return this;
        }

        public Builder maxFrameBytes(int v) {
            maxFrameBytes = v;
            return this;
        }

        public Builder maxQueuedAudio(Duration v) {
            maxQueuedAudio = v;
            return this;
        }

        public Builder output(AudioConsumerConfig v) {
            output = v;
            return this;
        }

        public Builder shutdownGrace(Duration v) {
            shutdownGrace = v;
            return this;
        }

        public WebConsoleConfig build() {
            return new WebConsoleConfig(sampleRateHz, maxSessions, maxFramesPerSecond, maxFrameBytes, maxQueuedAudio,
                    output, shutdownGrace);
        }
    }
}
