package io.voiceagent.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class WavFileTest {

    private static byte[] wav(int rate, int channels, int dataSizeField, short... samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(0x7ffff024).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.put("data".getBytes()).putInt(dataSizeField);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }

    @Test
    void streamingSizeFieldsReadToTheEnd() throws Exception {
        WavFile w = WavFile.parse(wav(22050, 1, 0x7ffff000, (short) 1, (short) -1, (short) 300), "stream");
        assertThat(w.sampleRateHz()).isEqualTo(22050);
        assertThat(w.channels()).isEqualTo(1);
        assertThat(w.samples()).containsExactly(1, -1, 300);
        WavFile unset = WavFile.parse(wav(22050, 1, 0xffffffff, (short) 4, (short) 5), "stream");
        assertThat(unset.samples()).containsExactly(4, 5);
    }

    @Test
    void exactSizeFieldStopsThere() throws Exception {
        WavFile w = WavFile.parse(wav(16000, 1, 4, (short) 5, (short) 6, (short) 7), "exact");
        assertThat(w.samples()).containsExactly(5, 6);
    }

    @Test
    void rejectsNonWavAndNon16Bit() {
        assertThatThrownBy(() -> WavFile.parse("hello world, not a wav".getBytes(), "text.wav"))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("text.wav").hasMessageContaining("RIFF");
        byte[] w = wav(16000, 1, 2, (short) 1);
        w[34] = 8; // bits per sample
        assertThatThrownBy(() -> WavFile.parse(w, "8bit.wav")).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("8 bits");
    }

    @Test
    void pcmAudioAcceptsOnlyFormatsTheSdkSends() throws Exception {
        assertThat(PcmAudio.parseWav(wav(16000, 2, 8, (short) 1, (short) 2, (short) 3, (short) 4), "ok.wav").format())
                .isEqualTo(PcmFormat.of(16000, 2));
        assertThatThrownBy(() -> PcmAudio.parseWav(wav(22050, 1, 2, (short) 1), "tts.wav"))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("tts.wav").hasMessageContaining("22050");
    }
}
