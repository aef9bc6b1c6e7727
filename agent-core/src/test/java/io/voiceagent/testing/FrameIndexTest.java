package io.voiceagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameIndexTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;

    @Test
    void findsEachDistinctFrameAndLeavesRepeatedOnesOut() {
        int fb = F.bytesPerFrame();
        byte[] answer = new byte[5 * fb];          // frames 0 and 4 stay silent (equal), 1-3 differ
        for (int i = fb; i < 4 * fb; i++) {
            answer[i] = (byte) (i * 7 + i / fb);
        }
        FrameIndex index = new FrameIndex(answer, F);

        assertThat(index.size()).isEqualTo(3);
        for (int k = 1; k <= 3; k++) {
            assertThat(index.indexOf(Arrays.copyOfRange(answer, k * fb, (k + 1) * fb))).as("frame %d", k).isEqualTo(k);
        }
        assertThat(index.indexOf(new byte[fb])).as("silence occurs twice: ambiguous").isEqualTo(-1);
        assertThat(index.indexOf(Arrays.copyOfRange(answer, fb, 2 * fb - 2))).as("a short frame").isEqualTo(-1);
        byte[] other = Arrays.copyOfRange(answer, fb, 2 * fb);
        other[17] ^= 1;
        assertThat(index.indexOf(other)).as("one bit changed").isEqualTo(-1);
    }
}
