package io.voiceagent.core.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AudioConsumerConfigTest {

    @Test
    void defaultsAreDocumentedValues() {
        AudioConsumerConfig d = AudioConsumerConfig.defaults();
        assertThat(d.lead()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.bufferLimit()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.bufferLimitBytes(PcmFormat.MONO_48K)).isEqualTo(5_760_000);
        assertThat(d.bufferLimitBytes(PcmFormat.of(44100, 2))).isEqualTo(60L * 44100 * 4);
        assertThat(AudioConsumerConfig.builder().build()).isEqualTo(d);
    }

    @Test
    void builderRoundTrips() {
        AudioConsumerConfig c = AudioConsumerConfig.builder().lead(Duration.ofMillis(40))
                .bufferLimit(Duration.ofSeconds(5)).build();
        assertThat(c.lead()).isEqualTo(Duration.ofMillis(40));
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.bufferLimitBytes(PcmFormat.MONO_16K)).isEqualTo(160_000);
    }

    @Test
    void rejectsOutOfRangeValuesNamingParameterAndValue() {
        assertThatThrownBy(() -> AudioConsumerConfig.builder().lead(Duration.ofMillis(5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lead").hasMessageContaining("5 ms").hasMessageContaining("10 ms");
        assertThatThrownBy(() -> AudioConsumerConfig.builder().lead(Duration.ofSeconds(11)).build())
                .hasMessageContaining("lead").hasMessageContaining("11000 ms");
        assertThatThrownBy(() -> AudioConsumerConfig.builder().bufferLimit(Duration.ofHours(2)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bufferLimit").hasMessageContaining("7200000 ms");
        assertThatThrownBy(() -> new AudioConsumerConfig(Duration.ofNanos(-1), Duration.ofSeconds(1)))
                .hasMessageContaining("lead").hasMessageContaining("-1 ns");
        assertThatThrownBy(() -> new AudioConsumerConfig(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("lead");
    }
}
