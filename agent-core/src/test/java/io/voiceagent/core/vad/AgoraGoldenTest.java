package io.voiceagent.core.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.voiceagent.core.audio.PcmAudio;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.vad.VadTestSupport.Segment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Compares with Agora's native VAD V2 on its own regression input. The data lives outside the
 * repository ({@code ../shared/test_data/agora}, next to the project root), so this test is skipped
 * when that folder is absent, e.g. in a fresh clone.
 */
class AgoraGoldenTest {
    private static final int FRAME = 320;

    @Test
    void twoSegmentsWithin200MsOfTheNativeDetector() throws Exception {
        Path dir = VadTestSupport.projectRoot().getParent().resolve("shared/test_data/agora");
        Path input = dir.resolve("vad_test_16k_1ch.pcm");
        Path expected = dir.resolve("vad_test_16k_1ch_expected.pcm");
        assumeTrue(Files.isRegularFile(input) && Files.isRegularFile(expected),
                "skipped: Agora golden data not found at " + dir + " (only present next to the project's dev checkout)");

        byte[] in = Files.readAllBytes(input);
        byte[] exp = Files.readAllBytes(expected);
        List<long[]> nat = nativeSegments(in, exp);
        assertThat(nat).as("native segments recovered from the golden output").hasSize(2);

        List<Segment> ours = VadTestSupport.segments(
                VadTestSupport.run(new PcmAudio(PcmFormat.MONO_16K, in), VadV2Config.DEFAULT));
        assertThat(ours).hasSize(2);
        for (int i = 0; i < 2; i++) {
            // Native: first and last non-silent frame it returned (its leading pre-roll is digital silence).
            assertThat(Math.abs(ours.get(i).startMs() - nat.get(i)[0])).as("start %d: ours %s, native %s",
                    i, ours.get(i), Arrays.toString(nat.get(i))).isLessThanOrEqualTo(200);
            assertThat(Math.abs(ours.get(i).stopFrameEndMs() - nat.get(i)[1])).as("stop %d: ours %s, native %s",
                    i, ours.get(i), Arrays.toString(nat.get(i))).isLessThanOrEqualTo(200);
        }
    }

    /** Maps every non-silent 10 ms frame of the native output to its input frame; groups runs. */
    static List<long[]> nativeSegments(byte[] in, byte[] exp) {
        Map<ByteBuffer, Integer> index = new HashMap<>();
        for (int f = 0; (f + 1) * FRAME <= in.length; f++) {
            index.putIfAbsent(ByteBuffer.wrap(in, f * FRAME, FRAME).slice(), f);
        }
        List<Integer> frames = new ArrayList<>();
        for (int f = 0; (f + 1) * FRAME <= exp.length; f++) {
            ByteBuffer b = ByteBuffer.wrap(exp, f * FRAME, FRAME).slice();
            boolean silent = true;
            for (int i = 0; i < FRAME && silent; i++) {
                silent = b.get(i) == 0;
            }
            Integer at = silent ? null : index.get(b);
            if (at != null) {
                frames.add(at);
            }
        }
        List<long[]> segs = new ArrayList<>();
        long start = -1;
        long last = -1;
        for (int f : frames) {
            if (start < 0 || f - last > 50) {
                if (start >= 0) {
                    segs.add(new long[] {start * 10, (last + 1) * 10});
                }
                start = f;
            }
            last = f;
        }
        if (start >= 0) {
            segs.add(new long[] {start * 10, (last + 1) * 10});
        }
        return segs;
    }
}
