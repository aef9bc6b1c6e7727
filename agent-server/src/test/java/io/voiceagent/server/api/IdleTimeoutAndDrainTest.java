package io.voiceagent.server.api;

import static io.voiceagent.server.api.TestAgents.BASE;
import static io.voiceagent.server.api.TestAgents.await;
import static io.voiceagent.server.api.TestAgents.joinBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.server.api.TestAgents.Api;
import io.voiceagent.server.api.TestAgents.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent leaves by itself after {@code idle_timeout} without the users it listens to, and a
 * draining server stops taking work, lets its agents finish until the deadline, then ends them. Real
 * sessions on the loopback library and real time (1 s timeouts).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IdleTimeoutAndDrainTest {

    private static String status(Api api, String id) throws Exception {
        return api.get(BASE + "/agents/" + id).text("status");
    }

    @Test
    void anAgentLeavesAfterTheIdleTimeoutWithoutItsUsersAndStaysWhileTheyAreThere() throws Exception {
        try (AgentServer server = AgentServer.builder(TestAgents.service()).port(0).capacity(3).build().start()) {
            Api api = new Api(server.uri(), null);
            String channel = TestAgents.channel("idle");
            SimUser user = new SimUser(channel, "1001");
            SimUser stranger;
            String present = api.post(BASE + "/join", joinBody("idle-present", channel, "2001", 1)).text("agent_id");
            ObjectNode onlyOther = joinBody("idle-selective", channel, "2002", 1);
            ((ObjectNode) onlyOther.get("properties")).putArray("remote_rtc_uids").add("1999");
            String selective = api.post(BASE + "/join", onlyOther).text("agent_id");
            String alone = api.post(BASE + "/join", joinBody("idle-alone", TestAgents.channel("idle-empty"), "2003", 1))
                    .text("agent_id");
            try {
                // Nobody in its channel: gone after about 1 s. Listening to 1999 only: 1001 does not count.
                assertThat(await(() -> statusQuietly(api, alone).equals("STOPPED"), Duration.ofSeconds(5))).isTrue();
                assertThat(await(() -> statusQuietly(api, selective).equals("STOPPED"), Duration.ofSeconds(5)))
                        .isTrue();
                assertThat(api.get(BASE + "/agents/" + alone).text("message")).startsWith("idle_timeout");
                // The agent whose user is there stays well past its timeout.
                Thread.sleep(2500);
                assertThat(status(api, present)).isEqualTo("RUNNING");
                stranger = new SimUser(channel, "1002");
                user.close();
                // 1002 is still there (everyone counts for this agent): it stays.
                Thread.sleep(2000);
                assertThat(status(api, present)).isEqualTo("RUNNING");
                long left = System.nanoTime();
                stranger.close();
                assertThat(await(() -> statusQuietly(api, present).equals("STOPPED"), Duration.ofSeconds(5))).isTrue();
                double afterMs = (System.nanoTime() - left) / 1e6;
                assertThat(afterMs).as("left after the 1 s timeout, not before").isGreaterThanOrEqualTo(900);
                Reply r = api.get(BASE + "/agents/" + present);
                assertThat(r.text("message")).startsWith("idle_timeout");
                assertThat(r.json().get("stop_ts").asLong()).isPositive();
                assertThat(server.metrics().scrape()).containsPattern(
                        "voiceagent_sessions_ended_total\\{reason=\"idle_timeout\"} 3");
            } finally {
                user.close();
            }
        }
    }

    private static String statusQuietly(Api api, String id) {
        try {
            return status(api, id);
        } catch (Exception e) {
            return "?";
        }
    }

    @Test
    void withoutCredentialsTheServerBindsLoopbackAndADrainStopsTakingWorkThenEndsTheAgents() throws Exception {
        try (AgentServer server = AgentServer.builder(TestAgents.service()).host("0.0.0.0").port(0).capacity(2)
                .build().start()) {
            assertThat(server.boundHost()).as("no credentials: loopback only").isEqualTo("127.0.0.1");
            Api api = new Api(server.uri(), null);
            String id = api.post(BASE + "/join", joinBody("drain", TestAgents.channel("drain"), "2001", 0))
                    .text("agent_id");
            assertThat(status(api, id)).isEqualTo("RUNNING");
            long t0 = System.nanoTime();
            CompletableFuture<Void> drain = CompletableFuture.runAsync(() -> server.drain(Duration.ofSeconds(2)));
            assertThat(await(() -> readyStatus(api) == 503, Duration.ofSeconds(2))).isTrue();
            Reply refused = api.post(BASE + "/join", joinBody("late", TestAgents.channel("drain"), "2002", 0));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.text("reason")).isEqualTo("Draining");
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
            assertThat(status(api, id)).as("still running during the drain").isEqualTo("RUNNING");
            drain.get(10, TimeUnit.SECONDS);
            assertThat((System.nanoTime() - t0) / 1e6).as("waited for the deadline").isGreaterThanOrEqualTo(1900);
            Reply after = api.get(BASE + "/agents/" + id);
            assertThat(after.text("status")).isEqualTo("STOPPED");
            assertThat(after.text("message")).startsWith("shutdown");
            assertThat(server.host().inUse()).isZero();
        }
    }

    private static int readyStatus(Api api) {
        try {
            return api.get("/ready").status();
        } catch (Exception e) {
            return -1;
        }
    }
}
