package io.voiceagent.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The duet bench's wire timeline: what it counts as the cut agent's silence, overlap and turn gap. */
class BenchDuetTimelineTest {
    private static final long MS = 1_000_000L;

    /** Frames of {@code role} arriving every 10 ms from {@code fromMs} for {@code count} frames. */
    private static void talk(BenchDuetCommand.Timeline t, int role, long fromMs, int count) {
        for (int i = 0; i < count; i++) {
            t.frames(role, 1, (fromMs + 10L * i) * MS);
        }
    }

    @Test
    void theCutAgentsTailIsItsSilenceAndTheOtherAgentEndsTheMeasurement() {
        BenchDuetCommand.Timeline t = new BenchDuetCommand.Timeline();
        t.measuring = true;
        talk(t, 0, 1000, 20);                 // A: 1000-1200 ms
        t.interrupting(1195 * MS);            // the user cuts A
        talk(t, 0, 1200, 3);                  // A's last frames still arrive: the one at 1220 ends at 1230
        talk(t, 1, 1600, 10);                 // then B answers
        assertThat(t.silences.size()).isEqualTo(1);
        assertThat(t.silences.max()).isEqualTo(35 * MS);
        assertThat(t.overlaps).isZero();
    }

    @Test
    void aNewTurnOfTheCutAgentAfterAPauseIsNotItsTail() {
        BenchDuetCommand.Timeline t = new BenchDuetCommand.Timeline();
        t.measuring = true;
        talk(t, 0, 1000, 10);                 // A: 1000-1100 ms
        t.interrupting(1095 * MS);            // the user comes as A's last frame arrives
        talk(t, 0, 1600, 10);                 // the duet answers with A: a new turn after 500 ms
        assertThat(t.silences.size()).as("one interrupt measured").isEqualTo(1);
        assertThat(t.silences.max()).as("A's audio ended at 1100, 5 ms after the user").isEqualTo(5 * MS);
        assertThat(t.overlaps).isZero();
    }
}
