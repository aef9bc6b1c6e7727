package io.voiceagent.server.duet;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.WavFile;
import io.voiceagent.core.duet.Duet;
import io.voiceagent.core.duet.DuetRole;
import io.voiceagent.core.duet.VoiceCatalog;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.server.EmbeddedServer;
import io.voiceagent.server.web.WebConsole;
import io.voiceagent.server.web.WebConsoleConfig;
import io.voiceagent.server.web.WebSessionClient;
import io.voiceagent.server.web.WebSessionClient.Received;
import io.voiceagent.testing.Fixtures;
import io.voiceagent.testing.Scheduler;
import io.voiceagent.testing.ScriptedChat;
import io.voiceagent.testing.ScriptedStt;
import io.voiceagent.testing.ScriptedTts;
import io.voiceagent.testing.TestPcm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed-003 protocol over a real socket: Jetty, the real pacer and Silero VAD, scripted LLMs, TTS
 * (each voice's samples carry its tag) and STT on real threads, and a Java WebSocket client. Order is
 * checked on the sequence of messages, voices on the samples of the WAVs; nothing sleeps to order.
 */
class DuetProtocolTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final Map<String, Integer> VOICE_TAGS = Map.of("en-us", 11, "en-gb", 12, "es", 21, "es-419", 22,
            "fr-fr", 31, "fr-be", 32);

    private final ScheduledExecutorService io = Executors.newScheduledThreadPool(2);
    private final Scheduler scheduler = Scheduler.onThreads(io);
    private final AtomicInteger aTurns = new AtomicInteger();
    private final AtomicInteger bTurns = new AtomicInteger();
    private DuetServer duets;
    private EmbeddedServer server;

    private void startServer(int maxTurns, String... transcripts) {
        VoiceCatalog voices = VoiceCatalog.builder().description("scripted")
                .language("en", "English", "en-us", "en-gb")
                .language("es", "Spanish", "es", "es-419")
                .language("fr", "French", "fr-fr", "fr-be")
                .engine(voice -> new ScriptedTts(scheduler, Duration.ofMillis(20), Duration.ofMillis(5),
                        Duration.ofMillis(100), text -> Duration.ofMillis(150L * text.split(" ").length),
                        text -> VOICE_TAGS.get(voice)))
                .build();
        ScriptedChat a = new ScriptedChat(m -> List.of(answer("A says", aTurns, m)), scheduler, Duration.ofMillis(30),
                Duration.ofMillis(5));
        ScriptedChat b = new ScriptedChat(m -> List.of(answer("B answers", bTurns, m)), scheduler,
                Duration.ofMillis(30), Duration.ofMillis(5));
        ScriptedStt stt = new ScriptedStt(scheduler, Duration.ofMillis(50), transcripts);
        DuetServerConfig config = DuetServerConfig.builder().maxTurns(maxTurns).maxSessions(3).build();
        duets = DuetServer.create(config, (id, duet) -> duet.llm(DuetRole.A, a).llm(DuetRole.B, b).voices(voices)
                .stt(stt));
        server = duets.install(EmbeddedServer.builder().port(0)).build().start();
    }

    /** "A says 3." or, answering the user, "A says 3 to the user." */
    private static String answer(String who, AtomicInteger n, List<ChatMessage> m) {
        boolean user = m.get(m.size() - 1).content().startsWith("User:");
        return who + " " + n.incrementAndGet() + (user ? " to the user." : ".");
    }

    private URI ws(String id) {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws/" + id);
    }

    @AfterEach
    void tearDown() {
        if (duets != null) {
            duets.close();
        }
        if (server != null) {
            server.close();
        }
        io.shutdownNow();
    }

    private static int tagOfWav(Received r) throws Exception {
        WavFile wav = WavFile.parse(Base64.getDecoder().decode(r.text("wav_b64")), "agent_audio");
        assertThat(wav.sampleRateHz()).isEqualTo(16000);
        assertThat(wav.channels()).isEqualTo(1);
        short[] s = wav.samples();
        assertThat(s).isNotEmpty();
        return s[0];
    }

    /** The first message at index {@code from} or later of {@code type}, waiting for it. */
    private static Received at(WebSessionClient c, int from, String type) throws InterruptedException {
        int i = c.await(from, type, T);
        return c.received().get(i);
    }

    private static void send(WebSessionClient c, String json) {
        c.sendText(json);
    }

    private static String b64(byte[] pcm) {
        return Base64.getEncoder().encodeToString(pcm);
    }

    @Test
    void onConnectTheSessionStateThenTheAgentsAlternateWithTheirTextAndAWavPerTurn() throws Exception {
        startServer(4);
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("ok");
        for (String path : List.of("/duet", "/duet/", "/duet/duet.js", "/duet/duet.css", "/duet/capture-worklet.js")) {
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(path + ": " + page.body()).isEqualTo(200);
        }
        try (WebSessionClient c = WebSessionClient.connect(ws("first-1"))) {
            int i = c.await(0, "session_state", T);
            Received state = c.received().get(i);
            assertThat(state.text("session_id")).isEqualTo("first-1");
            assertThat(state.json().at("/agents/A/name").asText()).isEqualTo("Alex");
            assertThat(state.json().at("/agents/A/lang").asText()).isEqualTo("en");
            assertThat(state.json().at("/agents/A/voice").asText()).isEqualTo("en-us");
            assertThat(state.json().at("/agents/A/instructions").asText()).contains("astronomer");
            assertThat(state.json().at("/agents/B/name").asText()).isEqualTo("Sofía");
            assertThat(state.json().at("/agents/B/lang").asText()).isEqualTo("es");
            assertThat(state.json().at("/agents/B/voice").asText()).isEqualTo("es");

            send(c, "{\"type\":\"start_duet\"}");
            c.await(i, r -> r.type().equals("duet_ended"), T);
            List<Received> all = c.received();
            assertThat(all.stream().map(Received::type).toList()).containsSubsequence("ok", "agent_text", "agent_audio",
                    "agent_text", "agent_audio", "agent_text", "agent_audio", "agent_text", "agent_audio", "duet_ended");
            assertThat(c.messages("ok").get(0).text("what")).isEqualTo("duet_started");
            List<Received> texts = c.messages("agent_text");
            assertThat(texts).extracting(r -> r.text("agent")).containsExactly("A", "B", "A", "B");
            assertThat(texts).extracting(r -> r.text("name")).containsExactly("Alex", "Sofía", "Alex", "Sofía");
            assertThat(texts).extracting(r -> r.text("text")).containsExactly("A says 1.", "B answers 1.", "A says 2.",
                    "B answers 2.");
            double now = System.currentTimeMillis() / 1000.0;
            assertThat(texts).allSatisfy(r -> assertThat(r.json().path("ts").asDouble()).isBetween(now - 60, now));
            List<Received> audio = c.messages("agent_audio");
            assertThat(audio).extracting(r -> r.text("agent")).containsExactly("A", "B", "A", "B");
            assertThat(tagOfWav(audio.get(0))).isEqualTo(VOICE_TAGS.get("en-us"));
            assertThat(tagOfWav(audio.get(1))).isEqualTo(VOICE_TAGS.get("es"));
            // Each turn's WAV is sent when the previous one has played on the server's timeline: 450 ms of speech.
            for (int k = 1; k < audio.size(); k++) {
                assertThat(audio.get(k).atNanos() - audio.get(k - 1).atNanos()).isGreaterThanOrEqualTo(450_000_000L);
            }
            assertThat(c.messages("duet_ended").get(0).text("reason")).isEqualTo("turn_limit");
        }
    }

    @Test
    void setAgentChangesTheNextTurnsVoiceAndLanguage() throws Exception {
        startServer(4);
        try (WebSessionClient c = WebSessionClient.connect(ws("voices"))) {
            int i = c.await(0, "session_state", T);
            send(c, "{\"type\":\"set_agent\",\"agent\":\"B\",\"lang\":\"fr\"}");
            i = c.await(i + 1, r -> r.type().equals("ok") && r.text("what").equals("agent_updated"), T);
            send(c, "{\"type\":\"set_agent\",\"agent\":\"a\",\"voice\":\"en-gb\",\"name\":\"Alexa\"}");
            i = c.await(i + 1, r -> r.type().equals("ok") && r.text("what").equals("agent_updated"), T);
            Received state = c.received().stream().filter(r -> r.type().equals("session_state")).reduce((x, y) -> y)
                    .orElseThrow();
            assertThat(state.json().at("/agents/B/lang").asText()).isEqualTo("fr");
            assertThat(state.json().at("/agents/B/voice").asText()).isEqualTo("fr-fr");
            assertThat(state.json().at("/agents/A/name").asText()).isEqualTo("Alexa");
            send(c, "{\"type\":\"start_duet\"}");
            // Mid-duet, after B's first turn: B switches voice within French.
            int firstB = c.await(i, r -> r.type().equals("agent_audio") && r.text("agent").equals("B"), T);
            send(c, "{\"type\":\"set_agent\",\"agent\":\"B\",\"voice\":\"fr-be\"}");
            c.await(firstB, r -> r.type().equals("duet_ended"), T);
            List<Received> audio = c.messages("agent_audio");
            assertThat(audio).hasSize(4);
            assertThat(tagOfWav(audio.get(0))).isEqualTo(VOICE_TAGS.get("en-gb"));
            assertThat(tagOfWav(audio.get(1))).isEqualTo(VOICE_TAGS.get("fr-fr"));
            assertThat(tagOfWav(audio.get(3))).isEqualTo(VOICE_TAGS.get("fr-be"));
            assertThat(c.messages("turn")).extracting(r -> r.text("agent") + " " + r.text("lang") + "/" + r.text("voice"))
                    .containsExactly("A en/en-gb", "B fr/fr-fr", "A en/en-gb", "B fr/fr-be");
            assertThat(c.messages("agent_text").get(0).text("name")).isEqualTo("Alexa");
        }
    }

    @Test
    void aUsersTextCutsTheSpeakerWithStopAudioBeforeAnyAudioOfTheNextTurn() throws Exception {
        startServer(6);
        try (WebSessionClient c = WebSessionClient.connect(ws("barge"))) {
            int i = c.await(0, "session_state", T);
            send(c, "{\"type\":\"start_duet\"}");
            int spoke = c.await(i, r -> r.type().equals("agent_audio") && r.text("agent").equals("A"), T);
            send(c, "{\"type\":\"user_text\",\"text\":\"What about the moon?\"}");
            int ack = c.await(spoke, "user_text_ack", T);
            assertThat(c.received().get(ack).text("text")).isEqualTo("What about the moon?");
            int stop = c.await(spoke, "stop_audio", T);
            assertThat(c.received().get(stop).text("agent")).isEqualTo("A");
            int next = c.await(spoke + 1, "agent_audio", T);
            assertThat(stop).isLessThan(next);
            assertThat(c.received().get(next).text("agent")).isEqualTo("B");
            int nextText = c.await(spoke + 1, "agent_text", T);
            assertThat(c.received().get(nextText).text("text")).isEqualTo("B answers 1 to the user.");
            // No audio of A's cut turn after stop_audio: the next agent_audio of A is a new turn.
            List<Received> afterStop = c.received().subList(stop, c.received().size());
            assertThat(afterStop.stream().filter(r -> r.type().equals("agent_audio")).findFirst().orElseThrow()
                    .text("agent")).isEqualTo("B");

            // interrupt: the speaker is cut, stop_audio precedes anything else of the duet, and it waits.
            int bSpoke = c.await(next + 1, r -> r.type().equals("agent_audio"), T);
            send(c, "{\"type\":\"interrupt\"}");
            int cut = c.await(bSpoke, "stop_audio", T);
            assertThat(duets.room("barge").duet().state()).isEqualTo(Duet.State.HELD);
            send(c, "{\"type\":\"start_duet\"}");
            int resumed = c.await(cut, r -> r.type().equals("ok") && r.text("what").equals("duet_started"), T);
            c.await(resumed, "agent_audio", T);
            send(c, "{\"type\":\"stop\"}");
            c.await(cut, r -> r.type().equals("ok") && r.text("what").equals("stopped"), T);
        }
    }

    @Test
    void aSpokenUtteranceCutsTheSpeakerAndTheOtherAgentAnswersIt() throws Exception {
        startServer(6, "what about the moon");
        try (WebSessionClient c = WebSessionClient.connect(ws("voice"))) {
            int i = c.await(0, "session_state", T);
            send(c, "{\"type\":\"start_duet\"}");
            int spoke = c.await(i, r -> r.type().equals("agent_audio") && r.text("agent").equals("A"), T);
            byte[] speech = TestPcm.concat(Fixtures.firstUtterance(), TestPcm.silence(200));
            // A stream of chunks, the last one final.
            int chunk = 3200;
            for (int off = 0; off < speech.length; off += chunk) {
                int n = Math.min(chunk, speech.length - off);
                byte[] part = java.util.Arrays.copyOfRange(speech, off, off + n);
                boolean last = off + n >= speech.length;
                send(c, "{\"type\":\"user_audio\",\"pcm16_b64\":\"" + b64(part) + "\"" + (last ? ",\"final\":true" : "")
                        + "}");
            }
            int started = c.await(spoke, "user_speech_started", T);
            int heard = c.await(started, "user_transcript", T);
            assertThat(c.received().get(heard).text("text")).isEqualTo("what about the moon");
            int answer = c.await(heard, "agent_text", T);
            assertThat(c.received().get(answer).text("agent")).isEqualTo("B");
            assertThat(c.received().get(answer).text("text")).isEqualTo("B answers 1 to the user.");
            assertThat(c.messages("error")).isEmpty();
        }
    }

    @Test
    void reconnectingWithTheSameIdGetsTheSameSessionBack() throws Exception {
        startServer(2);
        try (WebSessionClient c = WebSessionClient.connect(ws("keep-me"))) {
            int i = c.await(0, "session_state", T);
            send(c, "{\"type\":\"set_agent\",\"agent\":\"A\",\"name\":\"Zed\",\"instructions\":\"A pirate.\"}");
            c.await(i + 1, r -> r.type().equals("ok"), T);
            send(c, "{\"type\":\"start_duet\"}");
            c.await(i + 1, "duet_ended", T);
        }
        try (WebSessionClient again = WebSessionClient.connect(ws("keep-me"));
                WebSessionClient other = WebSessionClient.connect(ws("someone-else"))) {
            Received state = at(again, 0, "session_state");
            assertThat(state.text("session_id")).isEqualTo("keep-me");
            assertThat(state.json().at("/agents/A/name").asText()).isEqualTo("Zed");
            assertThat(state.json().at("/agents/A/instructions").asText()).isEqualTo("A pirate.");
            Received fresh = at(other, 0, "session_state");
            assertThat(fresh.json().at("/agents/A/name").asText()).isEqualTo("Alex");
            // The same duet: its history holds the first connection's two turns.
            assertThat(duets.sessionCount()).isEqualTo(2);
            DuetRoom room = duets.room("keep-me");
            assertThat(room.duet().session(DuetRole.B).history()).contains(ChatMessage.user("Zed: A says 1."));
            // A second connection with the id in use takes it over; the first is closed with 4000.
            try (WebSessionClient third = WebSessionClient.connect(ws("keep-me"))) {
                third.await(0, "session_state", T);
                assertThat(again.closeFuture().get(10, TimeUnit.SECONDS)).isEqualTo(4000);
                send(third, "{\"type\":\"reset\"}");
                third.await(0, r -> r.type().equals("ok") && r.text("what").equals("reset"), T);
            }
        }
    }

    @Test
    void theWebConsoleKeepsWsAndTheDuetTakesWsSlashIdOnTheSameServer() throws Exception {
        VoiceCatalog voices = VoiceCatalog.builder().language("en", "English", "en-us")
                .language("es", "Spanish", "es").engine(v -> ScriptedTts.fixed(scheduler, Duration.ofMillis(10),
                        Duration.ofMillis(5), Duration.ofMillis(300))).build();
        ScriptedChat chat = ScriptedChat.replying(scheduler, Duration.ofMillis(10), Duration.ofMillis(5), "Hi.");
        ScriptedStt stt = new ScriptedStt(scheduler, Duration.ofMillis(10));
        WebConsole console = WebConsole.create(
                WebConsoleConfig.defaults(), (id, s) -> s.stt(stt).llm(chat)
                        .tts(voices.tts("en-us")));
        duets = DuetServer.create(DuetServerConfig.defaults(), (id, duet) -> duet.llm(chat).voices(voices).stt(stt));
        server = duets.install(console.install(EmbeddedServer.builder().port(0))).build().start();
        try (WebSessionClient web = WebSessionClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws"));
                WebSessionClient duet = WebSessionClient.connect(ws("both"))) {
            assertThat(at(web, 0, "status").text("status")).isEqualTo("stopped"); // the console's first message
            assertThat(at(duet, 0, "session_state").text("session_id")).isEqualTo("both");
            assertThat(web.messages("session_state")).isEmpty();
        } finally {
            console.close();
        }
    }

    @Test
    void everyBadInputGetsAnErrorAndTheSessionSurvives() throws Exception {
        startServer(2);
        try (WebSessionClient c = WebSessionClient.connect(ws("bad"))) {
            int i = c.await(0, "session_state", T);
            String[][] cases = {
                {"{not json", "invalid JSON"},
                {"[1,2]", "a message must be a JSON object with a type"},
                {"{\"text\":\"hi\"}", "a message needs a string field type"},
                {"{\"type\":\"dance\"}", "unknown type 'dance'; expected start_duet, stop, interrupt, user_text, "
                        + "user_audio, set_agent or reset"},
                {"{\"type\":\"set_agent\",\"agent\":\"C\",\"name\":\"x\"}", "set_agent: unknown agent 'C': agent must be "
                        + "A or B"},
                {"{\"type\":\"set_agent\",\"name\":\"x\"}", "set_agent needs a string field agent; got none"},
                {"{\"type\":\"set_agent\",\"agent\":\"A\"}", "set_agent needs at least one of instructions, voice, lang, "
                        + "name"},
                {"{\"type\":\"set_agent\",\"agent\":\"A\",\"lang\":\"de\"}", "language 'de' has no voice in the scripted "
                        + "catalog; languages with voices: en, es, fr"},
                {"{\"type\":\"set_agent\",\"agent\":\"B\",\"voice\":\"en-us\"}", "voice 'en-us' is not a voice of "
                        + "language 'es'; its voices: es, es-419"},
                {"{\"type\":\"set_agent\",\"agent\":\"B\",\"lang\":\"klingon!\"}", "language must be a language code "
                        + "like en or es; got 'klingon!'"},
                {"{\"type\":\"set_agent\",\"agent\":\"A\",\"name\":7}", "set_agent needs a string field name; got 7"},
                {"{\"type\":\"user_text\"}", "user_text needs a string field text; got none"},
                {"{\"type\":\"user_text\",\"text\":\"  \"}", "user_text: text must not be blank"},
                {"{\"type\":\"user_audio\",\"pcm16_b64\":\"%%%not base64\"}", "user_audio: pcm16_b64 is not valid base64"},
                {"{\"type\":\"user_audio\",\"pcm16_b64\":\"" + b64(new byte[3]) + "\"}", "user_audio: pcm16_b64 holds 3 "
                        + "bytes; PCM16 needs an even number"},
                {"{\"type\":\"user_audio\",\"pcm16_b64\":\"" + b64(new byte[2]) + "\",\"final\":\"yes\"}",
                    "user_audio: final must be true or false"},
            };
            for (String[] bad : cases) {
                int before = c.received().size();
                send(c, bad[0]);
                int e = c.await(before, "error", T);
                assertThat(c.received().get(e).text("message")).as(bad[0]).startsWith(bad[1]);
            }
            int before = c.received().size();
            c.sendBinary(java.nio.ByteBuffer.wrap(new byte[8]));
            assertThat(at(c, before, "error").text("message"))
                    .startsWith("binary messages are not part of the duet protocol");
            // Nothing changed, and the session works.
            before = c.received().size();
            send(c, "{\"type\":\"start_duet\"}");
            c.await(before, r -> r.type().equals("ok") && r.text("what").equals("duet_started"), T);
            send(c, "{\"type\":\"start_duet\"}");
            assertThat(at(c, before, "error").text("message")).isEqualTo("the duet is already running");
            c.await(before, "agent_audio", T);
            assertThat(duets.room("bad").duet().agents().get(DuetRole.A).name()).isEqualTo("Alex");
        }
        // A bad session id is refused with 1008.
        try (WebSessionClient c = WebSessionClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws/bad%20id"))) {
            assertThat(at(c, 0, "error").text("message")).startsWith("the path must be "
                    + "/ws/{session_id}");
            assertThat(c.closeFuture().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }
}
