package io.voiceagent.core.server;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of an {@link AudioModalitiesServer}. Immutable; build with {@link #builder()}.
 *
 * @param bindAddress interface to listen on; default 127.0.0.1 (loopback only)
 * @param port TCP port, 0 for an ephemeral one; 0..65535, default 8000
 * @param pcmFile 16-bit little-endian mono PCM at {@code sampleRateHz}, read at each request
 *     (404 if missing)
 * @param transcriptFile UTF-8 text sent as the transcript, read at each request (404 if missing)
 * @param apiKey the bearer token clients must send; null accepts any non-empty bearer token
 *     (a request without one still gets 401). Never logged.
 * @param sampleRateHz rate of {@code pcmFile}; default 16000
 * @param chunkDuration audio per SSE chunk; 10..1000 ms, default 40 ms
 * @param chunkInterval time between audio chunks; default = chunkDuration (real time),
 *     {@link Duration#ZERO} streams as fast as the client reads
 */
public record AudioModalitiesServerConfig(InetAddress bindAddress, int port, Path pcmFile, Path transcriptFile,
        String apiKey, int sampleRateHz, Duration chunkDuration, Duration chunkInterval) {

    public AudioModalitiesServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535; got " + port);
        }
        Objects.requireNonNull(pcmFile, "pcmFile");
        Objects.requireNonNull(transcriptFile, "transcriptFile");
        if (apiKey != null && apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must be null or non-blank");
        }
        if (sampleRateHz < 8000 || sampleRateHz > 48000) {
            throw new IllegalArgumentException("sampleRateHz must be in 8000..48000; got " + sampleRateHz);
        }
        if (chunkDuration == null || chunkDuration.toMillis() < 10 || chunkDuration.toMillis() > 1000) {
            throw new IllegalArgumentException("chunkDuration must be 10..1000 ms; got " + chunkDuration);
        }
        if (chunkInterval == null || chunkInterval.isNegative()) {
            throw new IllegalArgumentException("chunkInterval must be >= 0; got " + chunkInterval);
        }
    }

    /** Bytes of PCM per chunk (whole samples). */
    public int chunkBytes() {
        return (int) (sampleRateHz * chunkDuration.toMillis() / 1000) * 2;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "AudioModalitiesServerConfig[" + bindAddress.getHostAddress() + ":" + port + ", pcm=" + pcmFile
                + ", transcript=" + transcriptFile + ", apiKey=" + (apiKey == null ? "any" : "<redacted>") + ", "
                + sampleRateHz + " Hz, chunk=" + chunkDuration.toMillis() + " ms every " + chunkInterval.toMillis() + " ms]";
    }

    /** Builder of {@link AudioModalitiesServerConfig}; not thread-safe. */
    public static final class Builder {
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = 8000;
        private Path pcmFile;
        private Path transcriptFile;
        private String apiKey;
        private int sampleRateHz = 16000;
        private Duration chunkDuration = Duration.ofMillis(40);
        private Duration chunkInterval;

        private Builder() {
        }

        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = bindAddress;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder pcmFile(Path pcmFile) {
            this.pcmFile = pcmFile;
            return this;
        }

        public Builder transcriptFile(Path transcriptFile) {
            this.transcriptFile = transcriptFile;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder sampleRateHz(int sampleRateHz) {
            this.sampleRateHz = sampleRateHz;
            return this;
        }

        public Builder chunkDuration(Duration chunkDuration) {
            this.chunkDuration = chunkDuration;
            return this;
        }

        public Builder chunkInterval(Duration chunkInterval) {
            this.chunkInterval = chunkInterval;
            return this;
        }

        /** @throws IllegalArgumentException naming the parameter and value that is invalid */
        public AudioModalitiesServerConfig build() {
            if (pcmFile == null) {
                throw new IllegalArgumentException("pcmFile must be set");
            }
            if (transcriptFile == null) {
                throw new IllegalArgumentException("transcriptFile must be set");
            }
            return new AudioModalitiesServerConfig(bindAddress, port, pcmFile, transcriptFile, apiKey, sampleRateHz,
                    chunkDuration, chunkInterval == null ? chunkDuration : chunkInterval);
        }
    }
}
