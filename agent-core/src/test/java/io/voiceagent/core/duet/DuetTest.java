package io.voiceagent.core.duet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.agent.InMemoryTransport;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.PcmSink;
import io.voiceagent.testing.FakeClock;
import io.voiceagent.testing.Fixtures;
import io.voiceagent.testing.ScriptedChat;
import io.voiceagent.testing.ScriptedStt;
import io.voiceagent.testing.ScriptedTts;
import io.voiceagent.testing.TestPcm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole duet on one fake clock: two sessions on in-memory transports whose paced audio plays on
 * one simulated timeline (frame by frame, as a listener in the channel hears it), scripted LLMs, a
 * scripted TTS whose samples carry the voice's tag, real Silero VAD for the user's voice. Every check
 * is on the timeline or on the order of events; nothing sleeps.
 */
class DuetTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;
    /** The tag of each voice's samples, so the timeline tells which voice spoke each frame. */
    private static final Map<String, Integer> VOICE_TAGS = Map.of("en-us", 11, "en-gb", 12, "es", 21, "es-419", 22,
            "fr-fr", 31, "fr-be", 32);

    private FakeClock clock;
    private Timeline timeline;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Map<DuetRole, ScriptedChat> llms = new EnumMap<>(DuetRole.class);
    private final Map<DuetRole, InMemoryTransport> transports = new EnumMap<>(DuetRole.class);
    private Duet duet;

    /** One frame heard on the channel: who spoke it, with which voice tag, when it played. */
    record Heard(DuetRole role, int tag, long startNanos) {
        long endNanos() {
            return startNanos + 10_000_000L;
        }
    }

    /**
     * The channel as a listener hears it: each agent's frames play one after the other from when they
     * arrive; a clear of the agent's send buffer forgets its frames not yet played. Both agents'
     * frames land on one list, so an overlap would show as interleaved play-out times.
     */
    static final class Timeline {
        private final FakeClock clock;
        private final List<Heard> played = new ArrayList<>();
        private final Map<DuetRole, List<Heard>> queued = new EnumMap<>(DuetRole.class);
        private final Map<DuetRole, Long> endNanos = new EnumMap<>(DuetRole.class);

        Timeline(FakeClock clock) {
            this.clock = clock;
            for (DuetRole r : DuetRole.values()) {
                queued.put(r, new ArrayList<>());
                endNanos.put(r, Long.MIN_VALUE);
            }
        }

        PcmSink sink(DuetRole role) {
            return (data, offset, length, format) -> {
                synchronized (this) {
                    settle();
                    for (int off = offset; off < offset + length; off += format.bytesPerFrame()) {
                        long start = Math.max(clock.nanoTime(), endNanos.get(role));
                        queued.get(role).add(new Heard(role, ScriptedTts.tagOf(data, off), start));
                        endNanos.put(role, start + 10_000_000L);
                    }
                }
            };
        }

        synchronized void discard(DuetRole role) {
            settle();
            queued.get(role).clear();
            endNanos.put(role, Math.min(endNanos.get(role), clock.nanoTime()));
        }

        /** Every frame heard in full by now (padding included), in play-out order. */
        synchronized List<Heard> heard() {
            settle();
            List<Heard> h = new ArrayList<>(played);
            h.sort((x, y) -> Long.compare(x.startNanos(), y.startNanos()));
            return h;
        }

        private void settle() {
            long now = clock.nanoTime();
            for (List<Heard> q : queued.values()) {
                while (!q.isEmpty() && q.get(0).endNanos() <= now) {
                    played.add(q.remove(0));
                }
            }
        }

        /** The heard frames grouped into runs of one agent's speech (padding frames, tag 0, dropped). */
        List<List<Heard>> runs() {
            List<List<Heard>> runs = new ArrayList<>();
            for (Heard h : heard()) {
                if (h.tag() == 0) {
                    continue;
                }
                if (runs.isEmpty() || runs.get(runs.size() - 1).get(0).role() != h.role()) {
                    runs.add(new ArrayList<>());
                }
                runs.get(runs.size() - 1).add(h);
            }
            return runs;
        }
    }

    /** Records the duet's events as strings, in order. */
    final class Events implements DuetListener {
        @Override
        public void duetStarted() {
            events.add("started");
        }

        @Override
        public void duetEnded(DuetEndReason reason) {
            events.add("ended " + reason);
        }

        @Override
        public void turnStarted(DuetTurn t) {
            events.add("turn " + t.index() + " " + t.role() + " " + t.language() + "/" + t.voice());
        }

        @Override
        public void agentSpoke(DuetTurn t, String text, byte[] pcm, PcmFormat format) {
            events.add("spoke " + t.index() + " " + t.role() + " '" + text + "' " + format.durationMillis(pcm.length)
                    + " ms");
        }

        @Override
        public void speakerInterrupted(DuetTurn t) {
            events.add("cut " + t.index() + " " + t.role() + " at " + clock.nanoTime() / 1_000_000);
        }

        @Override
        public void turnEnded(DuetTurn t, String heard, boolean interrupted) {
            events.add("end " + t.index() + " " + t.role() + (interrupted ? " interrupted" : ""));
        }

        @Override
        public void userSpeechStarted() {
            events.add("user speaking at " + clock.nanoTime() / 1_000_000);
        }

        @Override
        public void userText(String text, boolean spoken) {
            events.add("user '" + text + "'" + (spoken ? " spoken" : ""));
        }

        @Override
        public void agentUpdated(DuetRole role, DuetAgent agent) {
            events.add("updated " + role + " " + agent.language() + "/" + agent.voice());
        }
    }

    @BeforeEach
    void setUp() {
        clock = new FakeClock();
        timeline = new Timeline(clock);
    }

    @AfterEach
    void tearDown() {
        if (duet != null) {
            clock.close(duet);
        }
    }

    /** Agent A's N-th answer is "A says N." (200 ms of speech per word), B's "B answers N.". */
    private static Function<List<ChatMessage>, List<String>> numbered(String who) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return messages -> List.of(who + " " + n.incrementAndGet() + ".");
    }

    /** The events start with {@code prefixes}, in this order (others may come between). */
    private void assertInOrder(String... prefixes) {
        int i = 0;
        for (String e : events) {
            if (i < prefixes.length && e.startsWith(prefixes[i])) {
                i++;
            }
        }
        assertThat(i).as("events %s in the order %s", events, List.of(prefixes)).isEqualTo(prefixes.length);
    }

    private void assertNone(String prefix) {
        assertThat(events).noneMatch(e -> e.startsWith(prefix));
    }

    private VoiceCatalog scriptedVoices() {
        return VoiceCatalog.builder().description("scripted")
                .language("en", "English", "en-us", "en-gb")
                .language("es", "Spanish", "es", "es-419")
                .language("fr", "French", "fr-fr", "fr-be")
                .engine(voice -> new ScriptedTts(clock.scheduler(), Duration.ofMillis(30), Duration.ofMillis(10),
                        Duration.ofMillis(100), text -> Duration.ofMillis(200L * text.split(" ").length),
                        text -> VOICE_TAGS.get(voice)))
                .build();
    }

    private Duet.Builder duet(ScriptedStt stt) {
        llms.put(DuetRole.A, new ScriptedChat(numbered("A says"), clock.scheduler(), Duration.ofMillis(100),
                Duration.ofMillis(20)));
        llms.put(DuetRole.B, new ScriptedChat(numbered("B answers"), clock.scheduler(), Duration.ofMillis(100),
                Duration.ofMillis(20)));
        return Duet.builder()
                .agent(DuetRole.A, DuetAgent.of("Ana", "A cheerful baker.", "en"))
                .agent(DuetRole.B, DuetAgent.of("Ben", "A grumpy astronomer.", "en"))
                .llm(DuetRole.A, llms.get(DuetRole.A))
                .llm(DuetRole.B, llms.get(DuetRole.B))
                .voices(scriptedVoices())
                .stt(stt)
                .executor(clock.newExecutor("duet"))
                .transports(role -> {
                    InMemoryTransport t = InMemoryTransport.create(clock.newExecutor(role.name()), clock.pacer(), F,
                            AudioConsumerConfig.defaults(), timeline.sink(role), () -> timeline.discard(role));
                    transports.put(role, t);
                    return t;
                })
                .listener(new Events());
    }

    private Duet open(Duet.Builder b) {
        duet = b.open();
        return duet;
    }

    private <T> T done(CompletableFuture<T> f) throws Exception {
        clock.runReady();
        assertThat(f).isDone();
        return f.get();
    }

    /** Advances until {@code event} was recorded, at most {@code limit} of clock time. */
    private void advanceUntil(String event, Duration limit) {
        long end = clock.nanoTime() + limit.toNanos();
        while (events.stream().noneMatch(e -> e.startsWith(event)) && clock.nanoTime() < end) {
            clock.advance(Duration.ofMillis(10));
        }
        assertThat(events).as("events by " + limit).anyMatch(e -> e.startsWith(event));
    }

    @Test
    void twentyTurnsAlternateWithNoOverlapOnTheTimeline() throws Exception {
        open(duet(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50))).maxTurns(20));
        assertThat(done(duet.start())).isTrue();
        advanceUntil("ended TURN_LIMIT", Duration.ofMinutes(2));
        clock.advance(Duration.ofSeconds(1));

        List<List<Heard>> runs = timeline.runs();
        assertThat(runs).hasSize(20);
        for (int i = 0; i < runs.size(); i++) {
            List<Heard> run = runs.get(i);
            assertThat(run.get(0).role()).as("run %d", i).isEqualTo(i % 2 == 0 ? DuetRole.A : DuetRole.B);
            // "A says 3." is three words: 600 ms of speech, every frame of it heard, none of the other agent's.
            assertThat(run).as("run %d", i).hasSize(60);
            if (i > 0) {
                List<Heard> prev = runs.get(i - 1);
                assertThat(run.get(0).startNanos()).as("run %d starts after run %d ended", i, i - 1)
                        .isGreaterThanOrEqualTo(prev.get(prev.size() - 1).endNanos());
            }
        }
        // No frame of one agent plays while a frame of the other does (padding included).
        List<Heard> all = timeline.heard();
        for (int i = 1; i < all.size(); i++) {
            if (all.get(i).role() != all.get(i - 1).role()) {
                assertThat(all.get(i).startNanos()).isGreaterThanOrEqualTo(all.get(i - 1).endNanos());
            }
        }
        assertThat(events.stream().filter(e -> e.startsWith("end ")).toList()).hasSize(20)
                .noneMatch(e -> e.contains("interrupted"));
        // B answered exactly what A said, and each history is bounded (40 messages + the instructions).
        List<ChatMessage> b1 = llms.get(DuetRole.B).requests().get(0);
        assertThat(b1.get(b1.size() - 1)).isEqualTo(ChatMessage.user("Ana: A says 1."));
        assertThat(duet.session(DuetRole.A).history()).hasSizeLessThanOrEqualTo(41);
        assertThat(duet.state()).isEqualTo(Duet.State.IDLE);
    }

    @Test
    void historiesKeepTheLastFortyMessages() throws Exception {
        open(duet(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50))).maxTurns(50));
        done(duet.start());
        advanceUntil("ended TURN_LIMIT", Duration.ofMinutes(5));
        List<ChatMessage> h = duet.session(DuetRole.B).history();
        assertThat(h).hasSize(41);
        assertThat(h.get(0).role()).isEqualTo("system");
        assertThat(h.get(h.size() - 1)).isEqualTo(ChatMessage.assistant("B answers 25."));
        assertThat(h.get(1)).isEqualTo(ChatMessage.user("Ana: A says 6.")); // turns 1..10 forgotten
    }

    @Test
    void setAgentChangesTheNextTurnsVoiceAndLanguage() throws Exception {
        open(duet(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50))).maxTurns(4));
        done(duet.start());
        advanceUntil("spoke 1 A", Duration.ofSeconds(5));
        // During A's first turn: B switches to Spanish (its default voice), A to the British voice.
        assertThat(done(duet.setAgent(DuetRole.B, b -> b.withLanguage("es"))).voice()).isEqualTo("es");
        done(duet.setAgent(DuetRole.A, a -> a.withVoice("en-gb")));
        advanceUntil("ended TURN_LIMIT", Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(1));

        List<List<Heard>> runs = timeline.runs();
        assertThat(runs).hasSize(4);
        assertThat(runs.get(0)).extracting(Heard::tag).containsOnly(VOICE_TAGS.get("en-us")); // the turn in progress
        assertThat(runs.get(1)).extracting(Heard::tag).containsOnly(VOICE_TAGS.get("es"));
        assertThat(runs.get(2)).extracting(Heard::tag).containsOnly(VOICE_TAGS.get("en-gb"));
        assertThat(runs.get(3)).extracting(Heard::tag).containsOnly(VOICE_TAGS.get("es"));
        assertInOrder("turn 1 A en/en-us", "updated B es/es", "updated A en/en-gb", "turn 2 B es/es",
                "turn 3 A en/en-gb", "turn 4 B es/es");
        // B's prompt says Spanish from then on; A's prompt knows nothing changed for it but the voice.
        List<ChatMessage> b1 = llms.get(DuetRole.B).requests().get(0);
        assertThat(b1.get(0).content()).contains("Always answer in Spanish (language code es)", "You are Ben",
                "with Ana");
        assertThat(duet.agents().get(DuetRole.B)).isEqualTo(new DuetAgent("Ben", "A grumpy astronomer.", "es", "es"));
    }

    @Test
    void aLanguageWithNoVoiceOrAForeignVoiceIsRefusedAndNothingChanges() throws Exception {
        open(duet(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50))));
        CompletableFuture<DuetAgent> de = duet.setAgent(DuetRole.A, a -> a.withLanguage("de"));
        clock.runReady();
        assertThatThrownBy(de::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("language 'de' has no voice in the scripted catalog; languages with voices: en, es, fr");
        CompletableFuture<DuetAgent> foreign = duet.setAgent(DuetRole.B, b -> b.withVoice("fr-fr"));
        clock.runReady();
        assertThatThrownBy(foreign::get).cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessage("voice 'fr-fr' is not a voice of language 'en'; its voices: en-us, en-gb");
        assertThat(duet.agents().get(DuetRole.A).language()).isEqualTo("en");
        assertThat(duet.agents().get(DuetRole.B).voice()).isEqualTo("en-us");
        assertThat(events).noneMatch(e -> e.startsWith("updated"));
    }

    @Test
    void typedUserWordsCutTheSpeakerAtOnceAndTheOtherAgentAnswersThem() throws Exception {
        open(duet(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50))).maxTurns(6));
        done(duet.start());
        advanceUntil("spoke 1 A", Duration.ofSeconds(5));
        clock.advance(Duration.ofMillis(250)); // A is talking
        long saidAt = clock.nanoTime();
        CompletableFuture<DuetTurn> answer = duet.userText("What about the moon?");
        DuetTurn turn = done(answer);
        assertThat(turn.role()).isEqualTo(DuetRole.B);
        advanceUntil("ended TURN_LIMIT", Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(1));

        List<List<Heard>> runs = timeline.runs();
        List<Heard> cutRun = runs.get(0);
        assertThat(cutRun.get(0).role()).isEqualTo(DuetRole.A);
        // A's audio stopped within 300 ms of the user's words (here: at once, at the frame playing then).
        assertThat(cutRun.get(cutRun.size() - 1).endNanos()).isLessThanOrEqualTo(saidAt + 300_000_000L);
        assertThat(cutRun.size()).isLessThan(60);
        // The cut comes before anything of the next turn; B answers the user, then they alternate again.
        assertInOrder("spoke 1 A", "user 'What about the moon?'", "cut 1 A", "end 1 A interrupted", "turn 2 B",
                "spoke 2 B", "end 2 B", "turn 3 A");
        assertThat(runs.get(1).get(0).role()).isEqualTo(DuetRole.B);
        assertThat(runs.get(1).get(0).startNanos()).isGreaterThanOrEqualTo(cutRun.get(cutRun.size() - 1).endNanos());
        // Both histories: what was heard of A, then the user's words; B answered the user.
        List<ChatMessage> bAsked = llms.get(DuetRole.B).requests().get(0);
        assertThat(bAsked.get(bAsked.size() - 1)).isEqualTo(ChatMessage.user("User: What about the moon?"));
        assertThat(bAsked.get(bAsked.size() - 2).content()).startsWith("Ana: A");
        List<ChatMessage> aAsked = llms.get(DuetRole.A).requests().get(1);
        assertThat(aAsked).contains(ChatMessage.user("User: What about the moon?"));
        assertThat(aAsked.get(aAsked.size() - 1)).isEqualTo(ChatMessage.user("Ben: B answers 1."));
    }

    @Test
    void twoLinesTypedAtOnceEnterBothHistoriesInOrder() throws Exception {
        open(duet(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50))).maxTurns(6));
        done(duet.start());
        advanceUntil("spoke 1 A", Duration.ofSeconds(5));
        CompletableFuture<DuetTurn> first = duet.userText("First line.");
        CompletableFuture<DuetTurn> second = duet.userText("Second line.");
        clock.runReady();
        assertThat(first.get().role()).isEqualTo(DuetRole.B);
        assertThat(second.get().role()).isEqualTo(DuetRole.A); // the second cut B's answer to the first
        advanceUntil("ended TURN_LIMIT", Duration.ofMinutes(1));
        for (DuetRole r : DuetRole.values()) {
            List<String> lines = duet.session(r).history().stream().map(ChatMessage::content)
                    .filter(c -> c.startsWith("User:")).toList();
            assertThat(lines).as("%s's history", r).containsExactly("User: First line.", "User: Second line.");
        }
        assertInOrder("user 'First line.'", "cut 1 A", "turn 2 B", "user 'Second line.'", "cut 2 B", "turn 3 A");
    }

    @Test
    void interruptHoldsTheDuetUntilTheUserSpeaksAndStopEndsIt() throws Exception {
        open(duet(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50))));
        done(duet.start());
        advanceUntil("spoke 1 A", Duration.ofSeconds(5));
        assertThat(done(duet.interrupt())).isTrue();
        clock.advance(Duration.ofSeconds(3));
        assertThat(duet.state()).isEqualTo(Duet.State.HELD);
        assertInOrder("cut 1 A", "end 1 A interrupted");
        assertNone("turn 2");
        // A held duet resumes with start: B answers what was heard of A.
        assertThat(done(duet.start())).isTrue();
        advanceUntil("spoke 2 B", Duration.ofSeconds(5));
        assertThat(done(duet.stop())).isTrue();
        clock.advance(Duration.ofSeconds(3));
        assertInOrder("turn 2 B", "cut 2 B", "ended STOPPED", "end 2 B interrupted");
        assertNone("turn 3");
        // Stopped, the user still gets an answer, once.
        done(duet.userText("Hello?"));
        clock.advance(Duration.ofSeconds(5));
        assertInOrder("user 'Hello?'", "turn 3 A", "end 3 A");
        assertNone("turn 4");
        assertThat(duet.state()).isEqualTo(Duet.State.IDLE);
    }

    @Test
    void theStopPhraseEndsTheDuet() throws Exception {
        Duet.Builder b = duet(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50))).stopPhrase("Goodbye!");
        ScriptedChat bye = new ScriptedChat(m -> m.size() > 3 ? List.of("Well, good", "bye!") : List.of("Hi there."),
                clock.scheduler(), Duration.ofMillis(100), Duration.ofMillis(20));
        open(b.llm(DuetRole.B, bye));
        done(duet.start());
        advanceUntil("ended STOP_PHRASE", Duration.ofMinutes(1));
        assertThat(events.stream().filter(e -> e.startsWith("turn ")).toList()).containsExactly("turn 1 A en/en-us",
                "turn 2 B en/en-us", "turn 3 A en/en-us", "turn 4 B en/en-us");
    }

    @Test
    void resetClearsBothHistoriesAndStartsOver() throws Exception {
        open(duet(new ScriptedStt(clock.scheduler(), Duration.ofMillis(50))));
        done(duet.start());
        advanceUntil("spoke 3 A", Duration.ofSeconds(10));
        done(duet.reset());
        clock.advance(Duration.ofSeconds(2));
        assertThat(duet.session(DuetRole.A).history()).hasSize(1);
        assertThat(duet.session(DuetRole.B).history()).hasSize(1);
        done(duet.start());
        clock.advance(Duration.ofSeconds(1));
        List<List<ChatMessage>> aRequests = llms.get(DuetRole.A).requests();
        List<ChatMessage> again = aRequests.get(aRequests.size() - 1);
        assertThat(again).hasSize(2);
        assertThat(again.get(1)).isEqualTo(ChatMessage.user("Please start the conversation with Ben."));
    }

    @Test
    void theUsersVoiceCutsTheSpeakerWithin300MsAndTheOtherAgentAnswersIt() throws Exception {
        ScriptedChat longB = new ScriptedChat(m -> List.of("B answers with a long line of words."), clock.scheduler(),
                Duration.ofMillis(100), Duration.ofMillis(20)); // 1.6 s of speech
        open(duet(new ScriptedStt(clock.scheduler(), Duration.ofMillis(100), "what about the moon")).maxTurns(5)
                .llm(DuetRole.B, longB));
        InMemoryTransport ear = transports.get(DuetRole.A);
        done(duet.start());
        advanceUntil("spoke 2 B", Duration.ofSeconds(10));
        clock.advance(Duration.ofMillis(100)); // B is talking
        long speechAt = clock.nanoTime();
        clock.play(ear, "user", TestPcm.concat(Fixtures.firstUtterance(), TestPcm.silence(1000)), F);
        advanceUntil("ended TURN_LIMIT", Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(1));

        String started = events.stream().filter(e -> e.startsWith("user speaking at")).findFirst().orElseThrow();
        long startedMs = Long.parseLong(started.substring("user speaking at ".length()));
        assertInOrder("turn 2 B", "cut 2 B", "user speaking at", "end 2 B interrupted",
                "user 'what about the moon' spoken", "turn 3 A");
        List<List<Heard>> runs = timeline.runs();
        List<Heard> bRun = runs.get(1);
        assertThat(bRun.get(0).role()).isEqualTo(DuetRole.B);
        // The fixture's speech starts about 0.3 s in; the VAD needs a little more; B is silent within 300 ms of that.
        assertThat(bRun.get(bRun.size() - 1).endNanos()).isLessThanOrEqualTo(startedMs * 1_000_000L + 300_000_000L);
        assertThat(startedMs * 1_000_000L - speechAt).isLessThan(1_000_000_000L);
        List<ChatMessage> aAsked = llms.get(DuetRole.A).requests().get(1);
        assertThat(aAsked.get(aAsked.size() - 1)).isEqualTo(ChatMessage.user("User: what about the moon"));
        assertThat(aAsked.get(aAsked.size() - 2).content()).startsWith("Ben: B answers"); // what was heard of B
        // B never heard the user itself: only A's session ran the VAD and the STT.
        assertThat(duet.session(DuetRole.B).history()).contains(ChatMessage.user("User: what about the moon"));
    }

    @Test
    void theBuilderNamesWhatIsMissingOrOutOfRange() {
        assertThatThrownBy(() -> Duet.builder().open()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agent A must be set: agent(DuetRole.A, ...)");
        assertThatThrownBy(() -> duet(new ScriptedStt(clock.scheduler(), Duration.ZERO)).maxTurns(0).open())
                .hasMessage("maxTurns must be in 1..10000; got 0");
        assertThatThrownBy(() -> duet(new ScriptedStt(clock.scheduler(), Duration.ZERO)).stopPhrase("!!").open())
                .hasMessage("stopPhrase must be null or contain a word; got '!!'");
        assertThatThrownBy(() -> duet(new ScriptedStt(clock.scheduler(), Duration.ZERO))
                .agent(DuetRole.B, DuetAgent.of("Ben", "", "de")).open())
                .hasMessageContaining("language 'de' has no voice");
        assertThatThrownBy(() -> DuetAgent.of(" ", "", "en")).hasMessage("name must be 1..64 characters, not blank; got ' '");
        assertThatThrownBy(() -> DuetAgent.of("Ana", "", "english!"))
                .hasMessage("language must be a language code like en or es; got 'english!'");
        assertThatThrownBy(() -> DuetRole.parse("C")).hasMessage("agent must be A or B; got 'C'");
    }

    @Test
    void theScriptedResponderSpeaksTheAgentsLanguageAndThanksTheUser() {
        List<ChatMessage> es = List.of(ChatMessage.system("... Always answer in Spanish (language code es)."),
                ChatMessage.user("Please start the conversation with Ben."));
        assertThat(ScriptedDuetResponder.answer(es)).isEqualTo(ScriptedDuetResponder.LINES.get("es").get(0));
        List<ChatMessage> fr = List.of(ChatMessage.system("(language code fr)"), ChatMessage.user("Ana: Bonjour !"));
        assertThat(ScriptedDuetResponder.answer(fr)).isEqualTo(ScriptedDuetResponder.LINES.get("fr").get(1));
        List<ChatMessage> user = List.of(ChatMessage.system("(language code en)"), ChatMessage.user("Ana: Hi."),
                ChatMessage.assistant("Hello."), ChatMessage.user("User: what about the moon?"));
        assertThat(ScriptedDuetResponder.answer(user)).isEqualTo("Thanks for joining in! You said: what about the moon.");
    }
}
