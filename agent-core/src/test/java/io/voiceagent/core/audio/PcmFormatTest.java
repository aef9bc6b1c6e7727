package io.voiceagent.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PcmFormatTest {

    @ParameterizedTest
    @CsvSource({"8000,1,160", "16000,1,320", "16000,2,640", "24000,1,480", "32000,1,640",
            "44100,1,882", "44100,2,1764", "48000,1,960", "48000,2,1920"})
    void frameSizesMatchTenMilliseconds(int rate, int channels, int bytesPerFrame) {
        PcmFormat f = PcmFormat.of(rate, channels);
        assertThat(f.bytesPerFrame()).isEqualTo(bytesPerFrame);
        assertThat(f.samplesPerChannelPerFrame()).isEqualTo(rate / 100);
        assertThat(f.bytesFor(1000)).isEqualTo(f.bytesPerSecond());
        assertThat(f.durationMillis(f.bytesPerSecond() * 3L)).isEqualTo(3000);
    }

    @Test
    void rejectsUnsupportedRateNamingParameterAndValue() {
        assertThatThrownBy(() -> PcmFormat.of(11025, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sampleRateHz")
                .hasMessageContaining("11025");
        assertThatThrownBy(() -> PcmFormat.of(16000, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channels")
                .hasMessageContaining("3");
    }

    @Test
    void audioFrameRequiresExactlyOneFrame() {
        assertThatThrownBy(() -> new AudioFrame(PcmFormat.MONO_16K, new byte[319], 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("320")
                .hasMessageContaining("319");
        AudioFrame f = new AudioFrame(PcmFormat.MONO_16K, new byte[320], 42);
        assertThat(f.samplesPerChannel()).isEqualTo(160);
        assertThat(f.copyData()).isNotSameAs(f.data()).isEqualTo(f.data());
    }
}
