package io.voiceagent.examples.bench;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.llm.EchoChatClient;
import io.voiceagent.core.stt.SpeechStream;
import io.voiceagent.core.stt.pocketsphinx.PocketSphinxConfig;
import io.voiceagent.core.stt.pocketsphinx.PocketSphinxStt;
import io.voiceagent.examples.BadInputException;
import io.voiceagent.examples.Resources;
import io.voiceagent.server.EmbeddedServer;
import io.voiceagent.server.web.WebConsole;
import io.voiceagent.server.web.WebConsoleConfig;
import io.voiceagent.server.web.WebSessionClient;
import io.voiceagent.server.web.WebSessionClient.Received;
import io.voiceagent.testing.Scheduler;
import io.voiceagent.testing.ScriptedStreamingStt;
import io.voiceagent.testing.ScriptedStreamingStt.Partial;
import io.voiceagent.testing.ScriptedStreamingStt.Utterance;
import io.voiceagent.testing.ScriptedTts;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * WebSocket voice sessions under load, in one process: a {@link WebConsole} on an embedded Jetty,
 * and N simulated clients (the JDK's WebSocket, {@link WebSessionClient}) that talk in real time.
 * Each client speaks a recorded utterance in 20 ms blocks, the server's Silero VAD ends the turn,
 * a scripted streaming STT stand-in answers "what is the weather" 50 ms after the end, the echo
 * responder streams its answer, a scripted TTS speaks it (50 ms of PCM per character, first chunk
 * after 30 ms) and the pacer sends it back. Every other round the client interrupts 400 ms into the
 * answer; the others play to {@code tts_end}. Then PocketSphinx's own capacity is measured alone.
 *
 * <p>Figures: {@code first_audio_ms} = from the client's last voiced block of the utterance to the
 * first binary message of the answer (VAD hangover included); {@code interrupt_to_tts_stop_ms} =
 * from sending {@code interrupt} to receiving {@code tts_stop}; a chunk is late when it arrives
 * after its playout time for a client that starts playing the first chunk on arrival (the server
 * sends 100 ms ahead, so a chunk is late when it is delayed by more than that lead);
 * {@code cpu_ms_per_session_second} = process CPU (server and clients) per session per second;
 * {@code server_cpu_ms_per_session_second} the same without the clients' threads (JDK HttpClient
 * workers, microphone ticks; GC and JIT threads stay in).
 * Prints one JSON line.
 */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = "N simulated WebSocket clients talking in real time to the web session server; prints one JSON line.")
public final class BenchWebCommand implements Callable<Integer> {
    private static final PcmFormat F = PcmFormat.MONO_16K;
    /** The utterance: test_data/real_gaps 1200-3300 ms; the voiced part ends 1033 ms in. */
    private static final int UTTERANCE_FROM_MS = 1200;
    private static final int UTTERANCE_TO_MS = 3300;
    private static final int VOICED_END_MS = 1033;

    @Option(names = "--sessions", defaultValue = "50", description = "simulated clients (default: ${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--seconds", defaultValue = "30", description = "measured run after all clients joined (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "5",
            description = "unmeasured seconds after all clients joined (JIT, first rounds; default: ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--block-ms", defaultValue = "20", description = "microphone block length (default: ${DEFAULT-VALUE})")
    int blockMs;

    @Option(names = "--pocketsphinx-seconds", defaultValue = "10",
            description = "CPU seconds of the PocketSphinx capacity run (0 = skip; default: ${DEFAULT-VALUE})")
    int pocketsphinxSeconds;

    @Option(names = "--utterance", defaultValue = "test_data/real_gaps_16k_1ch.pcm",
            description = "16 kHz mono PCM; the client speaks its 1.2-3.3 s part (default: ${DEFAULT-VALUE})")
    Path utterance;

    /** One simulated client; the observer runs on the JDK client's threads, the mic on the scheduler. */
    private final class Client {
        final WebSessionClient ws;
        final byte[] pcm;
        private final Object lock = new Object();
        // guarded by lock
        int block = -1; // next block to send; -1 = silent
        long voicedEndSentNanos;
        boolean awaitingFirstAudio;
        boolean interruptRound;
        long interruptSentNanos;
        boolean inRound;
        long roundFirstAudioNanos;
        long roundBytes;
        int round;
        long late;
        long maxLateNanos;
        ScheduledFuture<?> mic;

        Client(WebSessionClient ws, byte[] pcm) {
            this.ws = ws;
            this.pcm = pcm;
        }

        void resetLate() {
            synchronized (lock) {
                late = 0;
                maxLateNanos = 0;
            }
        }

        void speak() {
            synchronized (lock) {
                block = 0;
                round++;
                interruptRound = round % 2 == 0;
            }
        }

        /** Every block period: the next block of the utterance, if speaking. */
        void tick(int blockBytes) {
            int b;
            synchronized (lock) {
                if (block < 0) {
                    return;
                }
                b = block++;
                if (b * blockBytes >= pcm.length) {
                    block = -1;
                    return;
                }
                if ((b + 1) * blockMs >= VOICED_END_MS && !awaitingFirstAudio && (b * blockMs) < VOICED_END_MS) {
                    voicedEndSentNanos = System.nanoTime();
                    awaitingFirstAudio = true;
                }
            }
            int n = Math.min(blockBytes, pcm.length - b * blockBytes);
            ws.sendAudio((long) b * blockMs, WebSessionClient.flags(0, false, b == 0), pcm, b * blockBytes, n);
        }

        void onMessage(Received r) {
            boolean sendInterrupt = false;
            boolean next = false;
            synchronized (lock) {
                if (r.isAudio()) {
                    if (!inRound) {
                        return;
                    }
                    if (awaitingFirstAudio) {
                        awaitingFirstAudio = false;
                        record(firstAudio, r.atNanos() - voicedEndSentNanos);
                        roundFirstAudioNanos = r.atNanos();
                        roundBytes = 0;
                        sendInterrupt = interruptRound;
                    } else {
                        long due = roundFirstAudioNanos + roundBytes * 1_000_000_000L / F.bytesPerSecond();
                        long lateBy = r.atNanos() - due;
                        if (lateBy > 0) {
                            late++;
                            maxLateNanos = Math.max(maxLateNanos, lateBy);
                        }
                    }
                    roundBytes += r.pcm().length;
                }
                switch (r.isAudio() ? "" : r.type()) {
                    case "tts_start" -> {
                        inRound = true;
                        ttsStarts.incrementAndGet();
                    }
                    case "tts_stop" -> {
                        ttsStops.incrementAndGet();
                        if (interruptSentNanos > 0) {
                            record(interruptToStop, r.atNanos() - interruptSentNanos);
                            interruptSentNanos = 0;
                        }
                        inRound = false;
                        next = true;
                    }
                    case "tts_end" -> {
                        inRound = false;
                        completedRounds.incrementAndGet();
                        next = true;
                    }
                    case "error" -> errors.incrementAndGet();
                    default -> {
                    }
                }
            }
            if (sendInterrupt) {
                scheduler.schedule(() -> {
                    synchronized (lock) {
                        if (!inRound) {
                            return;
                        }
                        interruptSentNanos = System.nanoTime();
                    }
                    ws.interrupt();
                }, 400, TimeUnit.MILLISECONDS);
            }
            if (next && running) {
                scheduler.schedule(this::speak, 300, TimeUnit.MILLISECONDS);
            }
        }
    }

    private synchronized void record(Stats.Samples samples, long nanos) {
        samples.add(nanos);
    }

    private final Stats.Samples firstAudio = new Stats.Samples();
    private final Stats.Samples interruptToStop = new Stats.Samples();
    private final AtomicLong completedRounds = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong ttsStarts = new AtomicLong();
    private final AtomicLong ttsStops = new AtomicLong();
    private volatile boolean running = true;
    private ScheduledExecutorService scheduler;

    @Override
    public Integer call() throws Exception {
        BadInputException.atLeast("--sessions", sessions, 1);
        BadInputException.atLeast("--seconds", seconds, 1);
        if (blockMs < 10 || blockMs > 200 || blockMs % 10 != 0) {
            throw new BadInputException("--block-ms", blockMs, "must be a multiple of 10 in 10..200");
        }
        byte[] all = Files.readAllBytes(Resources.find("--utterance", utterance));
        byte[] speech = Arrays.copyOfRange(all, (int) F.bytesFor(UTTERANCE_FROM_MS), (int) F.bytesFor(UTTERANCE_TO_MS));

        String pocketsphinx = pocketsphinxSeconds > 0 ? pocketSphinxCapacity(all) : "null";

        ScheduledExecutorService io = Executors.newScheduledThreadPool(2, daemon("bench-web-providers-"));
        scheduler = Executors.newScheduledThreadPool(2, daemon("bench-web-clients-"));
        Scheduler providers = Scheduler.onThreads(io);
        Utterance[] script = new Utterance[10_000];
        Arrays.fill(script, Utterance.of("what is the weather", Partial.at(300, "what is")));
        ScriptedTts tts = new ScriptedTts(providers, Duration.ofMillis(30), Duration.ofMillis(20), Duration.ofMillis(200),
                t -> Duration.ofMillis(50L * t.length()), t -> 1000);
        EchoChatClient echo = new EchoChatClient(Duration.ofMillis(5));
        WebConsoleConfig config = WebConsoleConfig.builder().maxSessions(sessions).build();
        List<Client> clients = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        long cpuStart;
        long wallStart;
        try (WebConsole console = WebConsole.create(config, (id, session) -> session
                .stt(new ScriptedStreamingStt(providers, Duration.ofMillis(50), script)).llm(echo).tts(tts));
                EmbeddedServer server = console.install(EmbeddedServer.builder().port(0).maxThreads(64)).build().start()) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
            int blockBytes = (int) F.bytesFor(blockMs);
            for (int i = 0; i < sessions; i++) {
                Client c = new Client(WebSessionClient.connect(http, uri, Duration.ofSeconds(10)), speech);
                c.ws.observe(c::onMessage);
                c.ws.start();
                clients.add(c);
                // Spread the clients' block ticks and first utterances over the first 2 s.
                long offset = (long) i * 2000 / sessions;
                c.mic = scheduler.scheduleAtFixedRate(() -> c.tick(blockBytes), offset, blockMs, TimeUnit.MILLISECONDS);
                scheduler.schedule(c::speak, offset, TimeUnit.MILLISECONDS);
            }
            System.err.printf("bench web: %d clients connected; measuring %d s%n", sessions, seconds);
            Thread.sleep(Math.max(2, warmupSeconds) * 1000L); // every client has started its first utterance
            synchronized (this) {
                firstAudio.clear();
                interruptToStop.clear();
            }
            clients.forEach(Client::resetLate);
            completedRounds.set(0);
            ttsStarts.set(0);
            ttsStops.set(0);
            java.util.Map<String, Long> groupsStart = ProcessProbe.cpuByThreadGroup();
            cpuStart = Stats.processCpuNanos();
            wallStart = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            running = false;
            long cpu = Stats.processCpuNanos() - cpuStart;
            long wall = System.nanoTime() - wallStart;
            java.util.Map<String, Long> groups = ProcessProbe.delta(groupsStart, ProcessProbe.cpuByThreadGroup(), wall);
            // The simulated clients' threads: the JDK HttpClient's and the microphone ticks.
            long clientCpu = groups.entrySet().stream().filter(e -> e.getKey().startsWith("HttpClient")
                    || e.getKey().startsWith("bench-web-clien")).mapToLong(java.util.Map.Entry::getValue).sum();
            clients.forEach(c -> c.mic.cancel(false));
            groups.forEach((g, ns) -> System.err.printf("cpu %-16s %.3f cores%n", g, ns / (double) wall));
            print(clients, cpu, clientCpu, wall, pocketsphinx);
            clients.forEach(c -> c.ws.abort());
        } finally {
            scheduler.shutdownNow();
            io.shutdownNow();
        }
        return 0;
    }

    private void print(List<Client> clients, long cpu, long clientCpu, long wall, String pocketsphinx) {
        long sustained = 0;
        long lateChunks = 0;
        long maxLate = 0;
        for (Client c : clients) {
            synchronized (c.lock) {
                if (c.late == 0) {
                    sustained++;
                }
                lateChunks += c.late;
                maxLate = Math.max(maxLate, c.maxLateNanos);
            }
        }
        Stats.Samples fa;
        Stats.Samples is;
        synchronized (this) {
            fa = firstAudio;
            is = interruptToStop;
        }
        double seconds = wall / 1e9;
        System.out.println("{\"bench\":\"web\",\"sessions\":" + sessions + ",\"seconds\":" + Stats.num(seconds)
                + ",\"block_ms\":" + blockMs
                + ",\"sessions_without_late_audio\":" + sustained + ",\"late_chunks\":" + lateChunks
                + ",\"max_late_ms\":" + Stats.ms(maxLate)
                + ",\"rounds_completed\":" + completedRounds.get() + ",\"interrupts\":" + is.size()
                + ",\"tts_starts\":" + ttsStarts.get() + ",\"tts_stops\":" + ttsStops.get()
                + ",\"first_audio_ms\":{\"p50\":" + Stats.ms(fa.percentile(50)) + ",\"p95\":" + Stats.ms(fa.percentile(95))
                + ",\"n\":" + fa.size() + "}"
                + ",\"interrupt_to_tts_stop_ms\":{\"p50\":" + Stats.ms(is.percentile(50)) + ",\"p99\":"
                + Stats.ms(is.percentile(99)) + ",\"max\":" + Stats.ms(is.max()) + "}"
                + ",\"errors\":" + errors.get()
                + ",\"cores_used\":" + Stats.num(cpu / (double) wall)
                + ",\"cpu_ms_per_session_second\":" + Stats.num(cpu / 1e6 / seconds / sessions)
                + ",\"client_threads_cores\":" + Stats.num(clientCpu / (double) wall)
                + ",\"server_cpu_ms_per_session_second\":" + Stats.num((cpu - clientCpu) / 1e6 / seconds / sessions)
                + ",\"pocketsphinx\":" + pocketsphinx + "}");
    }

    /** Decodes the fixture in 10 ms writes, utterance after utterance, on one decoder; CPU per audio second. */
    private String pocketSphinxCapacity(byte[] pcm) throws Exception {
        if (!PocketSphinxStt.isAvailable()) {
            return "{\"error\":\"" + PocketSphinxStt.unavailableReason().replace("\"", "'") + "\"}";
        }
        try (PocketSphinxStt stt = PocketSphinxStt.create(PocketSphinxConfig.builder().maxDecoders(1).build())) {
            long audioNanos = 0;
            long cpu0 = Stats.processCpuNanos();
            long wall0 = System.nanoTime();
            while (Stats.processCpuNanos() - cpu0 < pocketsphinxSeconds * 1_000_000_000L) {
                SpeechStream s = stt.startStream(F, t -> { });
                for (int off = 0; off + F.bytesPerFrame() <= pcm.length; off += F.bytesPerFrame()) {
                    s.write(pcm, off, F.bytesPerFrame());
                }
                s.finish().get(60, TimeUnit.SECONDS);
                audioNanos += F.durationMillis(pcm.length) * 1_000_000L;
            }
            long cpu = Stats.processCpuNanos() - cpu0;
            long wall = System.nanoTime() - wall0;
            double rtf = cpu / (double) audioNanos;
            return "{\"audio_seconds\":" + Stats.num(audioNanos / 1e9) + ",\"cpu_seconds\":" + Stats.num(cpu / 1e9)
                    + ",\"wall_seconds\":" + Stats.num(wall / 1e9) + ",\"realtime_factor\":" + Stats.num(rtf)
                    + ",\"streams_per_core\":" + Stats.num(1 / rtf) + "}";
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        return io.voiceagent.core.concurrent.DaemonThreads.named(prefix);
    }
}
