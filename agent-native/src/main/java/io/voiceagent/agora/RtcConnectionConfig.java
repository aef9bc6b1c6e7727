package io.voiceagent.agora;

import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration of one {@link RtcConnection}, built and validated by {@link #builder()}.
 *
 * @param autoSubscribeAudio subscribe to every remote user's audio on join (default true: an agent
 *     listens to everyone)
 * @param clientRole the role in the channel; an agent that speaks is a broadcaster (default)
 * @param channelProfile the channel profile (default live broadcasting)
 * @param receiveFormat format in which remote users' audio is delivered, one 10 ms frame per user
 *     per callback (default 16 kHz mono: what VAD and speech recognition consume)
 * @param connectTimeout how long {@link RtcConnection#connect} waits for the channel to be joined
 *     (default 10 s)
 * @param eventQueueCapacity bound of the connection's event queue (audio frames and events waiting
 *     for the connection's listeners); events beyond it are dropped and counted (default 4096,
 *     about 40 s of one user's audio)
 * @param maxSendBitrate maximum send bitrate in bps, 0 for the SDK default
 * @param minPort lowest UDP port the SDK may use, 0 for any
 * @param maxPort highest UDP port the SDK may use, 0 for any
 * @param pcmSubscription ask the SDK to decode subscribed audio to PCM only, in
 *     {@link #receiveFormat()} ({@code audio_subs_options}); off by default, as in Agora's own
 *     wrappers for this native build, which leave those options zero
 */
public record RtcConnectionConfig(
        boolean autoSubscribeAudio,
        ClientRole clientRole,
        ChannelProfile channelProfile,
        PcmFormat receiveFormat,
        Duration connectTimeout,
        int eventQueueCapacity,
        int maxSendBitrate,
        int minPort,
        int maxPort,
        boolean pcmSubscription) {

    /** Validates every field; see {@link Builder#build()}. */
    public RtcConnectionConfig {
        Objects.requireNonNull(clientRole, "clientRole");
        Objects.requireNonNull(channelProfile, "channelProfile");
        Objects.requireNonNull(receiveFormat, "receiveFormat");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive; got " + connectTimeout);
        }
        if (eventQueueCapacity < 16) {
            throw new IllegalArgumentException("eventQueueCapacity must be >= 16; got " + eventQueueCapacity);
        }
        if (maxSendBitrate < 0) {
            throw new IllegalArgumentException("maxSendBitrate must be >= 0; got " + maxSendBitrate);
        }
        if (minPort < 0 || minPort > 65535) {
            throw new IllegalArgumentException("minPort must be in [0, 65535]; got " + minPort);
        }
        if (maxPort < 0 || maxPort > 65535) {
            throw new IllegalArgumentException("maxPort must be in [0, 65535]; got " + maxPort);
        }
        if (maxPort != 0 && minPort > maxPort) {
            throw new IllegalArgumentException("minPort must be <= maxPort; got minPort=" + minPort + ", maxPort="
                    + maxPort);
        }
    }

    /** The defaults: auto-subscribe, broadcaster, live broadcasting, 16 kHz mono, 10 s timeout. */
    public static RtcConnectionConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link RtcConnectionConfig}; not thread-safe. */
    public static final class Builder {
        private boolean autoSubscribeAudio = true;
        private ClientRole clientRole = ClientRole.BROADCASTER;
        private ChannelProfile channelProfile = ChannelProfile.LIVE_BROADCASTING;
        private PcmFormat receiveFormat = PcmFormat.MONO_16K;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int eventQueueCapacity = 4096;
        private int maxSendBitrate;
        private int minPort;
        private int maxPort;
        private boolean pcmSubscription;

        private Builder() {}

        public Builder autoSubscribeAudio(boolean autoSubscribeAudio) {
            this.autoSubscribeAudio = autoSubscribeAudio;
            return this;
        }

        public Builder clientRole(ClientRole clientRole) {
            this.clientRole = clientRole;
            return this;
        }

        public Builder channelProfile(ChannelProfile channelProfile) {
            this.channelProfile = channelProfile;
            return this;
        }

        public Builder receiveFormat(PcmFormat receiveFormat) {
            this.receiveFormat = receiveFormat;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder eventQueueCapacity(int eventQueueCapacity) {
            this.eventQueueCapacity = eventQueueCapacity;
            return this;
        }

        public Builder maxSendBitrate(int maxSendBitrate) {
            this.maxSendBitrate = maxSendBitrate;
            return this;
        }

        public Builder portRange(int minPort, int maxPort) {
            this.minPort = minPort;
            this.maxPort = maxPort;
            return this;
        }

        public Builder pcmSubscription(boolean pcmSubscription) {
            this.pcmSubscription = pcmSubscription;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid parameter and its value */
        public RtcConnectionConfig build() {
            return new RtcConnectionConfig(autoSubscribeAudio, clientRole, channelProfile, receiveFormat, connectTimeout,
                    eventQueueCapacity, maxSendBitrate, minPort, maxPort, pcmSubscription);
        }
    }
}
