package io.voiceagent.core.turn;

import io.voiceagent.testing.FakeTicker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundManagerTest {

    /** Queue-like output: tracks bytes pending per write and clears. */
    static final class QueueOutput implements RoundAudioOutput {
        final List<String> calls = new ArrayList<>();
        long pending;

        @Override
        public void write(long roundId, byte[] pcm, int offset, int length) {
            calls.add("write " + roundId + " " + length);
            pending += length;
        }

        @Override
        public void endSegment(long roundId) {
            calls.add("endSegment " + roundId);
        }

        @Override
        public long clear() {
            calls.add("clear");
            long p = pending;
            pending = 0;
            return p;
        }
    }

    final FakeTicker ticker = new FakeTicker();
    final QueueOutput out = new QueueOutput();
    final RecordingListener listener = new RecordingListener();

    RoundManager manager(InterruptMode mode) {
        return new RoundManager(RoundManagerConfig.builder().interruptMode(mode).build(), out, listener, ticker);
    }

    @Test
    void idsIncreaseFromOneAndEventsArePaired() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        Round r1 = m.startRound();
        assertThat(r1.id()).isEqualTo(1);
        assertThat(r1.complete()).isTrue();
        assertThat(r1.complete()).isFalse();
        Round r2 = m.startRound();
        assertThat(r2.id()).isEqualTo(2);
        assertThat(m.currentRound()).isSameAs(r2);
        assertThat(listener.events()).containsExactly("started 1", "ended 1 COMPLETED", "started 2");
    }

    @Test
    void voiceActivationCancelsEverythingTheRoundOwnsOnceAndGatesLaterWrites() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        Round r = m.startRound();
        AtomicInteger llmCancels = new AtomicInteger();
        AtomicInteger ttsCancels = new AtomicInteger();
        r.own(llmCancels::incrementAndGet);
        r.own(ttsCancels::incrementAndGet);
        assertThat(r.writeAudio(new byte[320])).isTrue();

        assertThat(m.onSpeechStarted()).isTrue();

        assertThat(llmCancels).hasValue(1);
        assertThat(ttsCancels).hasValue(1);
        assertThat(out.calls).containsExactly("write 1 320", "clear");
        assertThat(r.isCancelled()).isTrue();
        assertThat(r.writeAudio(new byte[320])).isFalse();
        assertThat(r.endAudioSegment()).isFalse();
        assertThat(r.complete()).isFalse();
        assertThat(out.calls).containsExactly("write 1 320", "clear");

        // Idempotent: from the manager and from the round, nothing is cancelled or cleared twice.
        assertThat(m.onSpeechStarted()).isFalse();
        assertThat(r.cancel()).isFalse();
        assertThat(m.interrupt()).isFalse();
        assertThat(llmCancels).hasValue(1);
        assertThat(out.calls).containsExactly("write 1 320", "clear");
        assertThat(listener.events()).containsExactly("started 1", "interrupted 1 VOICE_ACTIVATION",
                "ended 1 INTERRUPTED VOICE_ACTIVATION");
        // Owning after the interrupt cancels at once.
        AtomicInteger late = new AtomicInteger();
        assertThat(r.own(late::incrementAndGet)).isFalse();
        assertThat(late).hasValue(1);
    }

    @Test
    void asrActivationNeedsTextAndNeverInterruptsARoundStartedAfterTheSpeech() {
        RoundManager m = manager(InterruptMode.ASR_ACTIVATION);
        Round r1 = m.startRound();
        r1.writeAudio(new byte[100]);
        assertThat(m.onSpeechStarted()).isFalse();
        assertThat(r1.isOpen()).isTrue();
        assertThat(m.onRecognizedText(" ... ")).isFalse(); // punctuation-only partial
        assertThat(r1.isOpen()).isTrue();
        assertThat(m.onRecognizedText("嗯")).isTrue();
        assertThat(r1.isCancelled()).isTrue();

        Round r2 = m.startRound();
        r2.writeAudio(new byte[100]);
        // The final transcript of the same speech arrives after round 2 started: no effect.
        assertThat(m.onRecognizedText("hello there")).isFalse();
        assertThat(r2.isOpen()).isTrue();
        assertThat(listener.events()).containsExactly("started 1", "interrupted 1 ASR_ACTIVATION",
                "ended 1 INTERRUPTED ASR_ACTIVATION", "started 2");
    }

    @Test
    void voiceModeIgnoresRecognizedText() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        Round r = m.startRound();
        assertThat(m.onRecognizedText("stop talking")).isFalse();
        assertThat(r.isOpen()).isTrue();
    }

    @Test
    void latencyFiguresAreMeasuredFromEndOfSpeechAndReportedWithRoundEnded() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        long speechEnd = ticker.nanoTime();
        ticker.advance(Duration.ofMillis(20));
        Round r = m.startRound(speechEnd);
        ticker.advance(Duration.ofMillis(80));
        r.markFirstLlmToken();
        ticker.advance(Duration.ofMillis(50));
        r.markFirstLlmToken(); // ignored
        r.writeAudio(new byte[640]);
        ticker.advance(Duration.ofMillis(10));
        r.writeAudio(new byte[640]);
        assertThat(r.complete()).isTrue();
        // Completed but its first frame has not been sent: not ended yet.
        assertThat(r.isEnded()).isFalse();
        assertThat(listener.events()).containsExactly("started 1");
        ticker.advance(Duration.ofMillis(30));
        m.audioFramesSent(ticker.nanoTime());
        m.audioFramesSent(ticker.nanoTime() + 1_000_000); // later frames do not change the figure
        assertThat(listener.events()).containsExactly("started 1", "ended 1 COMPLETED");
        RoundLatency l = listener.results.get(0).latency();
        assertThat(l.toFirstLlmToken()).isEqualTo(Duration.ofMillis(100));
        assertThat(l.toFirstAudio()).isEqualTo(Duration.ofMillis(150));
        assertThat(l.toFirstFrameSent()).isEqualTo(Duration.ofMillis(190));
    }

    @Test
    void interruptedRoundReportsOnlyTheFiguresItReached() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        Round r = m.startRound();
        ticker.advance(Duration.ofMillis(70));
        r.markFirstLlmToken();
        m.interrupt();
        RoundLatency l = listener.results.get(0).latency();
        assertThat(l.firstLlmToken()).contains(Duration.ofMillis(70));
        assertThat(l.firstAudio()).isEmpty();
        assertThat(l.firstFrameSent()).isEmpty();
    }

    @Test
    void newRoundInterruptsAnOpenRoundButLetsACompletedRoundsAudioPlay() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        Round r1 = m.startRound();
        AtomicInteger cancels = new AtomicInteger();
        r1.own(cancels::incrementAndGet);
        r1.writeAudio(new byte[10]);
        Round r2 = m.startRound();
        assertThat(cancels).hasValue(1);
        assertThat(out.calls).containsExactly("write 1 10", "clear");
        r2.writeAudio(new byte[20]);
        r2.endAudioSegment();
        r2.complete(); // waits for its first frame
        Round r3 = m.startRound();
        assertThat(out.calls).containsExactly("write 1 10", "clear", "write 2 20", "endSegment 2");
        assertThat(listener.events()).containsExactly("started 1", "interrupted 1 NEW_ROUND",
                "ended 1 INTERRUPTED NEW_ROUND", "started 2", "ended 2 COMPLETED", "started 3");
        assertThat(r3.id()).isEqualTo(3);
    }

    @Test
    void interruptDropsTheQueuedAudioOfACompletedRound() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        Round r = m.startRound();
        r.writeAudio(new byte[960]);
        m.audioFramesSent(ticker.nanoTime());
        r.complete();
        assertThat(r.isEnded()).isTrue();
        assertThat(m.onSpeechStarted()).isTrue();
        assertThat(m.onSpeechStarted()).isFalse(); // nothing left to drop
        assertThat(listener.events()).containsExactly("started 1", "ended 1 COMPLETED", "interrupted 1 VOICE_ACTIVATION");
        assertThat(listener.results.get(0).latency().firstFrameSent()).contains(Duration.ZERO);
    }

    @Test
    void cancellingAnOldRoundDoesNotTouchTheNewerRoundsAudio() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        Round r1 = m.startRound();
        r1.complete();
        Round r2 = m.startRound();
        r2.writeAudio(new byte[5]);
        assertThat(r1.cancel()).isFalse();
        assertThat(out.calls).containsExactly("write 2 5");
        assertThat(r2.isOpen()).isTrue();
    }

    @Test
    void failEndsTheRoundCancelsItsWorkButKeepsQueuedAudio() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        Round r = m.startRound();
        AtomicInteger cancels = new AtomicInteger();
        r.own(cancels::incrementAndGet);
        r.writeAudio(new byte[4]);
        IOException cause = new IOException("LLM 500");
        assertThat(r.fail(cause)).isTrue();
        assertThat(r.fail(cause)).isFalse();
        assertThat(cancels).hasValue(1);
        assertThat(out.calls).containsExactly("write 1 4");
        assertThat(r.writeAudio(new byte[4])).isFalse();
        assertThat(listener.results.get(0).reason()).isEqualTo(RoundEndReason.FAILED);
        assertThat(listener.results.get(0).failure()).isSameAs(cause);
    }

    @Test
    void completedRoundReleasesItsWorkWithoutCancellingIt() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        Round r = m.startRound();
        AtomicInteger cancels = new AtomicInteger();
        r.own(cancels::incrementAndGet);
        r.complete();
        m.interrupt();
        assertThat(cancels).hasValue(0);
    }

    @Test
    void closeInterruptsAndRejectsNewRounds() {
        RoundManager m = manager(InterruptMode.VOICE_ACTIVATION);
        Round r = m.startRound();
        m.close();
        m.close();
        assertThat(r.isCancelled()).isTrue();
        assertThat(listener.results.get(0).trigger()).isEqualTo(InterruptTrigger.CLOSE);
        assertThatThrownBy(m::startRound).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheManagerAndListenersMayReenter() {
        List<String> seen = new ArrayList<>();
        RoundManager[] ref = new RoundManager[1];
        RoundListener l = new RoundListener() {
            @Override
            public void roundStarted(long roundId) {
                seen.add("started " + roundId);
                if (roundId == 1) {
                    ref[0].interrupt(); // re-entrant call from a listener
                }
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void roundEnded(RoundResult result) {
                seen.add("ended " + result.roundId() + " " + result.reason());
            }
        };
        RoundManager m = new RoundManager(RoundManagerConfig.defaults(), out, l, ticker);
        ref[0] = m;
        Round r = m.startRound();
        assertThat(r.isCancelled()).isTrue();
        assertThat(m.startRound().id()).isEqualTo(2);
        assertThat(seen).containsExactly("started 1", "ended 1 INTERRUPTED", "started 2");
    }

    @Test
    void configNamesBadParameter() {
        assertThatThrownBy(() -> RoundManagerConfig.builder().minInterruptLetters(0).build())
                .hasMessageContaining("minInterruptLetters").hasMessageContaining("0");
        assertThatThrownBy(() -> RoundManagerConfig.builder().interruptMode(null).build())
                .hasMessageContaining("interruptMode");
    }
}
