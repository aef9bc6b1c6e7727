package io.voiceagent.server.api;

import static io.voiceagent.server.api.TestAgents.BASE;
import static io.voiceagent.server.api.TestAgents.await;
import static io.voiceagent.server.api.TestAgents.joinBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.server.api.TestAgents.Api;
import io.voiceagent.server.api.TestAgents.Reply;
import io.voiceagent.server.cluster.ClusterConfig;
import io.voiceagent.server.cluster.RedisAgentBackend;
import io.voiceagent.server.cluster.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of one cluster in this JVM over a real {@code redis-server} that the test starts on
 * 127.0.0.1: commands reach the owning node from the other one, the cluster's capacity is the sum of
 * its workers', a restart of Redis is survived with the agents still running, and a drained node's
 * agents are taken over by the other. (Failover after kill -9 across processes: the examples module's
 * {@code ClusterFailoverTest}.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RedisClusterTest {
    @TempDir
    static Path dir;
    private static RedisServerProcess redis;
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start(dir.resolve("redis"));
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    private static AgentServer node(String id, int capacity, String prefix) {
        ClusterConfig c = ClusterConfig.of(redis.uri()).withKeyPrefix(prefix);
        return AgentServer.builder(TestAgents.service()).port(0).capacity(capacity).nodeId(id)
                .backend(RedisAgentBackend.factory(c)).build().start();
    }

    private static String prefix() {
        return "t" + PREFIXES.incrementAndGet() + ":";
    }

    private static String statusOf(Api api, String id) {
        try {
            return api.get(BASE + "/agents/" + id).text("status");
        } catch (Exception e) {
            return "?";
        }
    }

    @Test
    void commandsReachTheOwnerFromAnyNodeAndTheClusterIsFullWhenEveryWorkerIs() throws Exception {
        String prefix = prefix();
        try (AgentServer a = node("node-a", 1, prefix); AgentServer b = node("node-b", 1, prefix)) {
            Api apiA = new Api(a.uri(), null);
            Api apiB = new Api(b.uri(), null);
            String channel1 = TestAgents.channel("cluster-cmd");
            String channel2 = TestAgents.channel("cluster-cmd");
            try (SimUser u1 = new SimUser(channel1, "1001"); SimUser u2 = new SimUser(channel2, "1002")) {
                Reply j1 = apiA.post(BASE + "/join", joinBody("c1", channel1, "2001", 0));
                assertThat(j1.status()).as(j1.body()).isEqualTo(200);
                assertThat(j1.text("status")).isEqualTo("RUNNING");
                Reply j2 = apiA.post(BASE + "/join", joinBody("c2", channel2, "2002", 0));
                assertThat(j2.text("status")).isEqualTo("RUNNING");
                String id1 = j1.text("agent_id");
                String id2 = j2.text("agent_id");
                // One slot each: the two agents are on different nodes, whichever read first.
                String owner1 = apiB.get(BASE + "/agents/" + id1).text("node");
                String owner2 = apiB.get(BASE + "/agents/" + id2).text("node");
                assertThat(List.of(owner1, owner2)).containsExactlyInAnyOrder("node-a", "node-b");
                assertThat(await(() -> u1.events.contains("joined 2001") && u2.events.contains("joined 2002"),
                        Duration.ofSeconds(5))).isTrue();
                Reply dup = apiB.post(BASE + "/join", joinBody("c1", TestAgents.channel("cluster-cmd"), "2009", 0));
                assertThat(dup.status()).isEqualTo(409);
                assertThat(dup.text("agent_id")).isEqualTo(id1);
                Reply full = apiB.post(BASE + "/join", joinBody("c3", TestAgents.channel("cluster-cmd"), "2003", 0));
                assertThat(full.status()).isEqualTo(429);
                assertThat(full.text("detail")).contains("all 2 agent slots of the cluster");
                assertThat(full.headers().firstValue("retry-after")).isPresent();

                // Through the node that does not run it.
                Api other1 = owner1.equals("node-a") ? apiB : apiA;
                long heard = u1.framesHeard.get();
                Reply spoke = other1.post(BASE + "/agents/" + id1 + "/speak", "{\"text\":\"Hello from the other node\"}");
                assertThat(spoke.status()).as(spoke.body()).isEqualTo(200);
                assertThat(spoke.json().get("round_id").asLong()).isEqualTo(1);
                assertThat(await(() -> u1.framesHeard.get() > heard + 30, Duration.ofSeconds(10))).isTrue();
                Reply cut = other1.post(BASE + "/agents/" + id1 + "/interrupt", "");
                assertThat(cut.status()).as(cut.body()).isEqualTo(200);
                Reply bad = other1.post(BASE + "/agents/" + id1 + "/speak", "{\"text\":\"x\",\"priority\":\"IGNORE\"}");
                assertThat(bad.status()).isEqualTo(200);
                Reply left = other1.post(BASE + "/agents/" + id1 + "/leave", "");
                assertThat(left.text("status")).as(left.body()).isEqualTo("STOPPED");
                assertThat(await(() -> u1.events.contains("left 2001"), Duration.ofSeconds(5))).isTrue();
                assertThat(apiA.get(BASE + "/agents/" + id1).text("message")).startsWith("left");
                Reply late = other1.post(BASE + "/agents/" + id1 + "/interrupt", "");
                assertThat(late.status()).isEqualTo(409);

                // The freed slot takes the next join; the list spans both nodes.
                Reply j3 = apiB.post(BASE + "/join", joinBody("c3", TestAgents.channel("cluster-cmd"), "2003", 0));
                assertThat(j3.text("status")).isEqualTo("RUNNING");
                assertThat(apiA.get(BASE + "/agents?state=RUNNING").json().at("/meta/total").asInt()).isEqualTo(2);
                assertThat(apiB.get(BASE + "/agents?state=STOPPED").json().at("/meta/total").asInt()).isEqualTo(1);
                apiA.post(BASE + "/agents/" + id2 + "/leave", "");
                apiA.post(BASE + "/agents/" + j3.text("agent_id") + "/leave", "");
            }
            assertThat(a.host().inUse() + b.host().inUse()).isZero();
        }
    }

    @Test
    void aRestartOfRedisLeavesTheAgentsRunningAndTheClusterWorkingAfterwards() throws Exception {
        String prefix = prefix();
        try (AgentServer a = node("node-r", 2, prefix)) {
            Api api = new Api(a.uri(), null);
            String channel = TestAgents.channel("cluster-restart");
            try (SimUser user = new SimUser(channel, "1001")) {
                String id = api.post(BASE + "/join", joinBody("r1", channel, "2001", 0)).text("agent_id");
                assertThat(statusOf(api, id)).isEqualTo("RUNNING");
                RunningAgent before = a.host().find(id).orElseThrow();
                redis.restart();
                Thread.sleep(1500); // the client reconnects, the worker renews
                assertThat(await(() -> a.backend().isReady() && statusOf(api, id).equals("RUNNING"),
                        Duration.ofSeconds(10))).isTrue();
                // The same session, never restarted; the state came back from the append-only file.
                assertThat(a.host().find(id)).containsSame(before);
                assertThat(before.endReason()).isNull();
                assertThat(api.get(BASE + "/agents/" + id).json().get("restarts").asInt()).isZero();
                // Past a whole lease, no other node (there is none) and not this one took it over.
                Thread.sleep(3500);
                assertThat(a.host().find(id)).containsSame(before);
                long heard = user.framesHeard.get();
                assertThat(api.post(BASE + "/agents/" + id + "/speak", "{\"text\":\"Still here.\"}").status())
                        .isEqualTo(200);
                assertThat(await(() -> user.framesHeard.get() > heard + 20, Duration.ofSeconds(10))).isTrue();
                String id2 = api.post(BASE + "/join", joinBody("r2", TestAgents.channel("cluster-restart"), "2002", 0))
                        .text("agent_id");
                assertThat(statusOf(api, id2)).isEqualTo("RUNNING");
                assertThat(api.post(BASE + "/agents/" + id + "/leave", "").text("status")).isEqualTo("STOPPED");
                assertThat(api.post(BASE + "/agents/" + id2 + "/leave", "").text("status")).isEqualTo("STOPPED");
            }
        }
    }

    @Test
    void aDrainedNodeHandsItsAgentsOverAndTheOtherNodeRestartsEachOnce() throws Exception {
        String prefix = prefix();
        try (AgentServer a = node("node-d1", 2, prefix)) {
            Api apiA = new Api(a.uri(), null);
            String c1 = TestAgents.channel("cluster-drain");
            String c2 = TestAgents.channel("cluster-drain");
            try (SimUser u1 = new SimUser(c1, "1001"); SimUser u2 = new SimUser(c2, "1002")) {
                String id1 = apiA.post(BASE + "/join", joinBody("d1", c1, "2001", 0)).text("agent_id");
                String id2 = apiA.post(BASE + "/join", joinBody("d2", c2, "2002", 0)).text("agent_id");
                assertThat(a.host().running()).isEqualTo(2);
                try (AgentServer b = node("node-d2", 2, prefix)) {
                    Api apiB = new Api(b.uri(), null);
                    long t0 = System.nanoTime();
                    a.drain(Duration.ZERO);
                    assertThat(a.host().inUse()).isZero();
                    assertThat(apiA.get("/ready").status()).isEqualTo(503);
                    assertThat(await(() -> b.host().running() == 2, Duration.ofSeconds(10))).isTrue();
                    System.out.printf("drain handover: both agents running on the other node after %.0f ms%n",
                            (System.nanoTime() - t0) / 1e6);
                    for (String id : List.of(id1, id2)) {
                        Reply r = apiB.get(BASE + "/agents/" + id);
                        assertThat(r.text("status")).isEqualTo("RUNNING");
                        assertThat(r.text("node")).isEqualTo("node-d2");
                        assertThat(r.json().get("restarts").asInt()).isEqualTo(1);
                    }
                    // The users hear the agent again: it rejoined their channels from node-d2.
                    long heard = u1.framesHeard.get();
                    assertThat(apiA.post(BASE + "/agents/" + id1 + "/speak", "{\"text\":\"I moved.\"}").status())
                            .as("a draining node still serves the API").isEqualTo(200);
                    assertThat(await(() -> u1.framesHeard.get() > heard + 20, Duration.ofSeconds(10))).isTrue();
                    Reply refused = apiA.post(BASE + "/join", joinBody("d3", c1, "2003", 0));
                    assertThat(refused.status()).isEqualTo(503);
                    assertThat(apiA.post(BASE + "/agents/" + id1 + "/leave", "").text("status")).isEqualTo("STOPPED");
                    assertThat(apiB.post(BASE + "/agents/" + id2 + "/leave", "").text("status")).isEqualTo("STOPPED");
                    assertThat(b.host().inUse()).isZero();
                }
            }
        }
    }
}
