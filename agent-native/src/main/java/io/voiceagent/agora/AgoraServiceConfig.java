package io.voiceagent.agora;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable configuration of the process-wide {@link AgoraService}, built and validated by
 * {@link #builder()}. The app id is a credential-like value: {@link #toString()} never prints it.
 *
 * @param appId the Agora app id (required, non-blank)
 * @param areas regions the SDK may connect through; empty = global
 * @param channelProfile the default channel profile
 * @param audioScenario the audio scenario; {@link AudioScenario#CHORUS} (low delay) by default
 * @param enableAudioProcessor whether the SDK's audio processing module runs (needed to send/receive audio)
 * @param enableVideo whether video is enabled: needed by the video tracks of {@code io.voiceagent.agora.video}
 *     (default false)
 * @param useStringUid whether user ids are strings on the wire (default false: numeric strings)
 * @param audioLabels whether the SDK computes per-frame audio labels (voice probability, pitch)
 *     through its built-in label generator; off by default because this SDK's VAD uses Silero
 * @param callbackWhenMuted whether remote users who mute keep producing (silent) audio frames
 * @param logFile where the native SDK writes its own log, if anywhere
 * @param logFileSizeBytes maximum native log size in bytes (default 1 MiB)
 * @param logLevel native log verbosity
 */
public record AgoraServiceConfig(
        String appId,
        Set<AreaCode> areas,
        ChannelProfile channelProfile,
        AudioScenario audioScenario,
        boolean enableAudioProcessor,
        boolean enableVideo,
        boolean useStringUid,
        boolean audioLabels,
        boolean callbackWhenMuted,
        Optional<Path> logFile,
        int logFileSizeBytes,
        LogLevel logLevel) {

    /** Compact constructor: validates like the builder, so a config can never be invalid. */
    public AgoraServiceConfig {
        if (appId == null || appId.isBlank()) {
            throw new IllegalArgumentException("appId must be a non-blank Agora app id; got "
                    + (appId == null ? "null" : "a blank string"));
        }
        areas = Set.copyOf(Objects.requireNonNull(areas, "areas"));
        Objects.requireNonNull(channelProfile, "channelProfile");
        Objects.requireNonNull(audioScenario, "audioScenario");
        Objects.requireNonNull(logFile, "logFile");
        Objects.requireNonNull(logLevel, "logLevel");
        if (logFileSizeBytes < 64 * 1024 || logFileSizeBytes > 1024 * 1024 * 1024) {
            throw new IllegalArgumentException("logFileSizeBytes must be in [65536, 1073741824]; got " + logFileSizeBytes);
        }
    }

    /** A builder with the defaults listed on each parameter. */
    public static Builder builder() {
        return new Builder();
    }

    /** The AREA_CODE mask passed to the SDK. */
    public int areaMask() {
        return AreaCode.mask(areas.isEmpty() ? EnumSet.noneOf(AreaCode.class) : EnumSet.copyOf(areas));
    }

    @Override
    public String toString() {
        return "AgoraServiceConfig[appId=<redacted>, areas=" + (areas.isEmpty() ? "GLOBAL" : areas) + ", channelProfile="
                + channelProfile + ", audioScenario=" + audioScenario + ", audioLabels=" + audioLabels
                + ", callbackWhenMuted=" + callbackWhenMuted + ", logFile=" + logFile.map(Path::toString).orElse("none")
                + ", logLevel=" + logLevel + "]";
    }

    /** Builds an {@link AgoraServiceConfig}; not thread-safe. */
    public static final class Builder {
        private String appId;
        private Set<AreaCode> areas = Set.of();
        private ChannelProfile channelProfile = ChannelProfile.LIVE_BROADCASTING;
        private AudioScenario audioScenario = AudioScenario.CHORUS;
        private boolean enableAudioProcessor = true;
        private boolean enableVideo;
        private boolean useStringUid;
        private boolean audioLabels;
        private boolean callbackWhenMuted;
        private Path logFile;
        private int logFileSizeBytes = 1024 * 1024;
        private LogLevel logLevel = LogLevel.INFO;

        private Builder() {}

        public Builder appId(String appId) {
            this.appId = appId;
            return this;
        }

        public Builder areas(Set<AreaCode> areas) {
            this.areas = areas;
            return this;
        }

        public Builder channelProfile(ChannelProfile channelProfile) {
            this.channelProfile = channelProfile;
            return this;
        }

        public Builder audioScenario(AudioScenario audioScenario) {
            this.audioScenario = audioScenario;
            return this;
        }

        public Builder enableAudioProcessor(boolean enable) {
            this.enableAudioProcessor = enable;
            return this;
        }

        public Builder enableVideo(boolean enable) {
            this.enableVideo = enable;
            return this;
        }

        public Builder useStringUid(boolean useStringUid) {
            this.useStringUid = useStringUid;
            return this;
        }

        public Builder audioLabels(boolean audioLabels) {
            this.audioLabels = audioLabels;
            return this;
        }

        public Builder callbackWhenMuted(boolean callbackWhenMuted) {
            this.callbackWhenMuted = callbackWhenMuted;
            return this;
        }

        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public Builder logFileSizeBytes(int logFileSizeBytes) {
            this.logFileSizeBytes = logFileSizeBytes;
            return this;
        }

        public Builder logLevel(LogLevel logLevel) {
            this.logLevel = logLevel;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid parameter and its value */
        public AgoraServiceConfig build() {
            return new AgoraServiceConfig(appId, areas, channelProfile, audioScenario, enableAudioProcessor, enableVideo,
                    useStringUid, audioLabels, callbackWhenMuted, Optional.ofNullable(logFile), logFileSizeBytes,
                    logLevel);
        }
    }
}
