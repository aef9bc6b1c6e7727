package io.voiceagent.examples.bench;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.agent.AgoraTransport;
import io.voiceagent.agora.pool.ConnectionPool;
import io.voiceagent.agora.pool.ConnectionPoolConfig;
import io.voiceagent.core.agent.InMemoryTransport;
import io.voiceagent.core.agent.SessionExecutor;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.duet.Duet;
import io.voiceagent.core.duet.DuetAgent;
import io.voiceagent.core.duet.DuetRole;
import io.voiceagent.core.duet.ScriptedDuetResponder;
import io.voiceagent.core.duet.VoiceCatalog;
import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.pacing.PcmSink;
import io.voiceagent.core.stt.Transcript;
import io.voiceagent.core.tts.EspeakNgTts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * N concurrent duets in one process, as the duet server runs them: each is two agent sessions on
 * in-memory transports paced in real time on the process's one pacer, with the scripted responder as
 * LLM (20 ms a word) and espeak-ng speaking (English for A, Spanish for B). Each agent's paced audio
 * plays on a simulated listener's timeline (each 10 ms frame plays after the previous one, or when it
 * arrives; a clear of the transport's buffer silences what was not played yet). Every
 * {@code --interrupt-every} seconds of a duet a typed user line cuts the current speaker off. With
 * {@code --rtc} the agents run on leases of one connection pool of the loopback library instead (each
 * duet in its own channel), and the timeline is what a listener in the channel receives.
 *
 * <p>Figures: {@code turn_gap_ms} = from the end of one agent's audio to the start of the other
 * agent's next audio on the timeline (gaps after a user interrupt excluded); {@code
 * interrupt_to_silence_ms} = from {@code userText} to the moment the interrupted agent's audio is
 * silenced on the timeline (in memory: its send buffer cleared, the frame playing then ends within
 * 10 ms more; over RTC: the end of the last frame of it the listener received);
 * {@code overlaps} = frames of one agent that started while a frame of the other agent of the duet was
 * playing (must be 0); {@code cpu_pct_per_duet} = CPU per duet as a share of one core (the JVM's and
 * the espeak-ng processes' it ran), and {@code cpu_ms_per_duet_second}; {@code espeak_cpu_cores} the
 * espeak-ng share. Prints one JSON line; exits 1 if the turn gap p95 misses {@code --target-gap-p95-ms}
 * or any frame overlapped.
 */
@Command(name = "duet", mixinStandardHelpOptions = true,
        description = "N concurrent duets (scripted LLMs, espeak-ng) on the real pacer; prints turn gap p50/p95, "
                + "interrupt -> silence p99 and CPU per duet as one JSON line.")
public final class BenchDuetCommand implements Callable<Integer> {
    private static final PcmFormat F = PcmFormat.MONO_16K;
    private static final long FRAME_NANOS = 10_000_000L;
    /** A pause this long in one agent's frames ends its turn (frames of a turn arrive every 10 ms). */
    private static final long NEW_TURN_GAP_NANOS = 150_000_000L;

    @Option(names = "--sessions", defaultValue = "20", description = "concurrent duets (default: ${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--seconds", defaultValue = "30", description = "measured duration (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "unmeasured start (default: ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--target-gap-p95-ms", defaultValue = "400", description = "exit 1 if the turn gap p95 is above "
            + "this, or any frames overlapped (default: ${DEFAULT-VALUE})")
    double targetGapP95Ms;

    @Option(names = "--rtc", description = "run the agents on leases of one connection pool (loopback library) and "
            + "measure at a listener in each channel, instead of in-memory transports")
    boolean rtc;

    @Option(names = "--interrupt-every", defaultValue = "7", description = "seconds between user interrupts of a duet "
            + "(0 = none; default: ${DEFAULT-VALUE})")
    int interruptEvery;

    /**
     * One duet's listener timeline (both agents), and its figures. In memory it is fed by the agents'
     * paced outputs (a frame plays after the previous one of its agent, or when it arrives); over RTC by
     * a listener in the channel (a frame plays when it arrives). Thread-safe (synchronized).
     */
    static final class Timeline {
        private final long[] endNanos = {Long.MIN_VALUE, Long.MIN_VALUE};
        private int lastRole = -1;
        private boolean afterInterrupt;
        private long interruptAt = -1;
        private int cutRole = -1;
        private long cutEnd;
        final Stats.Samples gaps = new Stats.Samples();
        final Stats.Samples silences = new Stats.Samples();
        long overlaps;
        long frames;
        volatile boolean measuring;

        PcmSink sink(int role) {
            return (data, off, len, format) -> frames(role, len / format.bytesPerFrame());
        }

        void frames(int role, int n) {
            frames(role, n, System.nanoTime());
        }

        /** {@code n} frames of {@code role} arrived at {@code now} (System.nanoTime). */
        synchronized void frames(int role, int n, long now) {
            int other = 1 - role;
            for (int i = 0; i < n; i++) {
                long start = Math.max(now, endNanos[role]);
                if (endNanos[other] > start && measuring) {
                    overlaps++;
                }
                if (lastRole == other && !afterInterrupt && measuring && start >= endNanos[role]) {
                    gaps.add(start - endNanos[other]);
                }
                boolean newTurnOfCut = role == cutRole && start - endNanos[role] > NEW_TURN_GAP_NANOS;
                if (interruptAt >= 0 && role == cutRole && !newTurnOfCut) {
                    cutEnd = start + FRAME_NANOS; // the cut agent's audio still reaching the listener
                } else if (interruptAt >= 0 && cutRole >= 0) {
                    // The other agent speaks, or the cut one starts a new turn after a gap: it was the
                    // agent the duet answered with (the user came as its audio was still arriving).
                    if (measuring) {
                        silences.add(Math.max(0, cutEnd - interruptAt)); // the next speaker: the cut one was silent
                    }
                    interruptAt = -1;
                }
                if (lastRole != role) {
                    afterInterrupt = false;
                }
                lastRole = role;
                endNanos[role] = start + FRAME_NANOS;
                frames++;
            }
        }

        /** The transport's buffer of {@code role} is cleared (in memory): what was not played yet is silenced. */
        void cleared(int role) {
            cleared(role, System.nanoTime());
        }

        synchronized void cleared(int role, long now) {
            if (interruptAt >= 0 && role == cutRole) {
                if (measuring) {
                    silences.add(now - interruptAt);
                }
                interruptAt = -1;
            }
            endNanos[role] = Math.min(endNanos[role], now);
        }

        /** A user line is about to cut the agent playing now, if any. */
        void interrupting() {
            interrupting(System.nanoTime());
        }

        synchronized void interrupting(long now) {
            interruptAt = now;
            cutRole = endNanos[0] > now ? 0 : endNanos[1] > now ? 1 : -1;
            cutEnd = cutRole >= 0 ? endNanos[cutRole] : now; // the frame playing now still plays out
            afterInterrupt = true;
        }

        synchronized boolean playing() {
            long now = System.nanoTime();
            return endNanos[0] > now || endNanos[1] > now;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (sessions < 1 || seconds < 1) {
            throw new IllegalArgumentException("--sessions and --seconds must be >= 1; got " + sessions + " and " + seconds);
        }
        new EspeakNgTts().checkInstalled();
        VoiceCatalog voices = VoiceCatalog.espeakNg();
        AudioPacer pacer = AudioPacer.start();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                DaemonThreads.named("bench-duet-"));
        List<Duet> duets = new ArrayList<>();
        List<AutoCloseable> rtcResources = new ArrayList<>(); // closed last, in reverse
        AgoraService service = rtc ? AgoraService.create(AgoraServiceConfig.builder().appId("bench-duet").build()) : null;
        ConnectionPool pool2 = rtc ? ConnectionPool.create(service, ConnectionPoolConfig.of(2 * sessions)) : null;
        if (rtc) {
            rtcResources.add(service);
            rtcResources.add(pool2);
        }
        List<Timeline> timelines = new ArrayList<>();
        java.util.concurrent.ScheduledExecutorService users = Executors.newSingleThreadScheduledExecutor(
                DaemonThreads.named("bench-duet-user-"));
        try {
            for (int i = 0; i < sessions; i++) {
                Timeline t = new Timeline();
                timelines.add(t);
                String name = "bench-duet-" + i;
                String channel = name + "-" + ProcessHandle.current().pid();
                if (rtc) {
                    RtcConnection listener = service.createConnection();
                    rtcResources.add(listener);
                    listener.localUser().setRemoteAudioListener((c, from, frame) -> {
                        if (from.equals("duet-a") || from.equals("duet-b")) {
                            t.frames(from.equals("duet-a") ? 0 : 1, 1);
                        }
                    });
                    listener.connect("", channel, "listener");
                }
                Duet d = Duet.builder().name(name)
                        .agent(DuetRole.A, DuetAgent.of("Alex", "A curious astronomer.", "en"))
                        .agent(DuetRole.B, DuetAgent.of("Sofía", "Una panadera alegre.", "es"))
                        .llm(ScriptedDuetResponder.create(java.time.Duration.ofMillis(20)))
                        .voices(voices)
                        .stt((pcm, format) -> CompletableFuture.completedFuture(new Transcript("")))
                        .maxTurns(10_000)
                        .executor(SessionExecutor.onPool(name, pool))
                        .transports(role -> {
                            int r = role.ordinal();
                            if (rtc) {
                                return AgoraTransport.lease(pool2, "", channel, role == DuetRole.A ? "duet-a" : "duet-b");
                            }
                            return InMemoryTransport.create(SessionExecutor.onPool(name + "-" + role, pool), pacer, F,
                                    AudioConsumerConfig.defaults(), t.sink(r), () -> t.cleared(r));
                        })
                        .ignoredUsers(java.util.Set.of("duet-a", "duet-b", "listener"))
                        .open();
                duets.add(d);
                d.start();
                if (interruptEvery > 0) {
                    long first = ThreadLocalRandom.current().nextLong(1000L * interruptEvery) + 2000;
                    users.scheduleAtFixedRate(() -> {
                        if (t.playing()) {
                            t.interrupting();
                            d.userText("Tell me about the moon.");
                        }
                    }, first, 1000L * interruptEvery, TimeUnit.MILLISECONDS);
                }
            }
            Thread.sleep(1000L * warmupSeconds); // the benchmark's own clock: unmeasured warm-up
            long cpu0 = Stats.processCpuNanos();
            long child0 = ProcessProbe.childrenCpuNanos();
            long wall0 = System.nanoTime();
            timelines.forEach(t -> t.measuring = true);
            Thread.sleep(1000L * seconds); // the measured window
            timelines.forEach(t -> t.measuring = false);
            long wall = System.nanoTime() - wall0;
            long jvmCpu = Stats.processCpuNanos() - cpu0;
            long childCpu = ProcessProbe.childrenCpuNanos() - child0;
            long cpu = jvmCpu + childCpu;

            Stats.Samples gaps = new Stats.Samples();
            Stats.Samples silences = new Stats.Samples();
            long overlaps = 0;
            for (Timeline t : timelines) {
                synchronized (t) {
                    gaps.addAll(t.gaps);
                    silences.addAll(t.silences);
                    overlaps += t.overlaps;
                }
            }
            double cores = (double) cpu / wall;
            System.out.println("{\"bench\":\"duet\",\"transport\":\"" + (rtc ? "rtc" : "memory") + "\",\"sessions\":" + sessions + ",\"seconds\":" + seconds
                    + ",\"cores\":" + Runtime.getRuntime().availableProcessors()
                    + ",\"turns\":" + gaps.size()
                    + ",\"turn_gap_ms\":{\"p50\":" + Stats.ms(gaps.percentile(50)) + ",\"p95\":"
                    + Stats.ms(gaps.percentile(95)) + ",\"max\":" + Stats.ms(gaps.max()) + "}"
                    + ",\"interrupts\":" + silences.size()
                    + ",\"interrupt_to_silence_ms\":{\"p50\":" + Stats.ms(silences.percentile(50)) + ",\"p99\":"
                    + Stats.ms(silences.percentile(99)) + ",\"max\":" + Stats.ms(silences.max()) + "}"
                    + ",\"overlaps\":" + overlaps
                    + ",\"cpu_pct_per_duet\":" + Stats.num(100 * cores / sessions)
                    + ",\"cpu_ms_per_duet_second\":" + Stats.num(cpu / 1e6 / sessions / (wall / 1e9))
                    + ",\"cpu_cores\":" + Stats.num(cores)
                    + ",\"espeak_cpu_cores\":" + Stats.num((double) childCpu / wall) + "}");
            System.out.flush();
            if (overlaps > 0 || gaps.percentile(95) / 1e6 > targetGapP95Ms) {
                System.err.println("target missed: turn gap p95 " + Stats.ms(gaps.percentile(95)) + " ms (target "
                        + targetGapP95Ms + "), overlaps " + overlaps);
                return 1;
            }
        } finally {
            users.shutdownNow();
            for (Duet d : duets) {
                d.close();
                d.executor().close();
            }
            for (int k = rtcResources.size() - 1; k >= 0; k--) {
                try {
                    rtcResources.get(k).close();
                } catch (Exception e) {
                    // Best effort at exit.
                }
            }
            pool.shutdownNow();
            pacer.close();
        }
        return 0;
    }
}
