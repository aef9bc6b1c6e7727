package io.voiceagent.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.core.server.AudioModalitiesServer;
import io.voiceagent.core.server.AudioModalitiesServerConfig;
import io.voiceagent.examples.AgentCli;
import io.voiceagent.examples.bench.ClusterHarness.Reply;
import io.voiceagent.examples.bench.ClusterHarness.Worker;
import io.voiceagent.testing.ChildJvm;
import io.voiceagent.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster for real: one {@code redis-server} and three worker JVMs ({@code agent server --redis})
 * on this machine, 100 agents started through the API of all three, each in its own channel on the
 * loopback library with a simulated caller (a connection of this JVM) that it answers. The workers
 * have 20, 60 and 60 slots: the small one fills up and the others take the rest. Then the small one is
 * killed with SIGKILL: every one of its agents must be back in its channel within 5 s on the other two,
 * each exactly once (every worker's own list of sessions, and the records), and answer its caller
 * again. Finally every agent is made to leave through a node that does not run it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterFailoverTest {
    private static final int AGENTS = 100;
    private static final List<String> WORKER_JVM = List.of("-Dagora.native.library=loopback", "-Xmx256m",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return condition.getAsBoolean();
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void hundredAgentsSpreadByCapacitySurviveAKillMinus9ExactlyOnceAndLeaveThroughAnotherNode() throws Exception {
        String appId = "cluster-test-" + ProcessHandle.current().pid();
        Path pcm = dir.resolve("answer.pcm");
        Files.write(pcm, Fixtures.slice(Fixtures.HELLO, 0, 600));
        Path text = dir.resolve("answer.txt");
        Files.writeString(text, "Hello from the cluster.", StandardCharsets.UTF_8);
        byte[] utterance = Fixtures.slice(Fixtures.REAL_GAPS, 1200, 3300);
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId(appId).build());
                AudioModalitiesServer llm = AudioModalitiesServer.start(AudioModalitiesServerConfig.builder().port(0)
                        .pcmFile(pcm).transcriptFile(text).chunkInterval(Duration.ZERO).build());
                ClusterHarness cluster = new ClusterHarness(dir, appId,
                        args -> ChildJvm.command(WORKER_JVM, AgentCli.class, args.toArray(String[]::new)))) {
            Worker small = cluster.start("w-small", 20);
            Worker big1 = cluster.start("w-big1", 60);
            Worker big2 = cluster.start("w-big2", 60);
            List<Worker> workers = List.of(small, big1, big2);
            for (Worker w : workers) {
                cluster.awaitReady(w, Duration.ofSeconds(90));
            }
            List<String> channels = new ArrayList<>();
            List<String> uids = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                channels.add("ct-" + ProcessHandle.current().pid() + "-" + i);
                uids.add(Integer.toString(2000 + i));
            }
            try (SimulatedUsers users = new SimulatedUsers(service, channels, "1000", uids)) {
                // 100 joins through the three APIs, 8 at a time.
                ExecutorService pool = Executors.newFixedThreadPool(8);
                List<Future<Reply>> joins = new ArrayList<>();
                for (int i = 0; i < AGENTS; i++) {
                    int k = i;
                    joins.add(pool.submit(() -> cluster.post(workers.get(k % 3), cluster.base() + "/join",
                            ClusterHarness.joinBody("agent-" + k, channels.get(k), uids.get(k), llm.baseUri())
                                    .toString())));
                }
                List<SimulatedUsers.User> all = users.all();
                for (int i = 0; i < AGENTS; i++) {
                    Reply r = joins.get(i).get(60, TimeUnit.SECONDS);
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    all.get(i).agentId = r.text("agent_id");
                }
                pool.shutdown();
                assertThat(await(() -> all.stream().allMatch(u -> u.agentPresent), Duration.ofSeconds(20)))
                        .as("every agent joined its channel").isTrue();

                Map<String, List<String>> where = cluster.runningWhere();
                assertThat(where).hasSize(AGENTS);
                assertThat(where.values()).allMatch(nodes -> nodes.size() == 1, "each agent runs on one worker");
                Map<String, Integer> perWorker = new HashMap<>();
                where.values().forEach(n -> perWorker.merge(n.get(0), 1, Integer::sum));
                System.out.println("agents per worker before the kill: " + perWorker);
                assertThat(perWorker.getOrDefault("w-small", 0)).as("the small worker, by its capacity")
                        .isBetween(1, 20);
                assertThat(perWorker.getOrDefault("w-big1", 0)).isBetween(1, 60);
                assertThat(perWorker.getOrDefault("w-big2", 0)).isBetween(1, 60);

                // Each agent answers its caller.
                for (SimulatedUsers.User u : all) {
                    u.say(utterance);
                }
                boolean answered = await(() -> all.stream().allMatch(u -> u.framesHeard.get() >= 30),
                        Duration.ofSeconds(40));
                assertThat(answered).as("every agent answered; frames heard per caller: %s",
                        all.stream().map(u -> u.framesHeard.get()).toList()).isTrue();

                // kill -9 the small worker.
                List<SimulatedUsers.User> victims = all.stream()
                        .filter(u -> where.get(u.agentId).get(0).equals("w-small")).toList();
                long killedAt = System.nanoTime();
                cluster.kill(small);
                assertThat(await(() -> victims.stream().allMatch(u -> u.lastJoinNanos > killedAt && u.agentPresent),
                        Duration.ofSeconds(20))).as("the killed worker's agents came back").isTrue();
                List<Long> failoverMs = victims.stream().map(u -> (u.lastJoinNanos - killedAt) / 1_000_000).sorted()
                        .toList();
                System.out.println("failover of " + victims.size() + " agents after kill -9, ms: " + failoverMs);
                assertThat(failoverMs.get(failoverMs.size() - 1)).as("back within 5 s").isLessThanOrEqualTo(5000);
                assertThat(victims).allMatch(u -> u.departures.get() == 1 && u.joins.get() == 2,
                        "each killed agent left once and came back once");

                Map<String, List<String>> after = cluster.runningWhere();
                assertThat(after.keySet()).as("none lost").containsExactlyInAnyOrderElementsOf(where.keySet());
                assertThat(after.values()).as("none twice").allMatch(nodes -> nodes.size() == 1);
                assertThat(after.values()).noneMatch(nodes -> nodes.contains("w-small"));
                for (SimulatedUsers.User u : all) {
                    Reply r = cluster.get(big1, cluster.base() + "/agents/" + u.agentId);
                    assertThat(r.text("status")).isEqualTo("RUNNING");
                    assertThat(r.json().get("restarts").asInt()).as("restarted once if it was on the killed worker")
                            .isEqualTo(victims.contains(u) ? 1 : 0);
                    assertThat(r.text("node")).isEqualTo(after.get(u.agentId).get(0));
                }
                for (SimulatedUsers.User u : victims) {
                    long before = u.framesHeard.get();
                    u.say(utterance);
                    assertThat(await(() -> u.framesHeard.get() >= before + 30, Duration.ofSeconds(20)))
                            .as("a recovered agent answers again").isTrue();
                }

                // Leave through the node that does not run the agent.
                for (SimulatedUsers.User u : all) {
                    String owner = after.get(u.agentId).get(0);
                    Worker other = owner.equals("w-big1") ? big2 : big1;
                    Reply r = cluster.post(other, cluster.base() + "/agents/" + u.agentId + "/leave", "");
                    assertThat(r.text("status")).as(r.body()).isEqualTo("STOPPED");
                }
                assertThat(await(() -> all.stream().noneMatch(u -> u.agentPresent), Duration.ofSeconds(10))).isTrue();
                assertThat(cluster.runningWhere()).isEmpty();
            } catch (AssertionError | RuntimeException e) {
                for (Worker w : cluster.alive()) {
                    System.out.println("---- " + w + " ----\n" + cluster.tail(w, 30));
                }
                throw e;
            }
        }
    }
}
