package io.voiceagent.core.vad;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VadV2StateMachineTest {
    private static final VadV2Config SMALL = VadV2Config.builder().preStartRecognizeCount(2)
            .startRecognizeCount(4).stopRecognizeCount(4).activePercent(0.75).inactivePercent(0.5)
            .startVoiceProb(70).stopVoiceProb(50).build();

    /** A frame whose two bytes are its index, so concatenations can be checked. */
    private static byte[] frame(int i) {
        return new byte[] {(byte) i, (byte) (i >> 8)};
    }

    private static List<VadResult> feed(VadV2StateMachine m, int[] probs) {
        List<VadResult> out = new ArrayList<>();
        for (int i = 0; i < probs.length; i++) {
            out.add(m.step(frame(i), probs[i], -20));
        }
        return out;
    }

    @Test
    void startsWithPreRollAndStopsOnInactiveFraction() {
        VadV2StateMachine m = new VadV2StateMachine(SMALL);
        //            0  1  2  3   4   5   6   7   8   9  10  11  12
        int[] p = {0, 0, 0, 90, 90, 0, 90, 60, 40, 40, 90, 0, 0};
        List<VadResult> r = feed(m, p);
        // Frames 3..6: 3 of 4 active (>= 0.75) -> START at 6; ring holds frames 1..6 (2 pre + 4 window).
        for (int i = 0; i < 6; i++) {
            assertThat(r.get(i).state()).isEqualTo(VadState.NONE);
            assertThat(r.get(i).audio()).isEmpty();
        }
        VadResult start = r.get(6);
        assertThat(start.state()).isEqualTo(VadState.START_SPEAKING);
        assertThat(start.audio()).containsExactly(1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0);
        assertThat(start.speechStartMs()).isEqualTo(30); // first active frame of the window
        // Speaking: stay-threshold is > 50, so 60 is active, 40 inactive.
        assertThat(r.get(7).state()).isEqualTo(VadState.SPEAKING);
        assertThat(r.get(7).active()).isTrue();
        assertThat(r.get(8).active()).isFalse();
        assertThat(r.get(9).state()).isEqualTo(VadState.SPEAKING); // only 3 frames in stop window
        // Frame 10 fills the stop window 7(a) 8(i) 9(i) 10(a): 2 of 4 inactive = 0.5 >= 0.5 -> STOP.
        assertThat(r.get(10).state()).isEqualTo(VadState.STOP_SPEAKING);
        assertThat(r.get(10).speechEndMs()).isEqualTo(110);
        assertThat(r.get(11).state()).isEqualTo(VadState.NONE);
    }

    @Test
    void stopFiresAtExactInactiveFractionAndReportsLastActiveFrame() {
        VadV2StateMachine m = new VadV2StateMachine(SMALL);
        int[] p = {90, 90, 90, 90, 40, 40, 90, 40};
        List<VadResult> r = feed(m, p);
        assertThat(r.get(3).state()).isEqualTo(VadState.START_SPEAKING);
        assertThat(r.get(3).audio()).hasSize(8); // no pre-roll available: just the 4 window frames
        assertThat(r.get(4).state()).isEqualTo(VadState.SPEAKING);
        assertThat(r.get(5).state()).isEqualTo(VadState.SPEAKING);
        assertThat(r.get(6).state()).isEqualTo(VadState.SPEAKING);
        // Stop window 4..7 = i, i, a, i -> 3/4 inactive.
        VadResult stop = r.get(7);
        assertThat(stop.state()).isEqualTo(VadState.STOP_SPEAKING);
        assertThat(stop.audio()).containsExactly(7, 0);
        assertThat(stop.speechEndMs()).isEqualTo(70); // frame 6 was the last active one
        assertThat(m.isSpeaking()).isFalse();
    }

    @Test
    void afterStopANewStartNeedsFreshFramesAndNeverRepeatsBytes() {
        VadV2StateMachine m = new VadV2StateMachine(SMALL);
        List<VadResult> r = feed(m, new int[] {90, 90, 90, 90, 0, 0, 0, 0, 90, 90, 90, 90, 90, 90});
        assertThat(r.get(3).state()).isEqualTo(VadState.START_SPEAKING);
        assertThat(r.get(7).state()).isEqualTo(VadState.STOP_SPEAKING);
        // Frames 8..11 are 4 fresh active frames: start at 11, with no pre-roll from before the stop.
        assertThat(r.get(10).state()).isEqualTo(VadState.NONE);
        assertThat(r.get(11).state()).isEqualTo(VadState.START_SPEAKING);
        assertThat(r.get(11).audio()).containsExactly(8, 0, 9, 0, 10, 0, 11, 0);
        long totalBytes = r.stream().mapToLong(x -> x.audio().length).sum();
        assertThat(totalBytes).isEqualTo(2L * (4 + 4 + 4 + 2)); // every emitted frame exactly once
    }

    @Test
    void rmsGateBlocksQuietFramesEvenWithHighProbability() {
        VadV2StateMachine m = new VadV2StateMachine(SMALL);
        for (int i = 0; i < 20; i++) {
            assertThat(m.step(frame(i), 100, -60).state()).isEqualTo(VadState.NONE);
        }
        assertThat(m.isActive(100, -50)).isTrue(); // start threshold is inclusive
        assertThat(m.isActive(69, -10)).isFalse();
    }

    @Test
    void preRollIsCappedAtPrePlusStartFrames() {
        VadV2StateMachine m = new VadV2StateMachine(SMALL);
        List<VadResult> r = feed(m, new int[] {0, 0, 0, 0, 0, 0, 0, 0, 90, 90, 90});
        // 2 pre + 4 window = 6 frames: 5..10
        assertThat(r.get(10).state()).isEqualTo(VadState.START_SPEAKING);
        assertThat(r.get(10).audio()).containsExactly(5, 0, 6, 0, 7, 0, 8, 0, 9, 0, 10, 0);
        assertThat(r.get(10).speechStartMs()).isEqualTo(80);
    }
}
