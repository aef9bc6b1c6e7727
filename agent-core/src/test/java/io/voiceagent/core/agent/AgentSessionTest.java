package io.voiceagent.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.pacing.PcmSink;
import io.voiceagent.testing.FakeClock;
import io.voiceagent.testing.Fixtures;
import io.voiceagent.testing.RecordingSessionListener;
import io.voiceagent.testing.ScriptedAudioLlm;
import io.voiceagent.testing.ScriptedChat;
import io.voiceagent.testing.ScriptedStt;
import io.voiceagent.testing.ScriptedTts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole session on the in-memory transport and one fake clock: real Silero VAD on recorded speech,
 * scripted STT/LLM/TTS with exact delays, the real pacer (manual) sending into a recording "remote
 * side". Every figure is exact; nothing sleeps.
 */
class AgentSessionTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;

    private FakeClock clock;
    private Heard heard;
    private InMemoryTransport transport;
    private RecordingSessionListener events;
    private final Map<String, Long> times = new ConcurrentHashMap<>(); // event -> clock nanos

    /** What the remote user hears: one tag per 10 ms frame (0 = padding/silence), and when each frame was sent. */
    static final class Heard implements PcmSink {
        final List<Integer> tags = new ArrayList<>();
        final List<Long> at = new ArrayList<>();
        private final FakeClock clock;

        Heard(FakeClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized void sendFrames(byte[] data, int offset, int length, PcmFormat format) {
            for (int off = offset; off < offset + length; off += format.bytesPerFrame()) {
                tags.add(ScriptedTts.tagOf(data, off));
                at.add(clock.nanoTime());
            }
        }

        synchronized int frames() {
            return tags.size();
        }

        synchronized long count(int tag) {
            return tags.stream().filter(t -> t == tag).count();
        }

        synchronized List<Integer> tagsFrom(int index) {
            return List.copyOf(tags.subList(index, tags.size()));
        }
    }

    /** Records the clock at each event, and the frames heard at each interrupt. */
    final class Times implements AgentSessionListener {
        final Map<Long, Integer> heardAtInterrupt = new ConcurrentHashMap<>();
        final Map<Long, Integer> heardAtPause = new ConcurrentHashMap<>();

        @Override
        public void userSpeechEnded(String userId, long speechMs) {
            times.merge("speech-ended", clock.nanoTime(), (a, b) -> b);
        }

        @Override
        public void roundEnded(RoundResult result) {
            times.put("round-ended " + result.roundId(), clock.nanoTime());
        }

        @Override
        public void interrupted(long roundId, InterruptTrigger trigger) {
            heardAtInterrupt.put(roundId, heard.frames());
        }

        @Override
        public void agentPaused(long roundId) {
            heardAtPause.put(roundId, heard.frames());
        }
    }

    private Times timesListener;

    @BeforeEach
    void setUp() {
        clock = new FakeClock();
        heard = new Heard(clock);
        transport = clock.transport("s", heard);
        events = new RecordingSessionListener();
        timesListener = new Times();
    }

    /** Texts of round one contain "one", of round two "two": the TTS tags their audio 1 and 2. */
    private static int tagOf(String text) {
        return text.contains("one") ? 1 : text.contains("two") ? 2 : text.contains("three") ? 3 : 9;
    }

    private static long userMessages(List<ChatMessage> m) {
        return m.stream().filter(x -> x.role().equals("user")).count();
    }

    private static final String[] NUMBERS = {"zero", "one", "two", "three"};

    /** Answer N: "Answer one." and "Still one with more words to say." (0.22 s and 0.66 s of speech). */
    private ScriptedChat chat(Duration first) {
        return new ScriptedChat(m -> {
            String n = NUMBERS[(int) Math.min(3, userMessages(m))];
            return List.of("Answer " + n + ".", " Still " + n, " with more words to say.");
        }, clock.scheduler(), first, Duration.ofMillis(20));
    }

    /** 20 ms of speech per character, tagged by round; 100 ms chunks 20 ms apart, the first after 50 ms. */
    private ScriptedTts tts() {
        return new ScriptedTts(clock.scheduler(), Duration.ofMillis(50), Duration.ofMillis(20), Duration.ofMillis(100),
                t -> Duration.ofMillis(20L * t.length()), AgentSessionTest::tagOf);
    }

    private AgentSession.Builder builder() {
        return AgentSession.builder().listener(events).listener(timesListener);
    }

    @Test
    void aSpokenTurnRunsSttLlmTtsAndEndsCompletedWhenItsAudioHasPlayed() {
        ScriptedStt stt = new ScriptedStt(clock.scheduler(), Duration.ofMillis(100), "what is the weather");
        ScriptedChat llm = chat(Duration.ofMillis(200));
        ScriptedTts tts = tts();
        AgentSession session = builder().stt(stt).llm(llm).tts(tts).instructions("Be brief.").build().start(transport);

        clock.play(transport, "caller", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofSeconds(8));

        assertThat(events.events()).containsExactly("speech-started caller", "speech-ended caller",
                "transcript caller 'what is the weather'", "round-started 1", "agent-speech 1",
                "answer 1 'Answer one. Still one with more words to say.'", "round-ended 1 COMPLETED");
        assertThat(tts.texts()).containsExactly("Answer one.", "Still one with more words to say.");
        assertThat(llm.requests().get(0)).containsExactly(ChatMessage.system("Be brief."),
                ChatMessage.user("what is the weather"));
        assertThat(session.history()).containsExactly(ChatMessage.system("Be brief."),
                ChatMessage.user("what is the weather"),
                ChatMessage.assistant("Answer one. Still one with more words to say."));

        // Latency from the VAD's end of speech: STT 100 ms + first LLM piece 200 ms; the first segment
        // is cut when the second piece arrives (+20 ms), its first TTS chunk comes 50 ms later, and
        // the pacer sends it at once.
        RoundResult r = events.result(1);
        assertThat(r.latency().toFirstLlmToken()).isEqualTo(Duration.ofMillis(300));
        assertThat(r.latency().toFirstAudio()).isEqualTo(Duration.ofMillis(370));
        assertThat(r.latency().toFirstFrameSent()).isEqualTo(Duration.ofMillis(370));
        // 11 + 33 characters = 880 ms of speech, played without a gap: the round ends when it has played.
        assertThat(heard.count(1)).isEqualTo(88);
        long ended = times.get("round-ended 1") - times.get("speech-ended");
        assertThat(Duration.ofNanos(ended)).isEqualTo(Duration.ofMillis(370 + 880));
        assertThat(session.isAnswering()).isFalse();
        clock.close(session);
    }

    /**
     * Voice activation with speech recognition and the default policy: the barge-in pauses the answer at
     * once (nothing more of it is sent), the recognized words confirm it, and the round is cut.
     */
    @Test
    void voiceActivationCutsTheAnswerAndNoFrameOfItIsSentAfterTheInterrupt() {
        ScriptedStt stt = new ScriptedStt(clock.scheduler(), Duration.ofMillis(100), "what is the weather",
                "stop please");
        ScriptedChat llm = chat(Duration.ofMillis(200));
        ScriptedTts tts = new ScriptedTts(clock.scheduler(), Duration.ofMillis(50), Duration.ofMillis(20),
                Duration.ofMillis(100), t -> Duration.ofMillis(100L * t.length()), AgentSessionTest::tagOf);
        AgentSession session = builder().stt(stt).llm(llm).tts(tts).build().start(transport);

        clock.play(transport, "caller", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofMillis(2100 + 400)); // the turn ends, the answer (4.4 s) starts playing
        assertThat(events.events()).contains("agent-speech 1");
        long heardBefore = heard.count(1);
        assertThat(heardBefore).isPositive();

        clock.play(transport, "caller", Fixtures.secondUtterance(), F);
        clock.advance(Duration.ofSeconds(10));

        List<String> ev = events.events();
        int start2 = ev.lastIndexOf("speech-started caller");
        assertThat(ev.get(start2 + 1)).isEqualTo("paused 1");
        assertThat(ev).containsSubsequence("paused 1", "speech-ended caller", "transcript caller 'stop please'",
                "interrupted 1 VOICE_ACTIVATION", "round-ended 1 INTERRUPTED VOICE_ACTIVATION", "round-started 2",
                "agent-speech 2", "round-ended 2 COMPLETED");
        // Not one frame of round 1 after the pause: then round 2, in full.
        int mark = timesListener.heardAtPause.get(1L);
        assertThat(heard.tagsFrom(mark)).doesNotContain(1).contains(2);
        assertThat(heard.count(1)).isLessThan(440);
        assertThat(heard.count(2)).isEqualTo(440);
        // The LLM call of round 1 was over; its second TTS synthesis was cancelled mid-way.
        RoundResult r1 = events.result(1);
        assertThat(r1.reason()).isEqualTo(RoundEndReason.INTERRUPTED);
        assertThat(r1.answer()).isEqualTo("Answer one. Still one with more words to say.");
        // What the user heard before the pause: the history keeps that, cut at the played position.
        // Played = sent minus what the pause took back from ahead of play-out (at most the 100 ms lead + 1 frame).
        long sentMs = 10L * heard.count(1);
        assertThat(r1.played()).isBetween(Duration.ofMillis(sentMs - 110), Duration.ofMillis(sentMs - 1));
        assertThat(r1.heard()).isNotEqualTo(r1.answer());
        assertThat(r1.answer()).startsWith(r1.heard());
        assertThat(session.history()).containsExactly(ChatMessage.user("what is the weather"),
                ChatMessage.assistant(r1.heard()), ChatMessage.user("stop please"),
                ChatMessage.assistant("Answer two. Still two with more words to say."));
        clock.close(session);
    }

    @Test
    void asrActivationIgnoresAnUnrecognizedSoundAndInterruptsOnWords() {
        ScriptedStt stt = new ScriptedStt(clock.scheduler(), Duration.ofMillis(100), "what is the weather", "",
                "stop please");
        ScriptedTts tts = new ScriptedTts(clock.scheduler(), Duration.ofMillis(50), Duration.ofMillis(20),
                Duration.ofMillis(100), t -> Duration.ofMillis(120L * t.length()), AgentSessionTest::tagOf);
        AgentSession session = builder().stt(stt).llm(chat(Duration.ofMillis(200))).tts(tts)
                .interruptMode(InterruptMode.ASR_ACTIVATION).build().start(transport);

        clock.play(transport, "caller", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofMillis(2500));
        // A sound recognized as nothing: the answer plays on.
        clock.play(transport, "caller", Fixtures.secondUtterance(), F);
        clock.advance(Duration.ofMillis(2500));
        assertThat(events.events()).containsSubsequence("round-started 1", "speech-started caller",
                "speech-ended caller", "transcript caller ''");
        assertThat(events.events("interrupted")).isEmpty();
        assertThat(session.isAnswering()).isTrue();
        long heardOfOne = heard.count(1);

        // Words: the answer is cut when they are recognized, not at the VAD's start.
        clock.play(transport, "caller", Fixtures.secondUtterance(), F);
        clock.advance(Duration.ofMillis(1500));
        assertThat(events.events("interrupted")).isEmpty();
        assertThat(heard.count(1)).as("still playing while the user speaks").isGreaterThan(heardOfOne);
        clock.advance(Duration.ofSeconds(10));
        assertThat(events.events()).containsSubsequence("transcript caller 'stop please'",
                "interrupted 1 ASR_ACTIVATION", "round-ended 1 INTERRUPTED ASR_ACTIVATION", "round-started 2");
        assertThat(heard.tagsFrom(timesListener.heardAtInterrupt.get(1L))).doesNotContain(1);
        clock.close(session);
    }

    @Test
    void typedTextInterruptsTheCurrentRoundAndSayNeedsNoLlm() throws Exception {
        ScriptedChat llm = chat(Duration.ofMillis(200));
        ScriptedTts tts = tts();
        AgentSession session = builder().stt(new ScriptedStt(clock.scheduler(), Duration.ZERO)).llm(llm).tts(tts)
                .build().start(transport);

        CompletableFuture<Long> first = session.sendText("  hello  ");
        clock.advance(Duration.ofMillis(500));
        assertThat(first.get()).isEqualTo(1L);
        assertThat(llm.requests().get(0)).containsExactly(ChatMessage.user("hello"));

        CompletableFuture<Long> said = session.say("Saying three now.");
        clock.advance(Duration.ofSeconds(5));
        assertThat(said.get()).isEqualTo(2L);
        assertThat(events.events()).containsSubsequence("round-started 1", "agent-speech 1",
                "interrupted 1 NEW_ROUND", "round-ended 1 INTERRUPTED NEW_ROUND", "round-started 2", "agent-speech 2",
                "answer 2 'Saying three now.'", "round-ended 2 COMPLETED");
        assertThat(llm.requests()).hasSize(1);
        assertThat(llm.calls().get(0).isCancelled()).as("round 1's LLM call had finished").isFalse();
        assertThat(tts.calls().get(1).isCancelled()).as("round 1's second synthesis").isTrue();
        assertThat(heard.count(3)).isEqualTo(34);
        assertThat(heard.tagsFrom(timesListener.heardAtInterrupt.get(1L))).doesNotContain(1);
        // The interrupted answer enters the history as far as the user heard it: its first piece had played.
        assertThat(session.history()).containsExactly(ChatMessage.user("hello"), ChatMessage.assistant("Answer one."),
                ChatMessage.assistant("Saying three now."));
        clock.close(session);
    }

    @Test
    void explicitInterruptAndClearHistory() throws Exception {
        AgentSession session = builder().stt(new ScriptedStt(clock.scheduler(), Duration.ZERO))
                .llm(chat(Duration.ofMillis(10))).tts(tts()).build().start(transport);
        CompletableFuture<Boolean> idle = session.interrupt();
        clock.runReady();
        assertThat(idle.get()).as("nothing to interrupt").isFalse();

        session.sendText("hi");
        clock.advance(Duration.ofMillis(300));
        CompletableFuture<Boolean> cut = session.interrupt();
        clock.runReady();
        assertThat(cut.get()).isTrue();
        assertThat(events.events("round-ended")).containsExactly("round-ended 1 INTERRUPTED EXPLICIT");
        clock.advance(Duration.ofSeconds(2));
        assertThat(heard.tagsFrom(timesListener.heardAtInterrupt.get(1L))).doesNotContain(1);

        session.clearHistory();
        clock.runReady();
        assertThat(session.history()).isEmpty();
        clock.close(session);
    }

    @Test
    void aTtsFailurePlaysWhatWasQueuedThenEndsFailed() {
        ScriptedTts tts = tts();
        tts.failOn("Still");
        AgentSession session = builder().stt(new ScriptedStt(clock.scheduler(), Duration.ZERO))
                .llm(chat(Duration.ofMillis(100))).tts(tts).build().start(transport);
        session.sendText("hi");
        clock.advance(Duration.ofSeconds(3));
        assertThat(events.events()).containsSubsequence("round-started 1", "agent-speech 1", "round-ended 1 FAILED");
        // The first segment (22 frames) and the failed one's first chunk (10 frames) played in full.
        assertThat(heard.count(1)).isEqualTo(22 + 10);
        RoundResult r = events.result(1);
        assertThat(r.failure()).hasMessageContaining("scripted failure");
        // It ended when its audio had played, not at the failure.
        long playedAt = heard.at.get(heard.tags.lastIndexOf(1));
        assertThat(times.get("round-ended 1")).isGreaterThan(playedAt);
        clock.close(session);
    }

    @Test
    void anAudioLlmAnswersEachSpokenTurnWithItsTranscriptAndAudio() {
        byte[] answer = ScriptedTts.pcm((int) F.bytesFor(1000), 7);
        ScriptedAudioLlm llm = new ScriptedAudioLlm(clock.scheduler(), Duration.ofMillis(80), Duration.ofMillis(10),
                "Hello from audio.", answer, (int) F.bytesFor(100));
        AgentSession session = builder().audioLlm(llm).build().start(transport);
        clock.play(transport, "caller", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofSeconds(5));
        assertThat(events.events()).containsExactly("speech-started caller", "speech-ended caller", "round-started 1",
                "agent-speech 1", "answer 1 'Hello from audio.'", "round-ended 1 COMPLETED");
        assertThat(heard.count(7)).isEqualTo(100);
        assertThat(llm.requests().get(0).get(0).content()).startsWith("[speech, ").endsWith(" ms]");
        assertThat(events.result(1).latency().toFirstLlmToken()).isEqualTo(Duration.ofMillis(80));
        clock.close(session);
    }

    @Test
    void listenersMayCallBackIntoTheSessionAndCommandsTakeEffectAfterTheEvent() {
        List<String> seen = new ArrayList<>();
        AgentSession[] ref = new AgentSession[1];
        AgentSessionListener reentrant = new AgentSessionListener() {
            @Override
            public void roundStarted(long roundId) {
                AgentSession s = ref[0];
                seen.add(s.toString());
                seen.add("history " + s.history().size());
                seen.add("in executor " + transport.executor().inExecutor());
                s.interrupt(); // queued: runs after this event
                seen.add("round still " + s.currentRoundId() + " answering " + s.isAnswering());
            }

            @Override
            public void roundEnded(RoundResult result) {
                ref[0].close(); // from the executor: queued, returns at once
                seen.add("close returned");
            }
        };
        ref[0] = builder().listener(reentrant).stt(new ScriptedStt(clock.scheduler(), Duration.ZERO))
                .llm(chat(Duration.ofMillis(100))).tts(tts()).build().start(transport);
        ref[0].sendText("hi");
        clock.advance(Duration.ofSeconds(1));
        assertThat(seen).containsExactly("AgentSession[" + ref[0].name() + ", RUNNING, round 1 GENERATING]",
                "history 1", "in executor true", "round still 1 answering true", "close returned");
        assertThat(events.events()).containsExactly("round-started 1", "interrupted 1 EXPLICIT",
                "round-ended 1 INTERRUPTED EXPLICIT", "closed");
        assertThat(ref[0].state()).isEqualTo(AgentSession.State.CLOSED);
        assertThat(transport.isClosed()).isTrue();
    }

    @Test
    void closeCutsTheRoundReleasesTheTransportAndRefusesCommands() {
        AgentSession session = builder().stt(new ScriptedStt(clock.scheduler(), Duration.ZERO))
                .llm(chat(Duration.ofMillis(10))).tts(tts()).build().start(transport);
        session.sendText("hi");
        clock.advance(Duration.ofMillis(200));
        // close() from the test thread waits for the executor: run it from a second "thread" of the test.
        CompletableFuture<Void> closing = CompletableFuture.runAsync(session::close);
        while (!closing.isDone()) {
            clock.runReady();
            Thread.onSpinWait();
        }
        // The first audio came at 80 ms (LLM 10 + 20 ms, TTS 50 ms): at 200 ms, 120 ms of the first piece
        // (220 ms, two words) had played, so the history keeps its first word.
        assertThat(events.result(1).answer()).isEqualTo("Answer one. Still one with more words to say.");
        assertThat(events.result(1).played()).isEqualTo(Duration.ofMillis(120));
        assertThat(events.events()).endsWith("interrupted 1 CLOSE", "answer 1 'Answer'",
                "round-ended 1 INTERRUPTED CLOSE", "closed");
        assertThat(transport.isClosed()).isTrue();
        assertThat(transport.output().consumer().isClosed()).isTrue();
        assertThatThrownBy(() -> session.sendText("again").get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        session.close(); // idempotent
        assertThatThrownBy(() -> session.start(clock.transport("other", heard)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CLOSED");
    }

    @Test
    void framesBeyondTheQueueBoundAreDroppedAndCounted() {
        AgentSession session = builder().audioLlm(new ScriptedAudioLlm(clock.scheduler(), Duration.ZERO,
                Duration.ZERO, "x", new byte[0], 1)).maxQueuedFrames(5).build().start(transport);
        byte[] pcm = new byte[F.bytesPerFrame() * 12];
        assertThat(transport.deliver("caller", pcm, F)).isEqualTo(12); // the executor has not run yet
        assertThat(session.droppedFrames()).isEqualTo(7);
        clock.runReady();
        transport.deliver("caller", pcm, F);
        assertThat(session.droppedFrames()).isEqualTo(14);
        clock.close(session);
    }

    @Test
    void onlyTheListedRemoteUsersTakeTurns() {
        AgentSession session = builder().audioLlm(new ScriptedAudioLlm(clock.scheduler(), Duration.ZERO,
                Duration.ZERO, "x", new byte[0], 1)).remoteUsers(Set.of("caller")).build().start(transport);
        clock.play(transport, "someone-else", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofSeconds(3));
        assertThat(events.events()).isEmpty();
        clock.play(transport, "caller", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofSeconds(3));
        assertThat(events.events()).startsWith("speech-started caller", "speech-ended caller", "round-started 1");
        clock.close(session);
    }

    @Test
    void aUserWhoLeftMidUtteranceTakesNoTurnAndCanComeBack() {
        AgentSession session = builder().audioLlm(new ScriptedAudioLlm(clock.scheduler(), Duration.ZERO,
                Duration.ZERO, "x", new byte[0], 1)).build().start(transport);
        byte[] turn = Fixtures.firstUtterance();
        clock.play(transport, "caller", java.util.Arrays.copyOf(turn, (int) F.bytesFor(700)), F);
        clock.advance(Duration.ofMillis(700));
        assertThat(events.events()).containsExactly("speech-started caller");
        transport.userLeft("caller");
        clock.advance(Duration.ofMillis(100));
        clock.play(transport, "caller", turn, F);
        clock.advance(Duration.ofSeconds(3));
        assertThat(events.events()).containsExactly("speech-started caller", "speech-started caller",
                "speech-ended caller", "round-started 1", "answer 1 'x'", "round-ended 1 COMPLETED");
        clock.close(session);
    }

    @Test
    void withoutAutoRespondTheApplicationDecidesWhoAnswersAndWhatTheHistoryHolds() throws Exception {
        ScriptedStt stt = new ScriptedStt(clock.scheduler(), Duration.ofMillis(100), "what is the weather");
        ScriptedChat llm = chat(Duration.ofMillis(50));
        AgentSession session = builder().stt(stt).llm(llm).tts(tts()).instructions("Be brief.").autoRespond(false)
                .build().start(transport);
        clock.play(transport, "caller", Fixtures.firstUtterance(), F);
        clock.advance(Duration.ofSeconds(3));
        assertThat(events.events()).containsExactly("speech-started caller", "speech-ended caller",
                "transcript caller 'what is the weather'");
        assertThat(llm.requests()).isEmpty();

        session.addMessage(ChatMessage.assistant("Bob: it looks like rain."));
        session.setInstructions("You are Alice. Be brief.");
        session.sendText("what is the weather");
        clock.advance(Duration.ofSeconds(3));
        assertThat(llm.requests()).hasSize(1);
        assertThat(llm.requests().get(0)).containsExactly(ChatMessage.system("You are Alice. Be brief."),
                ChatMessage.assistant("Bob: it looks like rain."), ChatMessage.user("what is the weather"));
        assertThat(events.events()).contains("round-started 1", "round-ended 1 COMPLETED");
        clock.close(session);
    }

    @Test
    void presenceEventsRunOnTheExecutorInOrderAndALeaveReleasesTheUsersTurn() {
        List<String> presence = new java.util.concurrent.CopyOnWriteArrayList<>();
        AgentSession session = builder().audioLlm(new ScriptedAudioLlm(clock.scheduler(), Duration.ZERO,
                Duration.ZERO, "x", new byte[0], 1)).listener(new AgentSessionListener() {
                    @Override
                    public void userJoined(String userId) {
                        presence.add("joined " + userId + " on " + Thread.currentThread().getName());
                    }

                    @Override
                    public void userLeft(String userId) {
                        presence.add("left " + userId + " on " + Thread.currentThread().getName());
                    }
                }).build().start(transport);
        transport.userJoined("caller");
        transport.userJoined("other");
        assertThat(presence).as("posted, not run on the caller's thread").isEmpty();
        clock.runReady();
        byte[] turn = Fixtures.firstUtterance();
        clock.play(transport, "caller", java.util.Arrays.copyOf(turn, (int) F.bytesFor(700)), F);
        clock.advance(Duration.ofMillis(700));
        transport.userLeft("caller");
        clock.advance(Duration.ofSeconds(3));
        String thread = Thread.currentThread().getName(); // the manual executor runs tasks on the test thread
        assertThat(presence).containsExactly("joined caller on " + thread, "joined other on " + thread,
                "left caller on " + thread);
        assertThat(events.events()).as("the half utterance of the user who left takes no turn")
                .containsExactly("speech-started caller");
        clock.close(session);
        transport.userJoined("late");
        clock.runReady();
        assertThat(presence).as("nothing after close").hasSize(3);
    }
}
