package io.voiceagent.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.stt.Transcript;
import io.voiceagent.core.vad.VadOptions;
import io.voiceagent.core.vad.VadV2Config;
import io.voiceagent.testing.FakeClock;
import io.voiceagent.testing.LoudnessModel;
import io.voiceagent.testing.PlayoutReceiver;
import io.voiceagent.testing.RecordingSessionListener;
import io.voiceagent.testing.ScriptedAudioLlm;
import io.voiceagent.testing.ScriptedStt;
import io.voiceagent.testing.TestPcm;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interrupt policy on one fake clock: the minimum-duration gate, false-interruption recovery
 * (pause, then resume exactly where the user stopped hearing, or cut when words confirm), what the
 * user heard, and minInterruptWords. The VAD runs on a loudness stand-in for Silero, so a synthetic
 * burst of N ms is speech of N ms to the frame; the agent's answer is a position-dependent pattern,
 * so the remote side's {@link PlayoutReceiver} shows any sample lost, repeated or played after a cut.
 */
class AgentSessionInterruptPolicyTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;
    private static final int ANSWER_MS = 5000;

    private FakeClock clock;
    private PlayoutReceiver remote;
    private InMemoryTransport transport;
    private RecordingSessionListener events;
    private ScriptedAudioLlm llm;

    @BeforeEach
    void setUp() {
        clock = new FakeClock();
        remote = new PlayoutReceiver(clock.ticker());
        transport = clock.transport("policy", remote);
        events = new RecordingSessionListener();
        // The answer: 5 s of pattern PCM streamed in 100 ms chunks, 20 ms apart (ahead of real time).
        llm = new ScriptedAudioLlm(clock.scheduler(), Duration.ofMillis(10), Duration.ofMillis(20), "One two three four five six seven eight nine ten.",
                TestPcm.pattern(0, (int) F.bytesFor(ANSWER_MS)), (int) F.bytesFor(100));
    }

    /** VAD V2 that starts after 8 of 10 frames are loud and stops after 30 quiet frames, on loudness. */
    private static VadOptions loudnessVad() {
        VadV2Config c = VadV2Config.builder().startRecognizeCount(10).stopRecognizeCount(30).build();
        return new VadOptions(c, Optional.empty(), new LoudnessModel(-40), false, Optional.empty());
    }

    private AgentSession.Builder builder(SpeechToText stt) {
        return AgentSession.builder().audioLlm(llm).stt(stt).vad(loudnessVad()).listener(events);
    }

    /** Starts the answer with a typed turn and lets {@code ms} of it play. */
    private void answerPlaysFor(AgentSession session, int ms) {
        session.sendText("tell me something");
        clock.advance(Duration.ofMillis(ms));
        assertThat(events.events()).contains("agent-speech 1");
    }

    private void userMakesASound(int ms) {
        clock.play(transport, "caller", TestPcm.concat(TestPcm.noise(ms, -20, ms), TestPcm.silence(600)), F);
    }

    /** What the user heard is the answer from its start, without a gap or a repeat. */
    private void assertHeardIsAContiguousPrefix() {
        byte[] heard = remote.heard();
        assertThat(heard).isEqualTo(TestPcm.pattern(0, heard.length));
    }

    @Test
    void aSoundShorterThanTheMinimumPausesTheAnswerOnlyBrieflyAndTakesNoTurn() {
        ScriptedStt stt = new ScriptedStt(clock.scheduler(), Duration.ofMillis(50), "not used");
        AgentSession session = builder(stt).build().start(transport);
        answerPlaysFor(session, 1000);

        userMakesASound(200); // the VAD starts after 80 ms, the sound is over at 200 ms < 300 ms
        clock.advance(Duration.ofSeconds(6));

        assertThat(events.events()).containsExactly("round-started 1", "agent-speech 1", "speech-started caller",
                "paused 1", "speech-ended caller", "false-interruption 1",
                "answer 1 'One two three four five six seven eight nine ten.'", "round-ended 1 COMPLETED");
        assertThat(stt.utteranceBytes()).as("not sent to speech recognition").isEmpty();
        assertThat(remote.heard()).hasSize((int) F.bytesFor(ANSWER_MS));
        assertHeardIsAContiguousPrefix();
        clock.close(session);
    }

    @Test
    void withoutRecoveryTheMinimumGatesTheCut() {
        AgentSession session = builder(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50), "words here"))
                .falseInterruptionTimeout(Duration.ZERO).build().start(transport);
        answerPlaysFor(session, 1000);
        userMakesASound(200);
        clock.advance(Duration.ofSeconds(2));
        assertThat(events.events()).containsExactly("round-started 1", "agent-speech 1", "speech-started caller",
                "speech-ended caller");
        int heardBefore = remote.heard().length;
        userMakesASound(600);
        long soundStart = clock.nanoTime();
        while (!events.events().contains("interrupted 1 VOICE_ACTIVATION")) {
            clock.advance(Duration.ofMillis(10));
        }
        // Cut when the sound has lasted 300 ms (the first voiced frame is the sound's first frame); the
        // VAD decides a frame once its Silero window is complete, at most one 32 ms window later.
        assertThat(Duration.ofNanos(clock.nanoTime() - soundStart)).isBetween(Duration.ofMillis(300),
                Duration.ofMillis(332));
        assertThat(remote.heard().length).isGreaterThan(heardBefore);
        clock.close(session);
    }

    @Test
    void withoutSpeechRecognitionTheDurationAloneConfirmsAPausedBargeIn() {
        AgentSession session = AgentSession.builder().audioLlm(llm).vad(loudnessVad()).listener(events).build()
                .start(transport);
        answerPlaysFor(session, 1000);
        userMakesASound(600);
        long soundStart = clock.nanoTime();
        while (!events.events().contains("paused 1")) {
            clock.advance(Duration.ofMillis(10));
        }
        long pausedAfter = clock.nanoTime() - soundStart;
        int heardAtPause = remote.heard().length;
        while (!events.events().contains("interrupted 1 VOICE_ACTIVATION")) {
            clock.advance(Duration.ofMillis(10));
        }
        assertThat(Duration.ofNanos(pausedAfter)).as("paused at the VAD's start").isLessThan(Duration.ofMillis(150));
        assertThat(Duration.ofNanos(clock.nanoTime() - soundStart)).as("cut at 300 ms of speech")
                .isBetween(Duration.ofMillis(300), Duration.ofMillis(332));
        assertThat(remote.heard().length).as("silence from the pause on").isEqualTo(heardAtPause);
        clock.close(session);
    }

    @Test
    void withTheMinimumAtZeroTheSameSoundCutsTheAnswer() {
        AgentSession session = builder(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50), ""))
                .minInterruptDuration(Duration.ZERO).falseInterruptionTimeout(Duration.ZERO).build().start(transport);
        answerPlaysFor(session, 1000);
        userMakesASound(200);
        clock.advance(Duration.ofSeconds(6));
        assertThat(events.events()).containsSubsequence("speech-started caller", "interrupted 1 VOICE_ACTIVATION",
                "round-ended 1 INTERRUPTED VOICE_ACTIVATION");
        assertThat(remote.heard().length).isLessThan((int) F.bytesFor(2000));
        assertHeardIsAContiguousPrefix();
        clock.close(session);
    }

    @Test
    void aFalseInterruptionPausesThenResumesExactlyWhereTheUserStoppedHearing() {
        ScriptedStt stt = new ScriptedStt(clock.scheduler(), Duration.ofMillis(50), ""); // a cough: no words
        AgentSession session = builder(stt).build().start(transport);
        answerPlaysFor(session, 1000);

        userMakesASound(600);
        clock.advance(Duration.ofMillis(400)); // 300 ms of "speech" while the agent talks: paused
        assertThat(events.events()).endsWith("speech-started caller", "paused 1");
        int heardAtPause = remote.heard().length;
        clock.advance(Duration.ofMillis(190)); // the sound goes on until 600 ms
        assertThat(events.events()).endsWith("paused 1");
        assertThat(remote.heard().length).as("silence while paused").isEqualTo(heardAtPause);
        clock.advance(Duration.ofMillis(800)); // the VAD stops, speech recognition answers 
        assertThat(events.events()).containsSubsequence("paused 1", "speech-ended caller", "transcript caller ''",
                "false-interruption 1");
        clock.advance(Duration.ofSeconds(6));

        assertThat(events.events()).endsWith("answer 1 'One two three four five six seven eight nine ten.'",
                "round-ended 1 COMPLETED");
        // Every sample of the answer reached the user exactly once, in order, across the pause.
        assertThat(remote.heard()).hasSize((int) F.bytesFor(ANSWER_MS));
        assertHeardIsAContiguousPrefix();
        assertThat(remote.discardedFrames()).as("the lead the pause took back from the remote buffer").isPositive();
        RoundResult r = events.result(1);
        assertThat(r.played()).isEqualTo(Duration.ofMillis(ANSWER_MS));
        assertThat(r.heard()).isEqualTo(r.answer());
        assertThat(session.history()).containsExactly(ChatMessage.user("tell me something"),
                ChatMessage.assistant("One two three four five six seven eight nine ten."));
        clock.close(session);
    }

    @Test
    void withoutATranscriptInTimeTheAnswerResumesAfterTheTimeout() {
        SpeechToText never = (pcm, format) -> new CompletableFuture<>(); // a recognizer that never answers
        AgentSession session = builder(never).falseInterruptionTimeout(Duration.ofMillis(1500)).build()
                .start(transport);
        answerPlaysFor(session, 1000);
        userMakesASound(600);
        clock.advance(Duration.ofMillis(400));
        assertThat(events.events()).endsWith("paused 1");
        while (!events.events().contains("speech-ended caller")) {
            clock.advance(Duration.ofMillis(10));
        }
        long speechEnded = clock.nanoTime();
        clock.advance(Duration.ofMillis(1490));
        assertThat(events.events()).as("1.49 s after the end of speech").endsWith("speech-ended caller");
        clock.advance(Duration.ofMillis(10));
        assertThat(events.events()).as("1.5 s after").endsWith("speech-ended caller", "false-interruption 1");
        assertThat(clock.nanoTime() - speechEnded).isEqualTo(Duration.ofMillis(1500).toNanos());
        clock.advance(Duration.ofSeconds(6));
        assertThat(events.events()).endsWith("round-ended 1 COMPLETED");
        assertHeardIsAContiguousPrefix();
        assertThat(remote.heard()).hasSize((int) F.bytesFor(ANSWER_MS));
        clock.close(session);
    }

    @Test
    void wordsConfirmTheBargeInAndTheHistoryKeepsWhatWasHeard() {
        ScriptedStt stt = new ScriptedStt(clock.scheduler(), Duration.ofMillis(50), "wait a second");
        AgentSession session = builder(stt).build().start(transport);
        answerPlaysFor(session, 1000);
        userMakesASound(600);
        clock.advance(Duration.ofMillis(400));
        assertThat(events.events()).endsWith("paused 1");
        int heardAtPause = remote.heard().length;
        clock.advance(Duration.ofSeconds(3));

        assertThat(events.events()).containsSubsequence("paused 1", "speech-ended caller",
                "transcript caller 'wait a second'", "interrupted 1 VOICE_ACTIVATION",
                "round-ended 1 INTERRUPTED VOICE_ACTIVATION", "round-started 2");
        // Round 1 up to the pause, then round 2 (the same answer, from its start): not a sample of round 1
        // after the pause (its continuation would be the pattern from heardAtPause on).
        byte[] heard = remote.heard();
        assertThat(Arrays.copyOf(heard, heardAtPause)).isEqualTo(TestPcm.pattern(0, heardAtPause));
        byte[] after = Arrays.copyOfRange(heard, heardAtPause, heard.length);
        assertThat(after.length).as("round 2 is playing").isGreaterThan((int) F.bytesFor(1000));
        assertThat(after).isEqualTo(TestPcm.pattern(0, after.length));
        // What the user heard of round 1 is what the pause left: played = heard at the pause, and the
        // history has the words of that share of the answer (10 words over 5 s).
        RoundResult r1 = events.result(1);
        assertThat(r1.played()).isEqualTo(Duration.ofMillis(F.durationMillis(heardAtPause)));
        long words = Math.round(10 * F.durationMillis(heardAtPause) / (double) ANSWER_MS);
        assertThat(r1.heard().split(" ")).hasSize((int) words);
        assertThat(r1.answer()).startsWith(r1.heard());
        assertThat(session.history().get(1)).isEqualTo(ChatMessage.assistant(r1.heard()));
        assertThat(session.history().get(2)).isEqualTo(ChatMessage.user("wait a second"));
        clock.close(session);
    }

    @Test
    void asrActivationNeedsTheMinimumNumberOfWords() {
        ScriptedStt stt = new ScriptedStt(clock.scheduler(), Duration.ofMillis(50), "yeah", "no stop");
        AgentSession session = builder(stt).interruptMode(InterruptMode.ASR_ACTIVATION).minInterruptWords(2).build()
                .start(transport);
        answerPlaysFor(session, 500);
        userMakesASound(600);
        clock.advance(Duration.ofMillis(1500));
        assertThat(events.events()).containsSubsequence("speech-ended caller", "transcript caller 'yeah'");
        assertThat(events.events("interrupted")).as("one word is a backchannel").isEmpty();
        userMakesASound(600);
        clock.advance(Duration.ofMillis(1500));
        assertThat(events.events()).containsSubsequence("transcript caller 'no stop'", "interrupted 1 ASR_ACTIVATION");
        clock.close(session);
    }

    @Test
    void wordsAreCountedPerScript() {
        assertThat(AgentSession.countWords("no, stop!")).isEqualTo(2);
        assertThat(AgentSession.countWords("don't")).isEqualTo(1);
        assertThat(AgentSession.countWords("  ... ")).isZero();
        assertThat(AgentSession.countWords("停一下")).isEqualTo(3);
        assertThat(AgentSession.countWords("ok 好的")).isEqualTo(3);
    }
}
