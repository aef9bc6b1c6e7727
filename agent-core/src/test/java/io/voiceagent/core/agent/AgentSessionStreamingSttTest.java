package io.voiceagent.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.testing.FakeClock;
import io.voiceagent.testing.Fixtures;
import io.voiceagent.testing.RecordingSessionListener;
import io.voiceagent.testing.ScriptedChat;
import io.voiceagent.testing.ScriptedStreamingStt;
import io.voiceagent.testing.ScriptedStreamingStt.Partial;
import io.voiceagent.testing.ScriptedStreamingStt.Utterance;
import io.voiceagent.testing.ScriptedStt;
import io.voiceagent.testing.ScriptedTts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streaming speech recognition in a session (fake clock, real Silero VAD on recorded speech): the
 * recognizer is fed during the user's speech, partials become events, ASR activation cuts the agent
 * off at the first partial with words, and the final transcript takes the usual path.
 */
class AgentSessionStreamingSttTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;

    private FakeClock clock;
    private AgentSessionTest.Heard heard;
    private InMemoryTransport transport;
    private RecordingSessionListener events;

    @BeforeEach
    void setUp() {
        clock = new FakeClock();
        heard = new AgentSessionTest.Heard(clock);
        transport = clock.transport("s", heard);
        events = new RecordingSessionListener();
    }

    private ScriptedChat chat() {
        return new ScriptedChat(m -> {
            String n = m.stream().filter(x -> x.role().equals("user")).count() == 1 ? "one" : "two";
            return List.of("Answer " + n + ".", " Still " + n + " with more words to say.");
        }, clock.scheduler(), Duration.ofMillis(100), Duration.ofMillis(20));
    }

    /** Every text is 3 s of audio tagged 1 for round one's texts ("one"), 2 otherwise. */
    private ScriptedTts tts() {
        return new ScriptedTts(clock.scheduler(), Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(100),
                t -> Duration.ofSeconds(3), t -> t.contains("one") ? 1 : 2);
    }

    @Test
    void partialsArriveWhileTheUserSpeaksAndTheFinalTranscriptStartsTheRound() {
        ScriptedStreamingStt stt = new ScriptedStreamingStt(clock.scheduler(), Duration.ofMillis(80),
                Utterance.of("what is the weather", Partial.at(200, "what"), Partial.at(500, "what is the")));
        AgentSession session = AgentSession.builder().stt(stt).llm(chat()).tts(tts()).listener(events).build()
                .start(transport);

        clock.play(transport, "caller", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofSeconds(3));

        assertThat(events.events()).startsWith("speech-started caller", "partial caller 'what'",
                "partial caller 'what is the'", "speech-ended caller", "transcript caller 'what is the weather'",
                "round-started 1");
        assertThat(stt.streams()).hasSize(1);
        assertThat(stt.streams().get(0).finished()).isTrue();
        assertThat(stt.streams().get(0).cancelled()).isFalse();

        // The stream was fed exactly the utterance the whole-utterance path hands over.
        FakeClock other = new FakeClock();
        InMemoryTransport t2 = other.transport("whole", new AgentSessionTest.Heard(other));
        ScriptedStt whole = new ScriptedStt(other.scheduler(), Duration.ofMillis(80), "what is the weather");
        AgentSession s2 = AgentSession.builder().stt(whole).llm(ScriptedChat.replying(other.scheduler(),
                Duration.ofMillis(100), Duration.ofMillis(20), "Hi.")).tts(tts()).build().start(t2);
        other.play(t2, "caller", Fixtures.firstUtterance(), F);
        other.advance(Duration.ofSeconds(3));
        assertThat(whole.utteranceBytes()).hasSize(1);
        assertThat(stt.streams().get(0).bytes()).isEqualTo(whole.utteranceBytes().get(0)).isPositive();
        other.close(s2);
        clock.close(session);
    }

    @Test
    void asrActivationInterruptsAtTheFirstPartialWithWordsBeforeTheSpeechEnds() {
        ScriptedStreamingStt stt = new ScriptedStreamingStt(clock.scheduler(), Duration.ofMillis(80),
                Utterance.of("what is the weather"),
                Utterance.of("stop please", Partial.at(100, "..."), Partial.at(300, "stop"),
                        Partial.at(600, "stop please")));
        AtomicInteger heardAtInterrupt = new AtomicInteger(-1);
        AgentSession session = AgentSession.builder().stt(stt).llm(chat()).tts(tts()).listener(events)
                .listener(new AgentSessionListener() {
                    @Override
                    public void interrupted(long roundId, InterruptTrigger trigger) {
                        heardAtInterrupt.set(heard.frames());
                    }
                })
                .interruptMode(InterruptMode.ASR_ACTIVATION).minInterruptDuration(Duration.ZERO).build()
                .start(transport);

        clock.play(transport, "caller", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofMillis(2500));
        assertThat(session.isAnswering()).isTrue();
        assertThat(heard.count(1)).isPositive();

        clock.play(transport, "caller", Fixtures.secondUtterance(), F);
        clock.advance(Duration.ofSeconds(8));

        List<String> ev = events.events();
        int start2 = ev.lastIndexOf("speech-started caller");
        // "..." has no letters: it is reported but interrupts nothing; "stop" cuts round 1 at once,
        // while the user is still speaking (before the VAD's end of speech).
        // (The answer's history entry is what the user heard of it: cut where its audio stopped.)
        List<String> after = ev.subList(start2, ev.size()).stream()
                .map(x -> x.startsWith("answer 1 'Answer") ? "answer 1 (heard part)" : x).toList();
        assertThat(after).startsWith("speech-started caller", "partial caller '...'",
                "partial caller 'stop'", "interrupted 1 ASR_ACTIVATION", "answer 1 (heard part)",
                "round-ended 1 INTERRUPTED ASR_ACTIVATION",
                "partial caller 'stop please'", "speech-ended caller", "transcript caller 'stop please'",
                "round-started 2");
        assertThat(heard.tagsFrom(heardAtInterrupt.get())).doesNotContain(1).contains(2);
        clock.close(session);
    }

    @Test
    void aPausedVoiceBargeInIsConfirmedByTheFirstPartialWithWordsBeforeTheSpeechEnds() {
        ScriptedStreamingStt stt = new ScriptedStreamingStt(clock.scheduler(), Duration.ofMillis(80),
                Utterance.of("what is the weather"),
                Utterance.of("stop please", Partial.at(100, "..."), Partial.at(600, "stop please")));
        AgentSession session = AgentSession.builder().stt(stt).llm(chat()).tts(tts()).listener(events).build()
                .start(transport);
        clock.play(transport, "caller", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofMillis(2500));
        assertThat(session.isAnswering()).isTrue();
        clock.play(transport, "caller", Fixtures.secondUtterance(), F);
        clock.advance(Duration.ofSeconds(8));
        List<String> ev = events.events();
        List<String> after = ev.subList(ev.lastIndexOf("speech-started caller"), ev.size()).stream()
                .map(x -> x.startsWith("answer 1 'Answer") ? "answer 1 (heard part)" : x).toList();
        assertThat(after).startsWith("speech-started caller", "paused 1", "partial caller '...'",
                "partial caller 'stop please'", "interrupted 1 VOICE_ACTIVATION", "answer 1 (heard part)",
                "round-ended 1 INTERRUPTED VOICE_ACTIVATION", "speech-ended caller");
        clock.close(session);
    }

    @Test
    void aUserWhoLeavesMidUtteranceCancelsTheStreamAndTakesNoTurn() {
        ScriptedStreamingStt stt = new ScriptedStreamingStt(clock.scheduler(), Duration.ofMillis(80),
                Utterance.of("never heard", Partial.at(200, "never")));
        AgentSession session = AgentSession.builder().stt(stt).llm(chat()).tts(tts()).listener(events).build()
                .start(transport);

        clock.play(transport, "caller", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofMillis(600));
        assertThat(events.events()).containsExactly("speech-started caller", "partial caller 'never'");
        transport.userLeft("caller");
        clock.advance(Duration.ofMillis(1));
        clock.advance(Duration.ofSeconds(3)); // the rest of the frames start a fresh turn state
        assertThat(stt.streams().get(0).cancelled()).isTrue();
        assertThat(stt.streams().get(0).finished()).isFalse();
        assertThat(events.events()).doesNotContain("transcript caller 'never heard'");
        assertThat(events.events("round-")).isEmpty();
        clock.close(session);
    }
}
