package io.voiceagent.core.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VadV2ConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        VadV2Config c = VadV2Config.DEFAULT;
        assertThat(c.preStartRecognizeCount()).isEqualTo(16);
        assertThat(c.startRecognizeCount()).isEqualTo(30);
        assertThat(c.stopRecognizeCount()).isEqualTo(50);
        assertThat(c.activePercent()).isEqualTo(0.7);
        assertThat(c.inactivePercent()).isEqualTo(0.5);
        assertThat(c.startVoiceProb()).isEqualTo(70);
        assertThat(c.stopVoiceProb()).isEqualTo(70);
        assertThat(c.startRmsThreshold()).isEqualTo(-50.0);
        assertThat(c.stopRmsThreshold()).isEqualTo(-50.0);
        assertThat(c.lookaheadWindows()).isEqualTo(0);
    }

    @Test
    void builderNamesTheBadParameterAndValue() {
        assertThatThrownBy(() -> VadV2Config.builder().preStartRecognizeCount(-1))
                .hasMessage("preStartRecognizeCount must be >= 0; got -1");
        assertThatThrownBy(() -> VadV2Config.builder().startRecognizeCount(0))
                .hasMessage("startRecognizeCount must be >= 1; got 0");
        assertThatThrownBy(() -> VadV2Config.builder().stopRecognizeCount(0))
                .hasMessage("stopRecognizeCount must be >= 1; got 0");
        assertThatThrownBy(() -> VadV2Config.builder().activePercent(1.5))
                .hasMessage("activePercent must be in [0, 1]; got 1.5");
        assertThatThrownBy(() -> VadV2Config.builder().inactivePercent(Double.NaN))
                .hasMessage("inactivePercent must be in [0, 1]; got NaN");
        assertThatThrownBy(() -> VadV2Config.builder().startVoiceProb(101))
                .hasMessage("startVoiceProb must be in [0, 100]; got 101.0");
        assertThatThrownBy(() -> VadV2Config.builder().stopVoiceProb(-1))
                .hasMessage("stopVoiceProb must be in [0, 100]; got -1.0");
        assertThatThrownBy(() -> VadV2Config.builder().startRmsThreshold(1))
                .hasMessage("startRmsThreshold must be in [-100, 0]; got 1.0");
        assertThatThrownBy(() -> VadV2Config.builder().stopRmsThreshold(-101))
                .hasMessage("stopRmsThreshold must be in [-100, 0]; got -101.0");
        assertThatThrownBy(() -> VadV2Config.builder().lookaheadWindows(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lookaheadWindows must be in [0, 2]; got 3");
        assertThatThrownBy(() -> VadV2Config.builder().lookaheadWindows(-1))
                .hasMessage("lookaheadWindows must be in [0, 2]; got -1");
        assertThatThrownBy(() -> VadV2Config.DEFAULT.with("lookaheadWindows", "5"))
                .hasMessage("lookaheadWindows must be in [0, 2]; got 5");
        assertThatThrownBy(() -> VadV2Config.DEFAULT.with("lookaheadWindows", "1.5"))
                .hasMessage("lookaheadWindows must be a number; got '1.5'");
    }

    @Test
    void lookaheadWindowsIsPartOfTheConfiguration() {
        for (int n = 0; n <= VadV2Config.MAX_LOOKAHEAD_WINDOWS; n++) {
            VadV2Config c = VadV2Config.DEFAULT.with("lookaheadWindows", Integer.toString(n));
            assertThat(c.lookaheadWindows()).isEqualTo(n);
            assertThat(c.toBuilder().build()).isEqualTo(c);
            assertThat(c.toString()).contains("lookaheadWindows=" + n);
        }
        assertThat(VadV2Config.builder().lookaheadWindows(2).build())
                .isNotEqualTo(VadV2Config.builder().lookaheadWindows(1).build());
    }

    @Test
    void boundariesAreAccepted() {
        VadV2Config c = VadV2Config.builder().preStartRecognizeCount(0).startRecognizeCount(1)
                .stopRecognizeCount(1).activePercent(0).inactivePercent(1).startVoiceProb(100)
                .stopVoiceProb(0).startRmsThreshold(-100).stopRmsThreshold(0).build();
        assertThat(c.stopRmsThreshold()).isEqualTo(0.0);
        assertThat(c.startVoiceProb()).isEqualTo(100);
    }

    @Test
    void withParsesKeyValueAndRejectsUnknownKeys() {
        VadV2Config c = VadV2Config.DEFAULT.with("stopRecognizeCount", "65").with("startRmsThreshold", "-35.5");
        assertThat(c.stopRecognizeCount()).isEqualTo(65);
        assertThat(c.startRmsThreshold()).isEqualTo(-35.5);
        assertThat(c).isNotEqualTo(VadV2Config.DEFAULT);
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThatThrownBy(() -> VadV2Config.DEFAULT.with("rms", "1")).hasMessageContaining("unknown VAD parameter 'rms'");
        assertThatThrownBy(() -> VadV2Config.DEFAULT.with("activePercent", "x"))
                .hasMessage("activePercent must be a number; got 'x'");
        assertThatThrownBy(() -> VadV2Config.DEFAULT.with("activePercent", "2"))
                .hasMessage("activePercent must be in [0, 1]; got 2.0");
        assertThat(VadV2Config.DEFAULT.with("stopRecognizeCount = 65").stopRecognizeCount()).isEqualTo(65);
        assertThatThrownBy(() -> VadV2Config.DEFAULT.with("=65"))
                .hasMessage("a VAD parameter must be given as key=value; got '=65'");
        assertThatThrownBy(() -> VadV2Config.DEFAULT.with("stopRecognizeCount"))
                .hasMessage("a VAD parameter must be given as key=value; got 'stopRecognizeCount'");
    }
}
