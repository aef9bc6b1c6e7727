package io.voiceagent.agora.agent;

import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.RtcConnectionConfig;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioPacer;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link AgoraTransport} sends and, when it joins itself, connects. Immutable; start from
 * {@link #defaults()} and change what you need with the {@code with...} methods.
 *
 * @param outputFormat what the session's TTS produces and the track sends (default 16 kHz mono)
 * @param pacer the pacer of the paced output; empty for the service's ({@code AgoraService.audioPacer()})
 * @param consumerConfig the paced output's lead and buffer bound (default 100 ms / 60 s)
 * @param direct whether the SDK paces instead (Agora's AI-server scenario); the track's buffer must
 *     then hold the longest answer (default false)
 * @param trackOptions the track the transport creates when it joins or leases (ignored for {@code of})
 * @param connectionConfig the connection {@code join} creates (its receive format is what the VAD gets)
 */
public record AgoraTransportOptions(PcmFormat outputFormat, Optional<AudioPacer> pacer,
        AudioConsumerConfig consumerConfig, boolean direct, AudioTrackOptions trackOptions,
        RtcConnectionConfig connectionConfig) {

    public AgoraTransportOptions {
        Objects.requireNonNull(outputFormat, "outputFormat");
        Objects.requireNonNull(pacer, "pacer");
        Objects.requireNonNull(consumerConfig, "consumerConfig");
        Objects.requireNonNull(trackOptions, "trackOptions");
        Objects.requireNonNull(connectionConfig, "connectionConfig");
    }

    /** 16 kHz mono, paced on the service's pacer with the default lead, default track and connection. */
    public static AgoraTransportOptions defaults() {
        return new AgoraTransportOptions(PcmFormat.MONO_16K, Optional.empty(), AudioConsumerConfig.defaults(), false,
                AudioTrackOptions.defaults(), RtcConnectionConfig.defaults());
    }

    public AgoraTransportOptions withOutputFormat(PcmFormat f) {
        return new AgoraTransportOptions(f, pacer, consumerConfig, direct, trackOptions, connectionConfig);
    }

    public AgoraTransportOptions withPacer(AudioPacer p) {
        return new AgoraTransportOptions(outputFormat, Optional.of(p), consumerConfig, direct, trackOptions,
                connectionConfig);
    }

    public AgoraTransportOptions withConsumerConfig(AudioConsumerConfig c) {
        return new AgoraTransportOptions(outputFormat, pacer, c, direct, trackOptions, connectionConfig);
    }

    public AgoraTransportOptions withDirect(boolean d) {
        return new AgoraTransportOptions(outputFormat, pacer, consumerConfig, d, trackOptions, connectionConfig);
    }

    public AgoraTransportOptions withTrackOptions(AudioTrackOptions t) {
        return new AgoraTransportOptions(outputFormat, pacer, consumerConfig, direct, t, connectionConfig);
    }

    public AgoraTransportOptions withConnectionConfig(RtcConnectionConfig c) {
        return new AgoraTransportOptions(outputFormat, pacer, consumerConfig, direct, trackOptions, c);
    }
}
