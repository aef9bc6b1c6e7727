package io.voiceagent.examples.bench;

import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.examples.BadInputException;
import io.voiceagent.examples.Resources;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.agora.audio.AudioOutput;
import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.pool.ConnectionPool;
import io.voiceagent.agora.pool.ConnectionPoolConfig;
import io.voiceagent.agora.DataStream;
import io.voiceagent.agora.pool.Lease;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.pool.PoolMetrics;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.RtcConnectionListener;
import io.voiceagent.agora.SpeechListener;
import io.voiceagent.core.vad.VadOptions;
import io.voiceagent.core.audio.PcmAudio;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.vad.VadBatcher;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Connection-pool benchmark on the loopback library, in one process with one {@link AgoraService},
 * one {@link ConnectionPool} (the agent side), one shared {@link AudioPacer} and one shared
 * {@link VadBatcher#withDefaults()}. Two scenarios, each printing one final JSON line on stdout
 * (progress on stderr):
 *
 * <p><b>Load</b> ({@code --connections N --seconds S}): N leases at once, each in its own channel
 * with a simulated user (a plain, unpooled connection of the same process) that streams recorded
 * speech with pauses ({@code test_data/real_gaps_16k_1ch.pcm}, looped, each user starting at
 * another offset) at real-time pace through its own paced {@link AudioOutput}. The agent side runs
 * the per-user VAD and answers each {@code speechEnded} by pacing the utterance back on a
 * lease-owned track, so both directions carry audio. After {@code --warmup-seconds} the steady
 * window of S seconds is measured. Reported:
 * <ul>
 *   <li>{@code cpu_percent}: process CPU time over the steady window / (wall × available
 *       processors) × 100, i.e. of the whole machine; {@code cpu_by_thread_percent} splits it by
 *       thread group (from {@code /proc/self/task}, native threads included);</li>
 *   <li>{@code heap_mb}: used heap after the run with every lease still open, after a
 *       {@code System.gc()} hint; {@code rss_mb}: VmRSS at the end of the steady window;</li>
 *   <li>{@code pacing_underruns} = the paced consumers' {@code underruns()} on both sides (times a
 *       receiver ran dry mid-segment by the pacer's clock) + {@link LoopbackDiagnostics#underruns}
 *       of both receiving connections (10 ms play-out ticks that found nothing while the sender's
 *       stream was active); over the whole run, start-up included;</li>
 *   <li>{@code vad_dropped_frames} = event-queue overflow of the agent connections
 *       ({@link RtcConnection#droppedEvents()}) + frames the native side delivered to the agent
 *       connection but that never reached its executor (where the listener and the VAD take them)
 *       + frames of VAD windows the batcher had not scored 1.5 s after the users stopped
 *       (3.2 frames per 512-sample window), measured after that drain.</li>
 * </ul>
 *
 * <p><b>Churn</b> ({@code --churn CYCLES}): {@code --parallel} workers each repeat
 * acquire (connect) → connect a user → exchange {@code --exchange-frames} frames of audio each way
 * and one data-stream message → release, every cycle in a fresh channel, after
 * {@code --warmup-cycles} unmeasured cycles. Reported: {@code leaked_native_handles}
 * ({@link LoopbackDiagnostics#liveHandles()} after the run minus the baseline taken after the pool
 * started: service, factory and the pool's idle connections), {@code rss_drift_mb} and
 * {@code heap_drift_mb} (mean of the samples taken after each of the last 10 % of cycles minus
 * that of the first 10 %; VmRSS, and the heap in use after the most recent GC;
 * {@code used_heap_drift_mb} is the same for the used heap sampled as is, garbage included), the heap after a
 * {@code System.gc()} hint before and after the cycles, and {@code p99_acquire_ms} of
 * {@link ConnectionPool#acquire} (which includes joining the channel).
 */
@Command(name = "pool", mixinStandardHelpOptions = true,
        description = "Connection-pool benchmark: N concurrent agent leases with VAD and paced replies "
                + "(--connections/--seconds), or acquire/exchange/release churn (--churn); prints one JSON line.")
public final class BenchPoolCommand implements Callable<Integer> {
    /** Recorded speech with pauses, relative to the project root. */
    private static final Path DEFAULT_INPUT = Path.of("test_data", "real_gaps_16k_1ch.pcm");

    @Spec
    CommandSpec spec;

    @Option(names = "--connections", defaultValue = "100", description = "Concurrent leases (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--seconds", defaultValue = "30", description = "Measured steady seconds (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "10",
            description = "Unmeasured seconds before the steady window (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--churn", defaultValue = "0", description = "Run the churn scenario with this many cycles.")
    int churnCycles;

    @Option(names = "--parallel", defaultValue = "8",
            description = "Churn: concurrent workers, also the pool size (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--warmup-cycles", defaultValue = "200",
            description = "Churn: unmeasured cycles first (default ${DEFAULT-VALUE}).")
    int warmupCycles;

    @Option(names = "--exchange-frames", defaultValue = "5",
            description = "Churn: 10 ms frames sent each way per cycle (default ${DEFAULT-VALUE}).")
    int exchangeFrames;

    @Option(names = "--input", description = "16 kHz mono PCM16 speech with pauses (default test_data/real_gaps_16k_1ch.pcm).")
    Path input;

    private static final PcmFormat FORMAT = PcmFormat.MONO_16K;
    private static final int FRAME_BYTES = FORMAT.bytesPerFrame();
    /** Users' audio is pushed in chunks of this many ms, this often (with two chunks up front). */
    private static final int CHUNK_MS = 200;
    private static final long DRAIN_MS = 1500;
    private static final long EXCHANGE_TIMEOUT_MS = 5000;

    private final ObjectMapper json = new ObjectMapper();
    /**
     * Churn: the agent's data stream, one per pooled connection, reused by its later leases. A
     * connection can create at most 5 data streams in its life, and neither the ABI nor a pool reset
     * releases them, so creating one per lease fails from a connection's 6th lease on.
     */
    private final Map<RtcConnection, DataStream> agentStreams = new ConcurrentHashMap<>();
    private final String prefix = "bench-pool-" + ProcessHandle.current().pid() + "-";
    private byte[] speech;

    @Override
    public Integer call() throws Exception {
        BadInputException.atLeast("--connections", connections, 1);
        BadInputException.atLeast("--seconds", seconds, 1);
        BadInputException.atLeast("--parallel", parallel, 1);
        BadInputException.atLeast("--exchange-frames", exchangeFrames, 1);
        BadInputException.atLeast("--warmup-seconds", warmupSeconds, 0);
        BadInputException.atLeast("--warmup-cycles", warmupCycles, 0);
        BadInputException.atLeast("--churn", churnCycles, 0);
        Path speechFile = Resources.find("--input", input != null ? input : DEFAULT_INPUT);
        if (!LoopbackDiagnostics.isAvailable()) {
            throw new IllegalStateException("bench pool runs on the loopback library (unset AGORA_SDK_HOME)");
        }
        byte[] raw = PcmAudio.read(speechFile, FORMAT).data();
        speech = Arrays.copyOf(raw, raw.length - raw.length % FRAME_BYTES);
        ObjectNode result;
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId("bench").build());
                AudioPacer pacer = AudioPacer.builder().threadName("bench-pacer").build();
                VadBatcher batcher = VadBatcher.withDefaults()) {
            result = churnCycles > 0 ? runChurn(service, pacer, batcher) : runLoad(service, pacer, batcher);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json.writeValueAsString(result));
        out.flush();
        return 0;
    }

    // ---------------------------------------------------------------- load scenario

    /** One lease and its simulated user. Counters are written on the connections' event executors. */
    private static final class Call {
        Lease lease;
        RtcConnection agent;
        volatile AudioOutput agentOut;
        RtcConnection user;
        LocalAudioTrack userTrack;
        AudioOutput userOut;
        int feedOffset;
        final AtomicLong agentFramesReceived = new AtomicLong();
        final AtomicLong userFramesReceived = new AtomicLong();
        final AtomicLong utterances = new AtomicLong();
        final AtomicLong replyErrors = new AtomicLong();
    }

    private ObjectNode runLoad(AgoraService service, AudioPacer pacer, VadBatcher batcher) throws Exception {
        VadOptions vad = VadOptions.defaults().withBatcher(batcher);
        List<Call> calls = new ArrayList<>(connections);
        long setupStart = System.nanoTime();
        try (ConnectionPool pool = ConnectionPool.create(service, ConnectionPoolConfig.of(connections))) {
            for (int i = 0; i < connections; i++) {
                calls.add(startCall(service, pool, pacer, vad, i));
            }
            long setupMs = (System.nanoTime() - setupStart) / 1_000_000;
            System.err.printf("bench pool: %d leases connected in %d ms; warm-up %d s, then %d s measured%n",
                    connections, setupMs, warmupSeconds, seconds);

            ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor(
                    DaemonThreads.named("bench-user-feeder-"));
            int chunkBytes = (int) FORMAT.bytesFor(CHUNK_MS);
            for (Call c : calls) {
                feed(c, 2 * chunkBytes);
            }
            feeder.scheduleAtFixedRate(() -> calls.forEach(c -> feed(c, chunkBytes)), CHUNK_MS, CHUNK_MS,
                    TimeUnit.MILLISECONDS);
            Thread.sleep(warmupSeconds * 1000L);

            long receiverUnderruns0 = receiverUnderruns(calls);
            long cpu0 = Stats.processCpuNanos();
            Map<String, Long> threads0 = ProcessProbe.cpuByThreadGroup();
            long t0 = System.nanoTime();
            int maxBacklog = 0;
            long maxRss = 0;
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                maxBacklog = Math.max(maxBacklog, batcher.queuedWindows());
                maxRss = Math.max(maxRss, ProcessProbe.rssBytes());
            }
            long t1 = System.nanoTime();
            long cpu1 = Stats.processCpuNanos();
            Map<String, Long> threads1 = ProcessProbe.cpuByThreadGroup();
            long rssEnd = ProcessProbe.rssBytes();
            long pssEnd = ProcessProbe.pssBytes();
            long receiverUnderrunsSteady = receiverUnderruns(calls) - receiverUnderruns0;
            int backlogEnd = batcher.queuedWindows();

            // Stop the users cleanly (end of segment, so the pause is not an underrun), then let everything drain.
            feeder.shutdown();
            feeder.awaitTermination(2, TimeUnit.SECONDS);
            calls.forEach(c -> c.userOut.endSegment());
            Thread.sleep(DRAIN_MS);

            long consumerUnderrunsAgent = 0;
            long consumerUnderrunsUser = 0;
            long receiverUnderrunsAgent = 0;
            long receiverUnderrunsUser = 0;
            long delivered = 0;
            long reachedExecutor = 0;
            long eventDrops = 0;
            long malformed = 0;
            long expectedWindows = 0;
            long utterances = 0;
            long replyErrors = 0;
            long userFrames = 0;
            for (Call c : calls) {
                consumerUnderrunsAgent += c.agentOut.consumer().underruns();
                consumerUnderrunsUser += c.userOut.consumer().underruns();
                receiverUnderrunsAgent += LoopbackDiagnostics.underruns(c.agent);
                receiverUnderrunsUser += LoopbackDiagnostics.underruns(c.user);
                delivered += LoopbackDiagnostics.framesDelivered(c.agent);
                long reached = c.agentFramesReceived.get();
                reachedExecutor += reached;
                expectedWindows += reached * FORMAT.samplesPerChannelPerFrame() / 512;
                eventDrops += c.agent.droppedEvents();
                malformed += c.agent.malformedFrames();
                utterances += c.utterances.get();
                replyErrors += c.replyErrors.get();
                userFrames += c.userFramesReceived.get();
            }
            long unscoredWindows = Math.max(0, expectedWindows - batcher.scoredWindows());
            long unscoredFrames = (unscoredWindows * 512 + FORMAT.samplesPerChannelPerFrame() - 1) / FORMAT.samplesPerChannelPerFrame();
            long notReached = delivered - reachedExecutor;
            long heapAfterGc = ProcessProbe.usedHeapAfterGc();

            double wall = t1 - t0;
            int cpus = Runtime.getRuntime().availableProcessors();
            ObjectNode o = json.createObjectNode();
            o.put("bench", "pool");
            o.put("scenario", "load");
            o.put("connections", connections);
            o.put("seconds", seconds);
            o.put("warmup_seconds", warmupSeconds);
            o.put("processors", cpus);
            o.put("cpu_percent", Stats.round(100.0 * (cpu1 - cpu0) / (wall * cpus), 1));
            o.put("heap_mb", Stats.round(ProcessProbe.mb(heapAfterGc), 1));
            o.put("rss_mb", Stats.round(ProcessProbe.mb(rssEnd), 1));
            o.put("pacing_underruns", consumerUnderrunsAgent + consumerUnderrunsUser + receiverUnderrunsAgent
                    + receiverUnderrunsUser);
            o.put("vad_dropped_frames", eventDrops + notReached + malformed + unscoredFrames);
            ObjectNode u = o.putObject("pacing_underruns_parts");
            u.put("agent_consumers", consumerUnderrunsAgent);
            u.put("user_consumers", consumerUnderrunsUser);
            u.put("agent_receivers_loopback", receiverUnderrunsAgent);
            u.put("user_receivers_loopback", receiverUnderrunsUser);
            u.put("receivers_loopback_in_steady_window", receiverUnderrunsSteady);
            ObjectNode d = o.putObject("vad_dropped_frames_parts");
            d.put("event_queue_overflow", eventDrops);
            d.put("delivered_not_reaching_executor", notReached);
            d.put("malformed", malformed);
            d.put("unscored_window_frames", unscoredFrames);
            ObjectNode v = o.putObject("vad");
            v.put("frames_delivered", delivered);
            v.put("windows_expected", expectedWindows);
            v.put("windows_scored", batcher.scoredWindows());
            v.put("mean_batch", Stats.round((double) batcher.scoredWindows() / Math.max(1, batcher.batchCount()), 1));
            v.put("backlog_windows_max", maxBacklog);
            v.put("backlog_windows_end", backlogEnd);
            v.put("utterances", utterances);
            o.put("reply_errors", replyErrors);
            o.put("user_frames_received", userFrames);
            o.put("rss_mb_max", Stats.round(ProcessProbe.mb(maxRss), 1));
            o.put("pss_mb", Stats.round(ProcessProbe.mb(pssEnd), 1));
            o.put("heap_committed_mb", Stats.round(ProcessProbe.mb(Runtime.getRuntime().totalMemory()), 1));
            o.put("threads", ProcessProbe.threads());
            o.put("setup_ms", setupMs);
            ObjectNode byThread = o.putObject("cpu_by_thread_percent");
            ProcessProbe.delta(threads0, threads1, t1 - t0).forEach((k, n) ->
                    byThread.put(k, Stats.round(100.0 * n / (wall * cpus), 1)));
            System.err.printf("bench pool: measured; releasing %d leases%n", connections);
            for (Call c : calls) {
                endCall(c);
            }
            return o;
        }
    }

    private Call startCall(AgoraService service, ConnectionPool pool, AudioPacer pacer, VadOptions vad, int i) {
        Call c = new Call();
        String channel = prefix + i;
        c.lease = pool.acquire(channel, "agent", "", null);
        c.agent = c.lease.connection();
        c.agent.localUser().setRemoteAudioListener((conn, user, frame) -> c.agentFramesReceived.incrementAndGet());
        c.agent.localUser().enableVad(vad, new SpeechListener() {
            @Override
            public void speechEnded(RtcConnection conn, String userId, byte[] audio, long startMs, long endMs) {
                // The agent "answers" with the utterance itself, paced like TTS.
                c.utterances.incrementAndGet();
                try {
                    c.agentOut.write(audio);
                    c.agentOut.endSegment();
                } catch (RuntimeException e) {
                    c.replyErrors.incrementAndGet();
                }
            }
        });
        LocalAudioTrack agentTrack = c.lease.createAudioTrack(AudioTrackOptions.defaults());
        c.agentOut = c.lease.own(AudioOutput.paced(agentTrack, pacer, FORMAT));

        c.user = service.createConnection();
        c.user.localUser().setRemoteAudioListener((conn, user, frame) -> c.userFramesReceived.incrementAndGet());
        c.userTrack = service.createAudioTrack();
        c.user.connect("", channel, "user");
        c.user.localUser().publishAudio(c.userTrack);
        c.userOut = AudioOutput.paced(c.userTrack, pacer, FORMAT);
        // Users start at different points of the recording (4801 samples apart, frame-aligned).
        c.feedOffset = (int) ((long) i * 4801 * 2 / FRAME_BYTES * FRAME_BYTES % speech.length);
        return c;
    }

    /** Loopback play-out underruns of both receiving connections of every call, so far. */
    private static long receiverUnderruns(List<Call> calls) {
        long n = 0;
        for (Call c : calls) {
            n += LoopbackDiagnostics.underruns(c.agent) + LoopbackDiagnostics.underruns(c.user);
        }
        return n;
    }

    /** Pushes the next {@code bytes} of the looped recording into the user's output. */
    private void feed(Call c, int bytes) {
        while (bytes > 0) {
            int n = Math.min(bytes, speech.length - c.feedOffset);
            c.userOut.write(speech, c.feedOffset, n);
            c.feedOffset = (c.feedOffset + n) % speech.length;
            bytes -= n;
        }
    }

    private static void endCall(Call c) {
        c.userOut.clear();
        c.userOut.close();
        c.user.close();
        c.userTrack.close();
        c.agentOut.clear();
        c.lease.close();
    }

    // ---------------------------------------------------------------- churn scenario

    private ObjectNode runChurn(AgoraService service, AudioPacer pacer, VadBatcher batcher) throws Exception {
        VadOptions vad = VadOptions.defaults().withBatcher(batcher);
        byte[] clip = Arrays.copyOfRange(speech, 0, exchangeFrames * FRAME_BYTES);
        try (ConnectionPool pool = ConnectionPool.create(service, ConnectionPoolConfig.of(parallel))) {
            int baselineHandles = LoopbackDiagnostics.liveHandles();
            AtomicLong exchangeFailures = new AtomicLong();
            AtomicLong cycleErrors = new AtomicLong();
            System.err.printf("bench pool: churn, %d workers, %d warm-up + %d measured cycles%n", parallel,
                    warmupCycles, churnCycles);
            runCycles(0, warmupCycles, i -> cycle(service, pool, pacer, vad, clip, i, exchangeFailures),
                    cycleErrors);
            long heapStart = ProcessProbe.usedHeapAfterGc();
            long threadsStart = ProcessProbe.threads();
            long[] acquireNanos = new long[churnCycles];
            long[] rss = new long[churnCycles];
            long[] heap = new long[churnCycles];
            long[] liveHeap = new long[churnCycles];
            AtomicInteger measured = new AtomicInteger();
            long start = System.nanoTime();
            runCycles(warmupCycles, churnCycles, i -> {
                long acquired = cycle(service, pool, pacer, vad, clip, i, exchangeFailures);
                // Samples are stored in completion order.
                int slot = measured.getAndIncrement();
                acquireNanos[slot] = acquired;
                rss[slot] = ProcessProbe.rssBytes();
                heap[slot] = ProcessProbe.usedHeap();
                liveHeap[slot] = ProcessProbe.heapAfterLastGc();
                if ((slot + 1) % 1000 == 0) {
                    System.err.printf("bench pool: %d cycles%n", slot + 1);
                }
            }, cycleErrors);
            long wallNanos = System.nanoTime() - start;
            Thread.sleep(200);
            int leaked = LoopbackDiagnostics.liveHandles() - baselineHandles;
            long heapEnd = ProcessProbe.usedHeapAfterGc();
            long threadsEnd = ProcessProbe.threads();
            int n = measured.get();
            int tenth = Math.max(1, n / 10);
            Stats.Samples acquire = new Stats.Samples();
            for (int k = 0; k < n; k++) {
                acquire.add(acquireNanos[k]);
            }
            PoolMetrics m = pool.metrics();

            ObjectNode o = json.createObjectNode();
            o.put("bench", "pool");
            o.put("scenario", "churn");
            o.put("cycles", n);
            o.put("leaked_native_handles", leaked);
            o.put("rss_drift_mb", Stats.round(ProcessProbe.mb(mean(rss, n - tenth, n) - mean(rss, 0, tenth)), 2));
            o.put("heap_drift_mb", Stats.round(ProcessProbe.mb(mean(liveHeap, n - tenth, n) - mean(liveHeap, 0, tenth)), 2));
            o.put("used_heap_drift_mb", Stats.round(ProcessProbe.mb(mean(heap, n - tenth, n) - mean(heap, 0, tenth)), 2));
            o.put("p99_acquire_ms", Stats.round(acquire.percentile(99) / 1e6, 3));
            o.put("p50_acquire_ms", Stats.round(acquire.percentile(50) / 1e6, 3));
            o.put("max_acquire_ms", Stats.round(acquire.max() / 1e6, 3));
            o.put("parallel", parallel);
            o.put("warmup_cycles", warmupCycles);
            o.put("exchange_frames", exchangeFrames);
            o.put("cycles_per_second", Stats.round(n / (wallNanos / 1e9), 1));
            o.put("exchange_failures", exchangeFailures.get());
            o.put("cycle_errors", cycleErrors.get());
            o.put("rss_mb_first_10pct", Stats.round(ProcessProbe.mb(mean(rss, 0, tenth)), 1));
            o.put("rss_mb_last_10pct", Stats.round(ProcessProbe.mb(mean(rss, n - tenth, n)), 1));
            o.put("heap_after_gc_mb_start", Stats.round(ProcessProbe.mb(heapStart), 1));
            o.put("heap_after_gc_mb_end", Stats.round(ProcessProbe.mb(heapEnd), 1));
            o.put("threads_start", threadsStart);
            o.put("threads_end", threadsEnd);
            o.put("baseline_native_handles", baselineHandles);
            o.put("open_connections", service.openConnections().size());
            o.put("open_tracks", service.openTracks().size());
            o.put("order_violations", LoopbackDiagnostics.orderViolations());
            o.put("pool_failed", m.failed());
            o.put("pool_replaced", m.replaced());
            o.put("pool_acquired", m.acquired());
            return o;
        }
    }

    /** Runs churn cycle number {@code cycle} (numbers are unique over warm-up and measured cycles). */
    @FunctionalInterface
    private interface CycleBody {
        void run(int cycle);
    }

    /** Runs cycles {@code first .. first + count - 1} on {@code --parallel} workers and waits for them. */
    private void runCycles(int first, int count, CycleBody body, AtomicLong errors) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < parallel; w++) {
            Thread t = new Thread(() -> {
                int k;
                while ((k = next.getAndIncrement()) < count) {
                    try {
                        body.run(first + k);
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                        System.err.println("bench pool: cycle " + (first + k) + " failed: " + e);
                    }
                }
            }, "bench-churn-" + w);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
    }

    /**
     * One churn cycle: acquire a lease (joins the channel), connect a user, exchange audio both ways
     * and one data-stream message, release both.
     *
     * @return nanoseconds spent in {@link ConnectionPool#acquire}
     */
    private long cycle(AgoraService service, ConnectionPool pool, AudioPacer pacer, VadOptions vad, byte[] clip,
            int i, AtomicLong exchangeFailures) {
        String channel = prefix + "churn-" + i;
        AtomicInteger agentFrames = new AtomicInteger();
        AtomicInteger userFrames = new AtomicInteger();
        CountDownLatch message = new CountDownLatch(1);
        long t0 = System.nanoTime();
        Lease lease = pool.acquire(channel, "agent", "", null);
        long acquireNanos = System.nanoTime() - t0;
        try (lease) {
            RtcConnection agent = lease.connection();
            agent.localUser().setRemoteAudioListener((c, u, f) -> agentFrames.incrementAndGet());
            agent.localUser().enableVad(vad, new SpeechListener() {});
            AudioOutput agentOut = lease.own(AudioOutput.paced(lease.createAudioTrack(AudioTrackOptions.defaults()),
                    pacer, FORMAT));
            DataStream stream = agentStreams.computeIfAbsent(agent, a -> a.createDataStream(true, true));
            try (RtcConnection user = service.createConnection(); LocalAudioTrack userTrack = service.createAudioTrack()) {
                user.addListener(new RtcConnectionListener() {
                    @Override
                    public void onStreamMessage(RtcConnection c, String userId, int streamId, byte[] data) {
                        message.countDown();
                    }
                });
                user.localUser().setRemoteAudioListener((c, u, f) -> userFrames.incrementAndGet());
                user.connect("", channel, "user");
                user.localUser().publishAudio(userTrack);
                AudioOutput userOut = AudioOutput.paced(userTrack, pacer, FORMAT);
                try {
                    userOut.write(clip);
                    userOut.endSegment();
                    agentOut.write(clip);
                    agentOut.endSegment();
                    stream.send("cycle " + i);
                    if (!awaitExchange(agentFrames, userFrames, message)) {
                        exchangeFailures.incrementAndGet();
                    }
                } finally {
                    userOut.clear();
                    userOut.close();
                    agentOut.clear();
                }
                // try-with-resources closes the user connection (unpublishing its track), then the track.
            }
        }
        return acquireNanos;
    }

    private boolean awaitExchange(AtomicInteger agentFrames, AtomicInteger userFrames, CountDownLatch message) {
        long deadline = System.nanoTime() + EXCHANGE_TIMEOUT_MS * 1_000_000;
        while (agentFrames.get() < exchangeFrames || userFrames.get() < exchangeFrames || message.getCount() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleepQuietly(2);
        }
        return true;
    }

    // ---------------------------------------------------------------- helpers

    private static double mean(long[] v, int from, int to) {
        if (to <= from) {
            return 0;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += v[i];
        }
        return sum / (to - from);
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
