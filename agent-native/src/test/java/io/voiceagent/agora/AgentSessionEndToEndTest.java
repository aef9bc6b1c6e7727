package io.voiceagent.agora;

import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.llm.AudioModalitiesClient;
import io.voiceagent.core.server.AudioModalitiesServer;
import io.voiceagent.core.server.AudioModalitiesServerConfig;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.stt.Transcript;
import io.voiceagent.agora.agent.AgoraTransport;
import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.agent.InterruptMode;
import io.voiceagent.core.agent.InterruptTrigger;
import io.voiceagent.core.agent.RoundEndReason;
import io.voiceagent.core.agent.RoundResult;
import io.voiceagent.testing.FrameIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole conversation loop of an {@link io.voiceagent.core.agent.AgentSession} on the loopback
 * library, in one JVM: the agent joins through {@link AgoraTransport#join}, a simulated user (a second
 * connection) speaks a recorded utterance, the session's VAD ends the turn, a round plays the
 * audio-modalities answer (8.5 s, from the local server), and mid-answer the user speaks again.
 * Measured on the wire: the agent's track transmits no frame between the interrupt (the
 * {@code interrupted} event, which runs right after the drop) and the next round's first write
 * ({@code agentSpeechStarted}, right before it): stale bytes = 0; and the user hears silence shortly
 * after the interrupt (the figure is logged, not asserted). Both interrupt modes; the answer either
 * still streaming (its HTTP request cancelled) or fully received (its queued audio dropped).
 */
@ExtendWith(NativeLeakExtension.class)
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class AgentSessionEndToEndTest {
    private static final Path SPEECH = Path.of("..", "test_data", "real_gaps_16k_1ch.pcm");
    private static final Path ANSWER = Path.of("..", "test_data", "hello_16k_1ch.pcm");
    private static final PcmFormat F = PcmFormat.MONO_16K;
    private static final String ANSWER_TEXT = "Hello from the offline agent.";

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(InterruptMode.VOICE_ACTIVATION, true),
                Arguments.of(InterruptMode.VOICE_ACTIVATION, false),
                Arguments.of(InterruptMode.ASR_ACTIVATION, true),
                Arguments.of(InterruptMode.ASR_ACTIVATION, false));
    }

    /** Recognizes each utterance as the next scripted text, after a short delay (an I/O thread, like HTTP). */
    static final class ScriptedSpeechToText implements SpeechToText {
        private final List<String> script;
        private final AtomicInteger next = new AtomicInteger();
        private final Executor later = CompletableFuture.delayedExecutor(40, TimeUnit.MILLISECONDS);

        ScriptedSpeechToText(String... script) {
            this.script = List.of(script);
        }

        @Override
        public CompletableFuture<Transcript> transcribe(byte[] pcm, PcmFormat format) {
            int i = next.getAndIncrement();
            String text = i < script.size() ? script.get(i) : "";
            return CompletableFuture.supplyAsync(() -> new Transcript(text), later);
        }
    }

    /** Everything the session reported, with the time and the agent track's transmitted-frame count. */
    static final class Recorder implements AgentSessionListener {
        volatile LocalAudioTrack agentTrack;
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Long> started = new CopyOnWriteArrayList<>();
        final Map<Long, RoundResult> ended = new ConcurrentHashMap<>();
        final Map<Long, InterruptTrigger> interrupted = new ConcurrentHashMap<>();
        final List<long[]> speechStarts = new CopyOnWriteArrayList<>();      // {nanos, framesSent}
        final List<Long> transcripts = new CopyOnWriteArrayList<>();         // nanos
        final List<long[]> clears = new CopyOnWriteArrayList<>();            // audio stopped: {nanos, framesSent}
        final java.util.Set<Long> paused = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Map<Long, long[]> firstWrites = new ConcurrentHashMap<>();     // roundId -> {nanos, framesSent}
        final List<String> answers = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        long sent() {
            return LoopbackDiagnostics.framesSent(agentTrack);
        }

        private void event(String e) {
            events.add(e);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void userSpeechStarted(String userId) {
            speechStarts.add(new long[] {System.nanoTime(), sent()});
            event("speech-start:" + userId);
        }

        @Override
        public void userSpeechEnded(String userId, long speechMs) {
            event("speech-end:" + userId);
        }

        @Override
        public void userTranscript(String userId, String text) {
            transcripts.add(System.nanoTime());
            event("transcript:" + text);
        }

        @Override
        public void agentAnswer(long roundId, String text) {
            answers.add(roundId + ":" + text);
        }

        @Override
        public void roundStarted(long roundId) {
            started.add(roundId);
            event("round-start:" + roundId);
        }

        @Override
        public void agentSpeechStarted(long roundId) {
            firstWrites.put(roundId, new long[] {System.nanoTime(), sent()});
        }

        /** A paused round's audio stopped here (the cut that follows drops what the pause kept). */
        @Override
        public void agentPaused(long roundId) {
            paused.add(roundId);
            clears.add(new long[] {System.nanoTime(), sent()});
        }

        @Override
        public void interrupted(long roundId, InterruptTrigger trigger) {
            if (!paused.contains(roundId)) {
                clears.add(new long[] {System.nanoTime(), sent()});
            }
            interrupted.put(roundId, trigger);
            event("interrupted:" + roundId + ":" + trigger);
        }

        @Override
        public void roundEnded(RoundResult result) {
            ended.put(result.roundId(), result);
            event("round-end:" + result.roundId() + ":" + result.reason());
        }
    }

    @ParameterizedTest(name = "{0}, answer streaming={1}")
    @MethodSource("cases")
    void bargeInStopsTheAnswerOnTheWireAndStartsTheNextRound(InterruptMode mode, boolean streaming) throws Exception {
        byte[] speech = Files.readAllBytes(SPEECH);
        // Turn 1: the first labelled utterance (1500-2233 ms) with 1 s of the fixture's noise after it.
        byte[] turn1 = slice(speech, 1200, 3300);
        // Turn 2 (the barge-in): the second utterance (3733-4833 ms) and 0.9 s of noise.
        byte[] turn2 = slice(speech, 3500, 5700);
        Files.writeString(dir.resolve("answer.txt"), ANSWER_TEXT, StandardCharsets.UTF_8);
        AudioModalitiesServerConfig serverConfig = AudioModalitiesServerConfig.builder().port(0).pcmFile(ANSWER)
                .transcriptFile(dir.resolve("answer.txt"))
                .chunkInterval(streaming ? Duration.ofMillis(40) : Duration.ZERO).build();
        // Which 10 ms frame of the answer each frame the user hears is: round 1's tail after the
        // interrupt (late in the answer) is told apart from round 2's start (early in it).
        FrameIndex answerFrames = new FrameIndex(Files.readAllBytes(ANSWER), F);
        ConcurrentLinkedQueue<long[]> arrivals = new ConcurrentLinkedQueue<>(); // {nanos, answer frame or -1}
        AtomicLong arrived = new AtomicLong();
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("voice-agent");
        try (AudioModalitiesServer server = AudioModalitiesServer.start(serverConfig);
                RtcConnection userConn = s.createConnection();
                LocalAudioTrack userTrack = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(1000))) {
            AudioModalitiesClient client = new AudioModalitiesClient(
                    OpenAiConfig.builder().baseUri(server.baseUri()).apiKey("local-test").build());
            Recorder rec = new Recorder();
            userConn.localUser().setRemoteAudioListener((c, from, frame) -> {
                arrivals.add(new long[] {System.nanoTime(), answerFrames.indexOf(frame.data())});
                arrived.incrementAndGet();
            });
            AgentSession.Builder b = AgentSession.builder().audioLlm(client).interruptMode(mode).listener(rec);
            if (mode == InterruptMode.ASR_ACTIVATION) {
                b.stt(new ScriptedSpeechToText("what is the weather", "stop, thanks"));
            }
            AgoraTransport transport = AgoraTransport.join(s, "", channel, "agent");
            rec.agentTrack = transport.output().track();
            try (AgentSession agent = b.build().start(transport)) {
                userConn.connect("", channel, "caller");
                userConn.localUser().publishAudio(userTrack);

                userTrack.sender().send(turn1, F);
                assertThat(TestNative.await(() -> arrived.get() >= 80, Duration.ofSeconds(8)))
                        .as("0.8 s of the answer reached the user; events %s", rec.events).isTrue();
                assertThat(rec.started).containsExactly(1L);

                userTrack.sender().send(turn2, F);
                assertThat(TestNative.await(() -> rec.firstWrites.containsKey(2L), Duration.ofSeconds(8)))
                        .as("round 2 wrote audio; events %s", rec.events).isTrue();
                long[] firstWrite2 = rec.firstWrites.get(2L);
                long arrivedAtRound2 = arrived.get();
                assertThat(TestNative.await(() -> arrived.get() >= arrivedAtRound2 + 20, Duration.ofSeconds(3)))
                        .as("round 2's answer reaches the user").isTrue();
                assertThat(TestNative.await(() -> rec.ended.containsKey(1L), Duration.ofSeconds(2))).isTrue();

                // Round ids and the interrupt's trigger.
                assertThat(rec.started).containsExactly(1L, 2L);
                InterruptTrigger expected = mode == InterruptMode.VOICE_ACTIVATION ? InterruptTrigger.VOICE_ACTIVATION
                        : InterruptTrigger.ASR_ACTIVATION;
                assertThat(rec.interrupted).as("events %s", rec.events).containsEntry(1L, expected);
                RoundResult r1 = rec.ended.get(1L);
                assertThat(r1.reason()).isEqualTo(RoundEndReason.INTERRUPTED);
                assertThat(r1.trigger()).isEqualTo(expected);
                assertThat(r1.latency().firstLlmToken()).isPresent();
                assertThat(r1.latency().firstAudio()).isPresent();
                assertThat(r1.latency().firstFrameSent()).isPresent();

                // Exactly one interrupt cut round 1, before round 2's first write.
                assertThat(rec.clears).hasSize(1);
                long[] clear = rec.clears.get(0);
                assertThat(clear[0]).isLessThan(firstWrite2[0]);
                long[] start2 = rec.speechStarts.get(1);
                if (mode == InterruptMode.VOICE_ACTIVATION) {
                    assertThat(rec.events.indexOf("interrupted:1:VOICE_ACTIVATION"))
                            .as("interrupted at the VAD start, before the barge-in ended: %s", rec.events)
                            .isLessThan(rec.events.lastIndexOf("speech-end:caller"));
                } else {
                    assertThat(clear[0]).as("interrupted at the recognized text, not at the VAD start")
                            .isGreaterThan(rec.transcripts.get(1));
                    assertThat(clear[1]).as("the answer kept playing between the VAD start and the text")
                            .isGreaterThan(start2[1] + 50);
                }

                // On the wire: no frame of round 1 transmitted after the interrupt returned.
                long staleFrames = firstWrite2[1] - clear[1];
                long staleBytes = staleFrames * F.bytesPerFrame();
                // The last frame of round 1 the user heard: the newest arrival carrying a frame at or
                // after the one playing at the interrupt (round 2 restarts at frame 0 and is far behind).
                long playingAtClear = arrivals.stream().filter(a -> a[0] <= clear[0] && a[1] >= 0)
                        .mapToLong(a -> a[1]).max().orElseThrow();
                assertThat(playingAtClear).as("answer frame playing at the interrupt").isGreaterThan(60);
                long lastOfRound1 = arrivals.stream().filter(a -> a[1] >= playingAtClear - 2)
                        .mapToLong(a -> a[0]).max().orElseThrow();
                double silenceMs = Math.max(0, lastOfRound1 - clear[0]) / 1e6;
                RoundResult done1 = r1;
                System.out.printf("voice-agent e2e %s streaming=%s: interrupt_to_silence_ms=%.1f "
                        + "stale_bytes_after_interrupt=%d round1 first_audio_ms=%d first_frame_sent_ms=%d "
                        + "speech_start_to_interrupt_ms=%.1f%n", mode, streaming, silenceMs, staleBytes,
                        done1.latency().toFirstAudio().toMillis(), done1.latency().toFirstFrameSent().toMillis(),
                        (clear[0] - start2[0]) / 1e6);
                assertThat(staleBytes).as("stale_bytes_after_interrupt").isZero();

                // Every event ran on the session's executor (a pool thread of the service), none on the
                // pacer thread, an SDK thread or an I/O thread.
                assertThat(rec.threads).allMatch(t -> t.startsWith("agora-events-"), "session executor threads");

                // The conversation history: two user turns and the first answer.
                List<ChatMessage> history = agent.history();
                assertThat(history).filteredOn(m -> m.role().equals("user")).hasSize(2);
                // Round 1 was cut after a second or so of its 8.5 s: the history keeps the words the user
                // heard (the transcript's share that matches the share of the audio played, the audio's
                // length estimated from the text while it still streams).
                String heard1 = r1.heard();
                assertThat(r1.answer()).isEqualTo(ANSWER_TEXT);
                assertThat(r1.played()).isNotNull().isBetween(Duration.ofMillis(500), Duration.ofMillis(5000));
                assertThat(ANSWER_TEXT).startsWith(heard1);
                assertThat(heard1).isNotEmpty();
                if (mode == InterruptMode.VOICE_ACTIVATION) {
                    assertThat(heard1).as("cut at the voice-activated interrupt").isNotEqualTo(ANSWER_TEXT);
                }
                assertThat(rec.answers).contains("1:" + heard1);
                assertThat(history).contains(ChatMessage.assistant(heard1));
                if (mode == InterruptMode.ASR_ACTIVATION) {
                    assertThat(history.get(0)).isEqualTo(ChatMessage.user("what is the weather"));
                }
            }
            // Closing the session cuts round 2 (its request if still streaming, its queued audio anyway)
            // and releases what the transport created: the connection left, the track is gone.
            assertThat(rec.ended.get(2L).reason()).isEqualTo(RoundEndReason.INTERRUPTED);
            assertThat(rec.interrupted).containsEntry(2L, InterruptTrigger.CLOSE);
            assertThat(rec.started).containsExactly(1L, 2L);
            assertThat(transport.connection().isClosed()).isTrue();
            assertThat(rec.agentTrack.isClosed()).isTrue();
        }
    }

    private static byte[] slice(byte[] pcm, int fromMs, int toMs) {
        return Arrays.copyOfRange(pcm, (int) F.bytesFor(fromMs), (int) F.bytesFor(toMs));
    }
}
