package io.voiceagent.server.duet;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.duet.DuetAgent;
import io.voiceagent.core.duet.DuetRole;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of a {@link DuetServer}. Immutable; build with {@link #builder()}.
 *
 * @param sampleRateHz the rate of the agents' speech (the WAVs) and of the user's {@code user_audio}
 *     PCM; 16000 (the protocol's)
 * @param maxSessions duet sessions kept at once (attached or waiting for a reconnect); 1..10000,
 *     default 100
 * @param reconnectWindow how long a session whose socket closed waits for a client to reconnect with
 *     its id before it is closed; 0..1 h, default 5 min
 * @param maxUserAudio the longest {@code user_audio} message accepted (of PCM); 1..60 s, default 30 s
 * @param maxTurns turns after which a running duet ends; default 20
 * @param stopPhrase the phrase that ends a duet when an agent says it; null for none (default "goodbye")
 * @param agents the agents a new session starts with
 */
public record DuetServerConfig(int sampleRateHz, int maxSessions, Duration reconnectWindow, Duration maxUserAudio,
        int maxTurns, String stopPhrase, Map<DuetRole, DuetAgent> agents) {

    public DuetServerConfig {
        if (sampleRateHz != 16000) {
            throw new IllegalArgumentException("sampleRateHz must be 16000 (the duet protocol's PCM); got " + sampleRateHz);
        }
        if (maxSessions < 1 || maxSessions > 10_000) {
            throw new IllegalArgumentException("maxSessions must be in 1..10000; got " + maxSessions);
        }
        Objects.requireNonNull(reconnectWindow, "reconnectWindow");
        if (reconnectWindow.isNegative() || reconnectWindow.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("reconnectWindow must be in 0..1 h; got " + reconnectWindow);
        }
        Objects.requireNonNull(maxUserAudio, "maxUserAudio");
        if (maxUserAudio.compareTo(Duration.ofSeconds(1)) < 0 || maxUserAudio.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("maxUserAudio must be in 1..60 s; got " + maxUserAudio);
        }
        if (maxTurns < 1 || maxTurns > 10_000) {
            throw new IllegalArgumentException("maxTurns must be in 1..10000; got " + maxTurns);
        }
        agents = Map.copyOf(agents);
        if (!agents.containsKey(DuetRole.A) || !agents.containsKey(DuetRole.B)) {
            throw new IllegalArgumentException("agents must have A and B; got " + agents.keySet());
        }
    }

    public static DuetServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The PCM format of the speech and of the user's audio. */
    public PcmFormat format() {
        return PcmFormat.of(sampleRateHz, 1);
    }

    /** Builder of a {@link DuetServerConfig}; not thread-safe. */
    public static final class Builder {
        private int sampleRateHz = 16000;
        private int maxSessions = 100;
        private Duration reconnectWindow = Duration.ofMinutes(5);
        private Duration maxUserAudio = Duration.ofSeconds(30);
        private int maxTurns = 20;
        private String stopPhrase = "goodbye";
        private final Map<DuetRole, DuetAgent> agents = new EnumMap<>(DuetRole.class);

        private Builder() {
            agents.put(DuetRole.A, DuetAgent.of("Alex", "You are Alex, a curious amateur astronomer who loves the "
                    + "night sky.", "en"));
            agents.put(DuetRole.B, DuetAgent.of("Sofía", "Eres Sofía, una panadera alegre de Sevilla a la que le "
                    + "encanta hablar de comida.", "es"));
        }

        public Builder sampleRateHz(int sampleRateHz) {
            this.sampleRateHz = sampleRateHz;
            return this;
        }

        public Builder maxSessions(int maxSessions) {
            this.maxSessions = maxSessions;
            return this;
        }

        public Builder reconnectWindow(Duration reconnectWindow) {
            this.reconnectWindow = reconnectWindow;
            return this;
        }

        public Builder maxUserAudio(Duration maxUserAudio) {
            this.maxUserAudio = maxUserAudio;
            return this;
        }

        public Builder maxTurns(int maxTurns) {
            this.maxTurns = maxTurns;
            return this;
        }

        public Builder stopPhrase(String stopPhrase) {
            this.stopPhrase = stopPhrase;
            return this;
        }

        /** The agent {@code role} a new session starts with. */
        public Builder agent(DuetRole role, DuetAgent agent) {
            agents.put(Objects.requireNonNull(role, "role"), Objects.requireNonNull(agent, "agent"));
            return this;
        }

        /** @throws IllegalArgumentException naming the parameter and value that is invalid */
        public DuetServerConfig build() {
            return new DuetServerConfig(sampleRateHz, maxSessions, reconnectWindow, maxUserAudio, maxTurns, stopPhrase,
                    agents);
        }
    }
}
