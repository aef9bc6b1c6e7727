package io.voiceagent.examples.bench;

import io.voiceagent.examples.BadInputException;
import io.voiceagent.examples.Resources;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.agent.AgoraTransport;
import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.llm.AudioModalitiesClient;
import io.voiceagent.core.server.AudioModalitiesServer;
import io.voiceagent.core.server.AudioModalitiesServerConfig;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.stt.Transcript;
import io.voiceagent.core.agent.InterruptMode;
import io.voiceagent.core.agent.InterruptTrigger;
import io.voiceagent.core.agent.RoundResult;
import io.voiceagent.testing.FrameIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Barge-in benchmark on the loopback library: an {@link AgentSession} and a simulated user in one
 * process. The user speaks (recorded speech from {@code test_data}), the agent answers from the
 * local audio-modalities server (8.5 s of speech), and once the answer is playing the user speaks
 * again, N times in a row. Each barge-in is measured on the wire: frames the agent's track
 * transmitted between the interrupt and the next round's first write (stale bytes, must be 0),
 * and the time from the interrupt to the last frame of the interrupted answer reaching the user. The
 * frames already in the user's jitter buffer at the interrupt (sent before it, so no sender can take
 * them back) are reported beside it: each is 10 ms of that time.
 * Prints progress on stderr and one final JSON line on stdout.
 */
@Command(name = "interrupt", mixinStandardHelpOptions = true,
        description = "Repeat a barge-in N times against a voice agent on the loopback library; prints one JSON line with "
                + "interrupt_to_silence_ms, stale_bytes_after_interrupt and round latencies.")
public final class BenchInterruptCommand implements Callable<Integer> {

    @Option(names = "--iterations", defaultValue = "20", description = "barge-ins (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--interrupt-mode", defaultValue = "VOICE_ACTIVATION",
            description = "VOICE_ACTIVATION or ASR_ACTIVATION (a scripted recognizer answers in 40 ms). Default: ${DEFAULT-VALUE}")
    InterruptMode mode;

    @Option(names = "--burst", description = "the server sends the whole answer at once (round completed, queued audio "
            + "dropped) instead of streaming it in real time (round open, request cancelled)")
    boolean burst;

    @Option(names = "--speech", defaultValue = "test_data/real_gaps_16k_1ch.pcm", description = "user speech fixture")
    Path speechFile;

    @Option(names = "--answer-pcm", defaultValue = "test_data/hello_16k_1ch.pcm", description = "the agent's answer")
    Path answerFile;

    private static final PcmFormat F = PcmFormat.MONO_16K;

    /**
     * Measurements recorded by the session's events. They run on the session's executor, in line with
     * its writes and its interrupts, so a frame counter read here is exact: the reading in
     * {@code interrupted} is taken right after the interrupted round's audio was dropped, the one in
     * {@code agentSpeechStarted} right before the next round's first write. All times System.nanoTime().
     */
    private static final class Probe implements AgentSessionListener {
        volatile LocalAudioTrack track;
        volatile RtcConnection receiver;                                     // the user's connection
        volatile String agentUid;
        final List<long[]> clears = new CopyOnWriteArrayList<>();  // audio stopped: {nanos, framesSent, jbQueued, jbTarget}
        final java.util.Set<Long> paused = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final Map<Long, long[]> firstWrites = new ConcurrentHashMap<>();     // round -> {nanos, framesSent}
        final Map<Long, RoundResult> ended = new ConcurrentHashMap<>();
        final Map<Long, InterruptTrigger> interrupted = new ConcurrentHashMap<>();

        @Override
        public void agentSpeechStarted(long roundId) {
            firstWrites.put(roundId, new long[] {System.nanoTime(), LoopbackDiagnostics.framesSent(track)});
        }

        /** A paused round's audio stopped here (the cut that follows drops what the pause kept). */
        @Override
        public void agentPaused(long roundId) {
            paused.add(roundId);
            clears.add(stopped());
        }

        @Override
        public void interrupted(long roundId, InterruptTrigger trigger) {
            if (!paused.contains(roundId)) {
                clears.add(stopped());
            }
            interrupted.put(roundId, trigger);
        }

        /** What the agent's output and the user's jitter buffer hold the moment the agent's audio stopped. */
        private long[] stopped() {
            long now = System.nanoTime();
            return new long[] {now, LoopbackDiagnostics.framesSent(track),
                    LoopbackDiagnostics.jitterBufferQueued(receiver, agentUid),
                    LoopbackDiagnostics.jitterBufferTarget(receiver, agentUid)};
        }

        @Override
        public void roundEnded(RoundResult result) {
            ended.put(result.roundId(), result);
        }
    }

    @Override
    public Integer call() throws Exception {
        BadInputException.atLeast("--iterations", iterations, 1);
        Path speechPath = Resources.find("--speech", speechFile);
        Path answerPath = Resources.find("--answer-pcm", answerFile);
        if (!LoopbackDiagnostics.isAvailable()) {
            throw new IllegalStateException("bench interrupt runs on the loopback library (unset AGORA_SDK_HOME)");
        }
        byte[] speech = Files.readAllBytes(speechPath);
        byte[] answer = Files.readAllBytes(answerPath);
        byte[] firstTurn = slice(speech, 1200, 3300);  // labelled utterance 1500-2233 ms + 1 s of noise
        byte[] bargeIn = slice(speech, 3500, 5700);    // labelled utterance 3733-4833 ms + 0.9 s of noise
        FrameIndex answerFrames = new FrameIndex(answer, F);
        Path transcript = Files.createTempFile("bench-interrupt", ".txt");
        Files.writeString(transcript, "Hello from the bench.", StandardCharsets.UTF_8);
        ConcurrentLinkedQueue<long[]> arrivals = new ConcurrentLinkedQueue<>(); // {nanos, answer frame or -1}
        AtomicLong arrived = new AtomicLong();
        String channel = "bench-interrupt-" + ProcessHandle.current().pid();
        Stats.Samples silence = new Stats.Samples();
        Stats.Samples jitterQueued = new Stats.Samples();
        long staleBytes = 0;
        int measured = 0;
        Probe probe = new Probe();
        AgentSession.Builder b = AgentSession.builder().interruptMode(mode).listener(probe);
        if (mode == InterruptMode.ASR_ACTIVATION) {
            SpeechToText scripted = (pcm, format) -> CompletableFuture.supplyAsync(() -> new Transcript("barge in"),
                    CompletableFuture.delayedExecutor(40, TimeUnit.MILLISECONDS));
            b.stt(scripted);
        }
        try (AudioModalitiesServer server = AudioModalitiesServer.start(AudioModalitiesServerConfig.builder().port(0)
                    .pcmFile(answerPath).transcriptFile(transcript)
                    .chunkInterval(burst ? Duration.ZERO : Duration.ofMillis(40)).build());
                AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId("bench").build());
                RtcConnection userConn = service.createConnection();
                LocalAudioTrack userTrack = service.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(1000))) {
            userConn.localUser().setRemoteAudioListener((c, from, frame) -> {
                arrivals.add(new long[] {System.nanoTime(), answerFrames.indexOf(frame.data())});
                arrived.incrementAndGet();
            });
            b.audioLlm(new AudioModalitiesClient(OpenAiConfig.builder().baseUri(server.baseUri()).apiKey("bench").build()));
            AgoraTransport transport = AgoraTransport.join(service, "", channel, "agent");
            probe.track = transport.output().track();
            probe.receiver = userConn;
            probe.agentUid = "agent";
            try (AgentSession agent = b.build().start(transport)) {
                userConn.connect("", channel, "caller");
                userConn.localUser().publishAudio(userTrack);
                userTrack.sender().send(firstTurn, F);
                for (long round = 1; round <= iterations; round++) {
                    long r = round;
                    if (!await(() -> probe.firstWrites.containsKey(r), Duration.ofSeconds(10))) {
                        throw new IllegalStateException("round " + r + " never wrote audio");
                    }
                    long at = arrived.get();
                    await(() -> arrived.get() >= at + 60, Duration.ofSeconds(5)); // 0.6 s of the answer heard
                    userTrack.sender().send(bargeIn, F);
                    if (!await(() -> probe.firstWrites.containsKey(r + 1), Duration.ofSeconds(10))) {
                        throw new IllegalStateException("round " + (r + 1) + " never wrote audio");
                    }
                    long[] next = probe.firstWrites.get(r + 1);
                    long[] clear = null;
                    for (long[] c : probe.clears) {
                        if (c[0] < next[0]) {
                            clear = c;
                        }
                    }
                    if (clear == null || clear[0] < probe.firstWrites.get(r)[0]) {
                        throw new IllegalStateException("round " + r + " was not interrupted before round " + (r + 1));
                    }
                    staleBytes += (next[1] - clear[1]) * F.bytesPerFrame();
                    long tail = tailNanos(arrivals, probe.firstWrites.get(r)[0], clear[0]);
                    silence.add(tail);
                    jitterQueued.add((long) clear[2]);
                    measured++;
                    System.err.printf("barge-in %d/%d: interrupt_to_silence %.1f ms, stale frames %d, "
                            + "frames in the receiver's jitter buffer %d (depth %d)%n", r, iterations, tail / 1e6,
                            next[1] - clear[1], clear[2], clear[3]);
                }
            }
        }
        Stats.Samples firstAudio = new Stats.Samples();
        Stats.Samples firstFrame = new Stats.Samples();
        Stats.Samples firstToken = new Stats.Samples();
        long triggered = 0;
        for (RoundResult r : probe.ended.values()) {
            r.latency().firstAudio().ifPresent(d -> firstAudio.add(d.toNanos()));
            r.latency().firstFrameSent().ifPresent(d -> firstFrame.add(d.toNanos()));
            r.latency().firstLlmToken().ifPresent(d -> firstToken.add(d.toNanos()));
        }
        InterruptTrigger expected = mode == InterruptMode.VOICE_ACTIVATION ? InterruptTrigger.VOICE_ACTIVATION
                : InterruptTrigger.ASR_ACTIVATION;
        for (long r = 1; r <= iterations; r++) {
            if (probe.interrupted.get(r) == expected) {
                triggered++;
            }
        }
        System.out.println("{\"bench\":\"interrupt\",\"iterations\":" + measured + ",\"interrupt_mode\":\"" + mode
                + "\",\"answer\":\"" + (burst ? "burst" : "streaming") + "\""
                + ",\"interrupt_to_silence_ms\":{\"p50\":" + Stats.ms(silence.percentile(50)) + ",\"p99\":"
                + Stats.ms(silence.percentile(99)) + ",\"max\":" + Stats.ms(silence.max()) + "}"
                + ",\"receiver_jitter_buffer_frames_at_interrupt\":{\"p50\":" + jitterQueued.percentile(50)
                + ",\"p99\":" + jitterQueued.percentile(99) + ",\"max\":" + jitterQueued.max() + "}"
                + ",\"stale_bytes_after_interrupt\":" + staleBytes
                + ",\"interrupts_by_" + expected.name().toLowerCase() + "\":" + triggered
                + ",\"round_latency_ms\":{\"end_of_speech_to_first_llm_token_p50\":" + Stats.ms(firstToken.percentile(50))
                + ",\"end_of_speech_to_first_audio_p50\":" + Stats.ms(firstAudio.percentile(50))
                + ",\"end_of_speech_to_first_frame_sent_p50\":" + Stats.ms(firstFrame.percentile(50))
                + ",\"end_of_speech_to_first_frame_sent_p99\":" + Stats.ms(firstFrame.percentile(99))
                + ",\"rounds\":" + probe.ended.size() + "}}");
        Files.deleteIfExists(transcript);
        return 0;
    }

    /**
     * The time from the interrupt at {@code clearNanos} to the last frame of the interrupted answer
     * reaching the user. That answer's frame playing at the interrupt is the last answer frame to
     * arrive before it (the previous round's tail may still arrive after {@code roundStartNanos}: in
     * ASR mode the next round starts with the interrupt); its tail is the frames that continue it.
     * Waits until {@link #TAIL_WINDOW_NANOS} after the interrupt, so a late tail is not missed (the
     * next round's first write can come a few milliseconds after the interrupt).
     */
    private static long tailNanos(ConcurrentLinkedQueue<long[]> arrivals, long roundStartNanos, long clearNanos)
            throws InterruptedException {
        long window = clearNanos + TAIL_WINDOW_NANOS;
        for (long now = System.nanoTime(); now < window; now = System.nanoTime()) {
            Thread.sleep(Math.max(1, (window - now) / 1_000_000));
        }
        long playing = -1;
        for (long[] a : arrivals) {
            if (a[0] > roundStartNanos && a[0] <= clearNanos && a[1] >= 0) {
                playing = a[1];
            }
        }
        long last = clearNanos;
        for (long[] a : arrivals) {
            if (a[0] > clearNanos && a[0] < window && a[1] > playing && a[1] <= playing + TAIL_MAX_FRAMES) {
                last = Math.max(last, a[0]);
            }
        }
        return last - clearNanos;
    }

    private static final long TAIL_WINDOW_NANOS = 300_000_000L;
    private static final int TAIL_MAX_FRAMES = 20; // a receiver holds at most 6 (LB_JB_MAX); the next answer starts at 0

    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    private static byte[] slice(byte[] pcm, int fromMs, int toMs) {
        return Arrays.copyOfRange(pcm, (int) F.bytesFor(fromMs), (int) F.bytesFor(toMs));
    }
}
