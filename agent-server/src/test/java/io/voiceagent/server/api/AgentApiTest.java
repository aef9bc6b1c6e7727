package io.voiceagent.server.api;

import static io.voiceagent.server.api.TestAgents.BASE;
import static io.voiceagent.server.api.TestAgents.await;
import static io.voiceagent.server.api.TestAgents.joinBody;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.server.api.TestAgents.Api;
import io.voiceagent.server.api.TestAgents.Reply;
import io.voiceagent.testing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The REST contract on one process: every endpoint, every error with its status and the field it
 * names, authentication, the capacity limit, metrics. The agents are real sessions on the loopback
 * library (an audio LLM served locally, espeak-ng for {@code speak}); the simulated users are plain
 * connections of this JVM.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentApiTest {
    private static final String KEY = "test-key";
    private static final String SECRET = "test-secret-123";
    private static final String TOKEN = "test-bearer-token";
    private static final int CAPACITY = 3;
    private static AgentServer server;
    private static Api api;
    private final List<String> started = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = AgentServer.builder(TestAgents.service()).port(0).capacity(CAPACITY).nodeId("api-test")
                .auth(ApiAuth.basic(KEY, SECRET).and(ApiAuth.bearer(TOKEN))).build().start();
        api = new Api(server.uri(), Api.basic(KEY, SECRET));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void leaveEverything() throws Exception {
        for (String id : started) {
            api.post(BASE + "/agents/" + id + "/leave", "");
        }
        assertThat(await(() -> server.host().inUse() == 0, Duration.ofSeconds(10))).isTrue();
    }

    private Reply join(ObjectNode body) throws Exception {
        Reply r = api.post(BASE + "/join", body);
        if (r.status() == 200) {
            started.add(r.text("agent_id"));
        }
        return r;
    }

    @Test
    void anAgentJoinsAnswersTheUserSpeaksOnRequestIsInterruptedAndLeaves() throws Exception {
        String channel = TestAgents.channel("api-life");
        try (SimUser user = new SimUser(channel, "1001")) {
            long before = System.currentTimeMillis() / 1000;
            Reply joined = join(joinBody("life", channel, "2001", 0));
            assertThat(joined.status()).as(joined.body()).isEqualTo(200);
            assertThat(joined.text("status")).isEqualTo("RUNNING");
            String id = joined.text("agent_id");
            assertThat(id).matches("[0-9A-F]{32}");
            assertThat(joined.json().get("create_ts").asLong()).isBetween(before, before + 5);
            assertThat(await(() -> user.events.contains("joined 2001"), Duration.ofSeconds(5))).isTrue();

            // The agent answers the user's turn: its audio LLM's answer reaches the user.
            user.say(Fixtures.slice(Fixtures.REAL_GAPS, 1200, 3300));
            assertThat(await(() -> user.framesHeard.get() >= 40, Duration.ofSeconds(10)))
                    .as("the answer reached the user").isTrue();

            Reply q = api.get(BASE + "/agents/" + id);
            assertThat(q.status()).isEqualTo(200);
            assertThat(q.text("status")).isEqualTo("RUNNING");
            assertThat(q.text("name")).isEqualTo("life");
            assertThat(q.text("channel")).isEqualTo(channel);
            assertThat(q.text("agent_rtc_uid")).isEqualTo("2001");
            assertThat(q.text("node")).isEqualTo("api-test");
            assertThat(q.json().get("start_ts").asLong()).isGreaterThanOrEqualTo(before);
            assertThat(q.json().get("stop_ts").asLong()).isZero();

            long heard = user.framesHeard.get();
            Reply spoke = api.post(BASE + "/agents/" + id + "/speak", "{\"text\":\"Hello there, how can I help?\"}");
            assertThat(spoke.status()).as(spoke.body()).isEqualTo(200);
            assertThat(spoke.json().get("ignored").asBoolean()).isFalse();
            assertThat(spoke.json().get("round_id").asLong()).isEqualTo(2);
            assertThat(await(() -> user.framesHeard.get() >= heard + 30, Duration.ofSeconds(10)))
                    .as("the spoken text reached the user").isTrue();
            // A longer text, cut off while it is being synthesized or played.
            api.post(BASE + "/agents/" + id + "/speak", "{\"text\":\"This is a long sentence that the agent will"
                    + " not finish saying because it is interrupted.\",\"priority\":\"INTERRUPT\"}");
            Reply cut = api.post(BASE + "/agents/" + id + "/interrupt", "");
            assertThat(cut.status()).isEqualTo(200);
            assertThat(cut.json().get("interrupted").asBoolean()).isTrue();
            Reply again = api.post(BASE + "/agents/" + id + "/interrupt", "");
            assertThat(again.json().get("interrupted").asBoolean()).as("nothing left to cut").isFalse();

            Reply left = api.post(BASE + "/agents/" + id + "/leave", "");
            assertThat(left.status()).isEqualTo(200);
            assertThat(left.text("status")).isEqualTo("STOPPED");
            assertThat(await(() -> user.events.contains("left 2001"), Duration.ofSeconds(5))).isTrue();
            Reply gone = api.get(BASE + "/agents/" + id);
            assertThat(gone.text("status")).isEqualTo("STOPPED");
            assertThat(gone.text("message")).startsWith("left");
            assertThat(gone.json().get("stop_ts").asLong()).isGreaterThanOrEqualTo(before);
            assertThat(api.post(BASE + "/agents/" + id + "/leave", "").text("status")).as("idempotent")
                    .isEqualTo("STOPPED");
            Reply late = api.post(BASE + "/agents/" + id + "/interrupt", "");
            assertThat(late.status()).isEqualTo(409);
            assertThat(late.text("detail")).contains("is not running").contains("STOPPED");
            assertThat(api.post(BASE + "/agents/" + id + "/speak", "{\"text\":\"hi\"}").status()).isEqualTo(409);

            // The name is free again once its agent stopped.
            Reply reused = join(joinBody("life", channel, "2001", 0));
            assertThat(reused.status()).isEqualTo(200);
            assertThat(reused.text("agent_id")).isNotEqualTo(id);
        }
        String metrics = api.as(null).get("/metrics").body();
        assertThat(metrics).contains("voiceagent_sessions_capacity " + CAPACITY + ".0");
        assertThat(metrics).containsPattern("voiceagent_rounds_total\\{reason=\"interrupted\"} [1-9]");
        assertThat(metrics).containsPattern("voiceagent_interrupts_total\\{trigger=\"explicit\"} [1-9]");
        assertThat(metrics).containsPattern("voiceagent_round_first_audio_seconds_count [1-9]");
        assertThat(metrics).containsPattern("voiceagent_agent_start_seconds_count [1-9]");
        assertThat(metrics).containsPattern("voiceagent_sessions_ended_total\\{reason=\"left\"} [1-9]");
        assertThat(metrics).containsPattern("voiceagent_vad_windows_total [1-9]");
        assertThat(metrics).contains("voiceagent_pool_connections{state=\"idle\"}");
        assertThat(metrics).contains("voiceagent_pacing_underruns_total");
        assertThat(metrics).doesNotContain(SECRET).doesNotContain("test-key-not-secret");
    }

    @Test
    void listFiltersByStateAndChannelAndPagesWithACursorAndAFullServerSays429() throws Exception {
        String a = TestAgents.channel("api-list-a");
        String b = TestAgents.channel("api-list-b");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CAPACITY; i++) {
            Reply r = join(joinBody("list-" + i, i < 2 ? a : b, Integer.toString(3000 + i), 0));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            ids.add(r.text("agent_id"));
        }
        Reply full = api.post(BASE + "/join", joinBody("one-too-many", a, "3999", 0));
        assertThat(full.status()).isEqualTo(429);
        assertThat(full.text("reason")).isEqualTo("TooManyAgents");
        assertThat(full.headers().firstValue("retry-after")).hasValue("5");

        Reply inA = api.get(BASE + "/agents?channel=" + a);
        assertThat(inA.json().at("/meta/total").asInt()).isEqualTo(2);
        Set<String> seen = new HashSet<>();
        Reply page1 = api.get(BASE + "/agents?channel=" + a + "&limit=1");
        assertThat(page1.json().at("/data/count").asInt()).isEqualTo(1);
        String cursor = page1.json().at("/meta/cursor").asText();
        assertThat(cursor).isNotEmpty();
        seen.add(page1.json().at("/data/list/0/agent_id").asText());
        Reply page2 = api.get(BASE + "/agents?channel=" + a + "&limit=1&cursor=" + cursor);
        seen.add(page2.json().at("/data/list/0/agent_id").asText());
        assertThat(page2.json().at("/meta/cursor").asText()).as("last page").isEmpty();
        assertThat(seen).containsExactlyInAnyOrder(ids.get(0), ids.get(1));

        api.post(BASE + "/agents/" + ids.get(0) + "/leave", "");
        assertThat(ids(api.get(BASE + "/agents?channel=" + a + "&state=RUNNING"))).containsExactly(ids.get(1));
        assertThat(ids(api.get(BASE + "/agents?channel=" + a + "&state=2"))).containsExactly(ids.get(1));
        assertThat(ids(api.get(BASE + "/agents?channel=" + a + "&state=stopped"))).containsExactly(ids.get(0));
        assertThat(ids(api.get(BASE + "/agents?channel=" + b))).containsExactly(ids.get(2));
        long now = System.currentTimeMillis() / 1000;
        assertThat(ids(api.get(BASE + "/agents?channel=" + b + "&from_time=" + (now + 100)))).isEmpty();
        // A slot is free again.
        assertThat(join(joinBody("list-again", b, "3998", 0)).status()).isEqualTo(200);
        JsonNode node = api.get("/node").json();
        assertThat(node.get("node").asText()).isEqualTo("api-test");
        assertThat(node.get("capacity").asInt()).isEqualTo(CAPACITY);
        assertThat(node.get("agents")).hasSize(3);
    }

    private static List<String> ids(Reply r) {
        List<String> out = new ArrayList<>();
        r.json().at("/data/list").forEach(n -> out.add(n.get("agent_id").asText()));
        return out;
    }

    @Test
    void credentialsAreRequiredAndCheckedWhileHealthReadinessAndMetricsAreOpen() throws Exception {
        Api anonymous = api.as(null);
        Reply noAuth = anonymous.get(BASE + "/agents");
        assertThat(noAuth.status()).isEqualTo(401);
        assertThat(noAuth.text("reason")).isEqualTo("Unauthorized");
        assertThat(noAuth.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Basic"));
        assertThat(api.as(Api.basic(KEY, "wrong")).get(BASE + "/agents").status()).isEqualTo(401);
        assertThat(api.as(Api.basic("other", SECRET)).get(BASE + "/agents").status()).isEqualTo(401);
        assertThat(api.as("Bearer wrong").get(BASE + "/agents").status()).isEqualTo(401);
        assertThat(api.as("Basic !!!not-base64").get(BASE + "/agents").status()).isEqualTo(401);
        assertThat(api.as("Bearer " + TOKEN).get(BASE + "/agents").status()).isEqualTo(200);
        assertThat(anonymous.get("/node").status()).isEqualTo(401);
        assertThat(anonymous.post("/drain", "").status()).isEqualTo(401);
        assertThat(anonymous.get("/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/ready").status()).isEqualTo(200);
        assertThat(anonymous.get("/metrics").status()).isEqualTo(200);
        assertThat(noAuth.body()).doesNotContain(SECRET);
    }

    @Test
    void everyBadRequestGetsItsStatusAndNamesTheField() throws Exception {
        String ch = TestAgents.channel("api-bad");
        assertError(api.post(BASE + "/join", "{not json"), 400, "body");
        assertError(api.post(BASE + "/join", "[1,2]"), 400, "body");
        assertError(api.post(BASE + "/join", ""), 400, "body");
        ObjectNode noName = joinBody("x", ch, "1", 0);
        noName.remove("name");
        assertError(api.post(BASE + "/join", noName), 400, "name");
        ObjectNode noProps = TestAgents.JSON.createObjectNode().put("name", "x");
        assertError(api.post(BASE + "/join", noProps), 400, "properties");

        assertBad(b -> props(b).remove("channel"), "properties.channel", "is required");
        assertBad(b -> props(b).put("channel", "x".repeat(65)), "properties.channel", "not a valid channel");
        assertBad(b -> props(b).put("agent_rtc_uid", "agent-one"), "properties.agent_rtc_uid", "must be a number");
        assertBad(b -> props(b).remove("agent_rtc_uid"), "properties.agent_rtc_uid", "is required");
        assertBad(b -> props(b).put("token", 12345), "properties.token", "value not shown");
        assertBad(b -> props(b).putArray("remote_rtc_uids").add("x"), "properties.remote_rtc_uids[0]",
                "must be a number");
        assertBad(b -> props(b).put("idle_timeout", -1), "properties.idle_timeout", "-1");
        assertBad(b -> props(b).put("idle_timeout", "soon"), "properties.idle_timeout", "the string 'soon'");
        assertBad(b -> props(b).put("enable_string_uid", "yes"), "properties.enable_string_uid", "true or false");
        assertBad(b -> props(b).put("interrupt_mode", "sometimes"), "properties.interrupt_mode", "sometimes");
        assertBad(b -> props(b).remove("llm"), "properties.llm", "is required");
        assertBad(b -> llm(b).put("url", "ftp://x"), "properties.llm.url", "http or https");
        assertBad(b -> llm(b).putArray("output_modalities").add("video"), "properties.llm.output_modalities[0]",
                "text or audio");
        assertBad(b -> llm(b).put("max_history", 0), "properties.llm.max_history", "1..10000");
        assertBad(b -> llm(b).putArray("system_messages").addObject().put("role", "user").put("content", "x"),
                "properties.llm.system_messages[0].role", "must be system");
        assertBad(b -> {
            props(b).remove("tts");
            llm(b).remove("output_modalities");
        }, "properties.tts", "is required");
        assertBad(b -> props(b).putObject("tts").put("vendor", "microsoft"), "properties.tts.vendor",
                "supported: espeak-ng");
        assertBad(b -> props(b).putObject("tts").putObject("params").put("speed", 5), "properties.tts.params.speed",
                "80..500");
        assertBad(b -> props(b).putObject("asr").put("vendor", "deepgram"), "properties.asr.vendor", "openai");
        assertBad(b -> props(b).putObject("asr").put("language", "english!"), "properties.asr.language", "en-US");
        assertBad(b -> props(b).putObject("vad").put("silence_duration_ms", 5), "properties.vad.silence_duration_ms",
                "10..100000");
        assertBad(b -> props(b).putObject("vad").put("threshold", 1.5), "properties.vad.threshold", "0.0..1.0");
        assertBad(b -> props(b).putObject("vad").put("loudness", 3), "properties.vad.loudness", "not a VAD parameter");
        assertBad(b -> props(b).putObject("vad").put("activePercent", 2), "properties.vad.activePercent",
                "out of range");

        assertError(api.post(BASE + "/agents/NOPE/leave", ""), 404, "agent_id");
        assertError(api.get(BASE + "/agents/NOPE"), 404, "agent_id");
        assertError(api.post(BASE + "/agents/NOPE/interrupt", ""), 404, "agent_id");
        assertError(api.post(AgentApiHandler.BASE + "/other-app/join", joinBody("x", ch, "1", 0)), 404, "appid");
        assertThat(api.get(BASE + "/agents/x/y/z").status()).isEqualTo(404);
        Reply wrongMethod = api.get(BASE + "/join");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
        assertError(api.get(BASE + "/agents?state=dancing"), 400, "state");
        assertError(api.get(BASE + "/agents?limit=0"), 400, "limit");
        assertError(api.get(BASE + "/agents?limit=101"), 400, "limit");
        assertError(api.get(BASE + "/agents?cursor=abc"), 400, "cursor");

        Reply first = join(joinBody("dup", ch, "4001", 0));
        assertThat(first.status()).isEqualTo(200);
        Reply dup = api.post(BASE + "/join", joinBody("dup", TestAgents.channel("api-bad"), "4002", 0));
        assertError(dup, 409, "name");
        assertThat(dup.text("agent_id")).isEqualTo(first.text("agent_id"));
        String id = first.text("agent_id");
        assertError(api.post(BASE + "/agents/" + id + "/speak", "{}"), 400, "text");
        assertError(api.post(BASE + "/agents/" + id + "/speak", "{\"text\":\"hi\",\"priority\":\"APPEND\"}"), 400,
                "priority");
        assertError(api.post(BASE + "/agents/" + id + "/speak", "{\"text\":\"hi\",\"priority\":\"SOON\"}"), 400,
                "priority");
    }

    private interface Edit {
        void apply(ObjectNode body);
    }

    private static ObjectNode props(ObjectNode b) {
        return (ObjectNode) b.get("properties");
    }

    private static ObjectNode llm(ObjectNode b) {
        return (ObjectNode) props(b).get("llm");
    }

    private void assertBad(Edit edit, String field, String detailPart) throws Exception {
        ObjectNode body = joinBody("bad", TestAgents.channel("api-bad"), "5001", 0);
        edit.apply(body);
        Reply r = join(body);
        assertError(r, 400, field);
        assertThat(r.text("detail")).as(field).startsWith(field).contains(detailPart);
    }

    private static void assertError(Reply r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.text("field")).as(r.body()).isEqualTo(field);
        assertThat(r.text("reason")).isNotBlank();
        assertThat(r.text("detail")).isNotBlank();
    }
}
