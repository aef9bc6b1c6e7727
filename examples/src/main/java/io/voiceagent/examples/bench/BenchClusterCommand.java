package io.voiceagent.examples.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.agora.audio.AudioOutput;
import io.voiceagent.core.server.AudioModalitiesServer;
import io.voiceagent.core.server.AudioModalitiesServerConfig;
import io.voiceagent.examples.BadInputException;
import io.voiceagent.examples.Resources;
import io.voiceagent.examples.bench.ClusterHarness.Reply;
import io.voiceagent.examples.bench.ClusterHarness.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The agent server as a cluster on this machine: one {@code redis-server}, {@code --workers} worker
 * JVMs ({@code agent server --redis}, each with enough slots that the others can take over any one of
 * them), {@code --agents} agents started through the workers' APIs, each in its own loopback channel
 * with a simulated caller in this process. Three measurements, one final JSON line:
 *
 * <ul>
 *   <li><b>join latency</b> ({@code join_p50_ms}, {@code join_p99_ms}): from sending the join request to
 *       the caller seeing the agent join its channel, {@code --join-concurrency} requests in flight;</li>
 *   <li><b>sessions per core at real time</b> ({@code sessions_per_core}): every caller talks for
 *       {@code --steady-seconds} (recorded speech with pauses, looped) and every agent answers every turn
 *       (VAD, a round, 0.6 s of audio back); the workers' CPU over that window (from {@code /proc}) gives
 *       the cores used; real time holds if the workers report no pacing underrun and no dropped frame;</li>
 *   <li><b>failover</b> ({@code failover_p50_ms}, {@code failover_p99_ms}, {@code lost}, {@code duplicated}):
 *       {@code --kills} times, the worker with the most agents is killed with SIGKILL; for each of its
 *       agents, the time from the kill to its caller seeing it join again from another worker; lost = not
 *       back within 30 s; duplicated = running on two workers at once (each worker's {@code /node}),
 *       checked after every kill; then a fresh worker replaces the dead one.</li>
 * </ul>
 *
 * <p>This process also runs the callers and the agents' audio LLM (a local audio-modalities server), so
 * the machine is shared between the two sides: {@code bench_process_cpu_cores} says how much this side
 * took. The load average before and after is reported.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Agent server cluster: join latency, sessions per core at real time, failover after kill -9.")
public final class BenchClusterCommand implements Callable<Integer> {
    private static final long NANOS_PER_TICK = 10_000_000L;

    @Option(names = "--workers", defaultValue = "3", description = "worker processes (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--agents", defaultValue = "60", description = "agents, each in its own channel (default: ${DEFAULT-VALUE})")
    int agents;

    @Option(names = "--kills", defaultValue = "20", description = "workers killed with SIGKILL, one after the other (default: ${DEFAULT-VALUE})")
    int kills;

    @Option(names = "--steady-seconds", defaultValue = "20", description = "real-time window with every caller talking (0 = skip; default: ${DEFAULT-VALUE})")
    int steadySeconds;

    @Option(names = "--join-concurrency", defaultValue = "8", description = "join requests in flight (default: ${DEFAULT-VALUE})")
    int joinConcurrency;

    @Option(names = "--warmup-joins", defaultValue = "3",
            description = "unmeasured joins (and leaves) per worker first, so the figures are not the JVMs' first calls"
                    + " (default: ${DEFAULT-VALUE})")
    int warmupJoins;

    @Option(names = "--worker-java-opts", defaultValue = "-XX:+UseZGC -Xmx512m",
            description = "JVM options of the workers (default: ${DEFAULT-VALUE})")
    String workerJavaOpts;

    @Option(names = "--speech", defaultValue = "test_data/real_gaps_16k_1ch.pcm", description = "the callers' speech")
    Path speechFile;

    @Option(names = "--answer-pcm", defaultValue = "test_data/hello_16k_1ch.pcm", description = "the agents' answers (first 0.6 s)")
    Path answerFile;

    private int nextWorker;

    private static boolean await(BooleanSupplier c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return c.getAsBoolean();
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Override
    public Integer call() throws Exception {
        if (workers < 2 || workers > 8) {
            throw new BadInputException("--workers", workers, "must be in 2..8 (failover needs another worker)");
        }
        if (agents < 1 || agents > 1000) {
            throw new BadInputException("--agents", agents, "must be in 1..1000");
        }
        BadInputException.atLeast("--kills", kills, 0);
        BadInputException.atLeast("--steady-seconds", steadySeconds, 0);
        BadInputException.atLeast("--join-concurrency", joinConcurrency, 1);
        byte[] speech = Files.readAllBytes(Resources.find("--speech", speechFile));
        byte[] answer = Files.readAllBytes(Resources.find("--answer-pcm", answerFile));
        int capacity = (agents + workers - 2) / (workers - 1); // any one worker's share fits in the others
        String appId = "bench-cluster-" + ProcessHandle.current().pid();
        Path dir = Files.createTempDirectory("bench-cluster");
        Path pcm = dir.resolve("answer.pcm");
        Files.write(pcm, Arrays.copyOf(answer, Math.min(answer.length, 19_200)));
        Path text = dir.resolve("answer.txt");
        Files.writeString(text, "Hello from the cluster.", StandardCharsets.UTF_8);
        double[] load0 = loadAverage();
        ObjectNode o = ClusterHarness.JSON.createObjectNode();
        List<String> javaOpts = List.of(workerJavaOpts.trim().split("\\s+"));
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId(appId).build());
                AudioModalitiesServer llm = AudioModalitiesServer.start(AudioModalitiesServerConfig.builder().port(0)
                        .pcmFile(pcm).transcriptFile(text).chunkInterval(Duration.ZERO).build());
                ClusterHarness cluster = new ClusterHarness(dir, appId, args -> workerCommand(javaOpts, args))) {
            List<Worker> started = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                started.add(cluster.start(nextNodeId(), capacity));
            }
            for (Worker w : started) {
                cluster.awaitReady(w, Duration.ofSeconds(90));
            }
            System.err.printf("bench cluster: redis %s, %d workers of %d slots, %d agents%n", cluster.redis().uri(),
                    workers, capacity, agents);
            List<String> channels = new ArrayList<>();
            List<String> uids = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                channels.add(appId + "-" + i);
                uids.add(Integer.toString(2000 + i));
            }
            warmUp(cluster, started, llm, appId);
            try (SimulatedUsers users = new SimulatedUsers(service, channels, "1000", uids)) {
                List<SimulatedUsers.User> all = users.all();
                Stats.Samples join = joinAll(cluster, all, llm, started);
                o.put("bench", "cluster");
                o.put("workers", workers);
                o.put("agents", agents);
                o.put("capacity_per_worker", capacity);
                o.put("join_p50_ms", Stats.round(join.percentile(50) / 1e6, 1));
                o.put("join_p99_ms", Stats.round(join.percentile(99) / 1e6, 1));
                o.put("join_max_ms", Stats.round(join.max() / 1e6, 1));
                o.put("joined", join.size());

                for (SimulatedUsers.User u : all) {
                    u.say(Arrays.copyOfRange(speech, (int) SimulatedUsers.FORMAT.bytesFor(1200),
                            (int) SimulatedUsers.FORMAT.bytesFor(3300)));
                }
                await(() -> all.stream().allMatch(u -> u.framesHeard.get() >= 30), Duration.ofSeconds(30));
                o.put("answered_first_turn", all.stream().filter(u -> u.framesHeard.get() >= 30).count());
                for (SimulatedUsers.User u : all) {
                    if (u.framesHeard.get() < 30) {
                        System.err.printf("bench cluster: agent %s in %s did not answer (%d frames heard)%n", u.agentId,
                                u.channel, u.framesHeard.get());
                    }
                }

                if (steadySeconds > 0) {
                    steady(cluster, service, all, speech, o);
                }
                failovers(cluster, all, capacity, o);
                int left = 0;
                Map<String, List<String>> where = cluster.runningWhere();
                for (SimulatedUsers.User u : all) {
                    List<String> owners = where.getOrDefault(u.agentId, List.of());
                    Worker via = cluster.alive().stream().filter(w -> !owners.contains(w.nodeId)).findFirst()
                            .orElse(cluster.alive().get(0));
                    Reply r = cluster.post(via, cluster.base() + "/agents/" + u.agentId + "/leave", "");
                    left += "STOPPED".equals(r.text("status")) ? 1 : 0;
                }
                o.put("left_through_another_node", left);
            }
        }
        double[] load1 = loadAverage();
        o.put("load_avg_1m_before", load0[0]);
        o.put("load_avg_1m_after", load1[0]);
        o.put("processors", Runtime.getRuntime().availableProcessors());
        System.out.println(o);
        return 0;
    }

    private String nextNodeId() {
        return "worker-" + (++nextWorker);
    }

    /** {@code java <opts> -cp <this class path> AgentCli <args>}. */
    private static List<String> workerCommand(List<String> javaOpts, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaOpts);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.voiceagent.examples.AgentCli");
        cmd.addAll(args);
        return cmd;
    }

    /** Joins and leaves {@code --warmup-joins} agents per worker (empty channels), unmeasured. */
    private void warmUp(ClusterHarness cluster, List<Worker> via, AudioModalitiesServer llm, String appId)
            throws Exception {
        for (int i = 0; i < warmupJoins * via.size(); i++) {
            Worker w = via.get(i % via.size());
            Reply r = cluster.post(w, cluster.base() + "/join", ClusterHarness.joinBody("warmup-" + i,
                    appId + "-warmup-" + i, Integer.toString(9000 + i), llm.baseUri()).toString());
            if (r.status() == 200) {
                cluster.post(w, cluster.base() + "/agents/" + r.text("agent_id") + "/leave", "");
            }
        }
    }

    private Stats.Samples joinAll(ClusterHarness cluster, List<SimulatedUsers.User> all, AudioModalitiesServer llm,
            List<Worker> via) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(joinConcurrency);
        long[] sent = new long[all.size()];
        List<Future<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            int k = i;
            replies.add(pool.submit(() -> {
                sent[k] = System.nanoTime();
                SimulatedUsers.User u = all.get(k);
                return cluster.post(via.get(k % via.size()), cluster.base() + "/join", ClusterHarness.joinBody(
                        "agent-" + k, u.channel, u.agentUid, llm.baseUri()).toString());
            }));
        }
        for (int i = 0; i < all.size(); i++) {
            Reply r = replies.get(i).get(60, TimeUnit.SECONDS);
            if (r.status() != 200) {
                throw new IllegalStateException("join " + i + " failed: " + r.body());
            }
            all.get(i).agentId = r.text("agent_id");
        }
        pool.shutdown();
        await(() -> all.stream().allMatch(u -> u.agentPresent), Duration.ofSeconds(30));
        Stats.Samples s = new Stats.Samples();
        for (int i = 0; i < all.size(); i++) {
            SimulatedUsers.User u = all.get(i);
            if (u.agentPresent) {
                s.add(u.lastJoinNanos - sent[i]);
            }
        }
        return s;
    }

    /** Every caller talks for the window; the workers' CPU, rounds, underruns and dropped frames over it. */
    private void steady(ClusterHarness cluster, AgoraService service, List<SimulatedUsers.User> all, byte[] speech,
            ObjectNode o) throws Exception {
        int chunk = (int) SimulatedUsers.FORMAT.bytesFor(500);
        int[] offsets = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            SimulatedUsers.User u = all.get(i);
            u.talk = AudioOutput.paced(u.track, service.audioPacer(), SimulatedUsers.FORMAT);
            offsets[i] = (int) ((long) i * 9602 % (speech.length / 2)) * 2;
        }
        var feeder = Executors.newSingleThreadScheduledExecutor();
        feeder.scheduleAtFixedRate(() -> {
            for (int i = 0; i < all.size(); i++) {
                AudioOutput out = all.get(i).talk;
                while (out.pendingBytes() < 2L * chunk) {
                    byte[] part = new byte[chunk];
                    for (int b = 0; b < chunk; b++) {
                        part[b] = speech[(offsets[i] + b) % speech.length];
                    }
                    offsets[i] = (offsets[i] + chunk) % speech.length;
                    out.write(part);
                }
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        Thread.sleep(5000); // warm-up: turns under way everywhere
        Map<Long, Long> cpu0 = workerCpu(cluster);
        long self0 = Stats.processCpuNanos();
        double rounds0 = sumOf(cluster, "voiceagent_rounds_total");
        double underruns0 = cluster.metricSum("voiceagent_pacing_underruns_total");
        double dropped0 = cluster.metricSum("voiceagent_session_dropped_frames_total");
        long t0 = System.nanoTime();
        Thread.sleep(steadySeconds * 1000L);
        long wall = System.nanoTime() - t0;
        Map<Long, Long> cpu1 = workerCpu(cluster);
        long self1 = Stats.processCpuNanos();
        double rounds = sumOf(cluster, "voiceagent_rounds_total") - rounds0;
        double underruns = cluster.metricSum("voiceagent_pacing_underruns_total") - underruns0;
        double dropped = cluster.metricSum("voiceagent_session_dropped_frames_total") - dropped0;
        feeder.shutdownNow();
        feeder.awaitTermination(2, TimeUnit.SECONDS);
        for (SimulatedUsers.User u : all) {
            u.talk.clear();
        }
        long used = 0;
        for (Map.Entry<Long, Long> e : cpu1.entrySet()) {
            used += e.getValue() - cpu0.getOrDefault(e.getKey(), e.getValue());
        }
        double cores = used / (double) wall;
        o.put("steady_seconds", steadySeconds);
        o.put("worker_cpu_cores", Stats.round(cores, 3));
        o.put("sessions_per_core", Stats.round(all.size() / Math.max(cores, 1e-9), 1));
        o.put("bench_process_cpu_cores", Stats.round((self1 - self0) / (double) wall, 3));
        o.put("rounds_in_window", (long) rounds);
        o.put("worker_pacing_underruns", (long) underruns);
        o.put("worker_dropped_frames", (long) dropped);
    }

    private void failovers(ClusterHarness cluster, List<SimulatedUsers.User> all, int capacity, ObjectNode o)
            throws Exception {
        Stats.Samples failover = new Stats.Samples();
        int lost = 0;
        int duplicated = 0;
        int moved = 0;
        for (int k = 0; k < kills; k++) {
            Map<String, List<String>> where = cluster.runningWhere();
            Map<String, Integer> perNode = new HashMap<>();
            where.values().forEach(n -> n.forEach(x -> perNode.merge(x, 1, Integer::sum)));
            Worker victim = cluster.alive().stream().max(Comparator.comparingInt(w -> perNode.getOrDefault(w.nodeId, 0)))
                    .orElseThrow();
            List<SimulatedUsers.User> victims = all.stream()
                    .filter(u -> where.getOrDefault(u.agentId, List.of()).contains(victim.nodeId)).toList();
            long killedAt = System.nanoTime();
            cluster.kill(victim);
            await(() -> victims.stream().allMatch(u -> u.agentPresent && u.lastJoinNanos > killedAt),
                    Duration.ofSeconds(30));
            for (SimulatedUsers.User u : victims) {
                if (u.agentPresent && u.lastJoinNanos > killedAt) {
                    failover.add(u.lastJoinNanos - killedAt);
                } else {
                    lost++;
                }
            }
            moved += victims.size();
            Map<String, List<String>> after = cluster.runningWhere();
            for (SimulatedUsers.User u : all) {
                int n = after.getOrDefault(u.agentId, List.of()).size();
                if (n > 1) {
                    duplicated++;
                }
            }
            System.err.printf("bench cluster: kill %d/%d: %s had %d agents, back after p99 %.0f ms so far%n", k + 1,
                    kills, victim, victims.size(), failover.percentile(99) / 1e6);
            Worker fresh = cluster.start(nextNodeId(), capacity);
            cluster.awaitReady(fresh, Duration.ofSeconds(90));
        }
        o.put("kills", kills);
        o.put("agents_failed_over", moved);
        o.put("failover_p50_ms", Stats.round(failover.percentile(50) / 1e6, 1));
        o.put("failover_p99_ms", Stats.round(failover.percentile(99) / 1e6, 1));
        o.put("failover_max_ms", Stats.round(failover.max() / 1e6, 1));
        o.put("lost", lost);
        o.put("duplicated", duplicated);
    }

    /** Worker pid -> CPU time (user + system) from {@code /proc/<pid>/stat}. */
    private static Map<Long, Long> workerCpu(ClusterHarness cluster) {
        Map<Long, Long> m = new HashMap<>();
        for (Worker w : cluster.alive()) {
            try {
                String stat = Files.readString(Path.of("/proc/" + w.pid() + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                m.put(w.pid(), (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK);
            } catch (IOException | RuntimeException e) {
                // exited meanwhile
            }
        }
        return m;
    }

    /** Sum of a labelled counter's series over the live workers. */
    private static double sumOf(ClusterHarness cluster, String name) throws IOException, InterruptedException {
        double sum = 0;
        Pattern p = Pattern.compile("^" + Pattern.quote(name) + "\\{[^}]*} ([0-9.eE+-]+)$", Pattern.MULTILINE);
        for (Worker w : cluster.alive()) {
            Matcher m = p.matcher(cluster.get(w, "/metrics").body());
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
        }
        return sum;
    }

    private static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {-1, -1, -1};
        }
    }
}
