package io.voiceagent.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.agent.InterruptMode;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.server.EmbeddedServer;
import io.voiceagent.server.web.WebSessionClient.Received;
import io.voiceagent.testing.Fixtures;
import io.voiceagent.testing.Scheduler;
import io.voiceagent.testing.ScriptedChat;
import io.voiceagent.testing.ScriptedStreamingStt;
import io.voiceagent.testing.ScriptedStreamingStt.Partial;
import io.voiceagent.testing.ScriptedStreamingStt.Utterance;
import io.voiceagent.testing.ScriptedTts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed-002 protocol over a real socket: Jetty, the real Silero VAD and pacer, scripted STT/LLM/TTS
 * on real threads, and a Java WebSocket client. Every message and every bad input of the protocol.
 */
class WebSessionProtocolTest {
    private static final Duration T = Duration.ofSeconds(20);
    private static final PcmFormat F = PcmFormat.MONO_16K;

    private final ScheduledExecutorService io = Executors.newScheduledThreadPool(2);
    private final Scheduler scheduler = Scheduler.onThreads(io);
    private WebConsole console;
    private EmbeddedServer server;
    private ScriptedChat chat;
    private long msPerChar = 20;

    /** Round N's texts say N ("one", "two", ...); the TTS tags their samples N. */
    private static int tagOf(String text) {
        return text.contains("one") ? 1 : text.contains("two") ? 2 : text.contains("three") ? 3 : 9;
    }

    private static final String[] N = {"zero", "one", "two", "three"};

    private void startServer(WebConsoleConfig config, InterruptMode mode, Utterance... stt) {
        chat = new ScriptedChat(m -> {
            String n = N[(int) Math.min(3, m.stream().filter(x -> x.role().equals("user")).count())];
            return List.of("Answer " + n + ".", " Still " + n + " with more words.");
        }, scheduler, Duration.ofMillis(50), Duration.ofMillis(10));
        ScriptedTts tts = new ScriptedTts(scheduler, Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(100),
                t -> Duration.ofMillis(msPerChar * t.length()), WebSessionProtocolTest::tagOf);
        ScriptedStreamingStt recognizer = new ScriptedStreamingStt(scheduler, Duration.ofMillis(30), stt);
        console = WebConsole.create(config, (id, session) -> session.stt(recognizer).llm(chat).tts(tts)
                .interruptMode(mode));
        server = console.install(EmbeddedServer.builder().port(0)).build().start();
    }

    private void startServer(Utterance... stt) {
        startServer(WebConsoleConfig.defaults(), InterruptMode.VOICE_ACTIVATION, stt);
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    }

    @AfterEach
    void tearDown() {
        if (console != null) {
            console.close();
        }
        if (server != null) {
            server.close();
        }
        io.shutdownNow();
    }

    /** Sends {@code pcm} in 200 ms blocks, the first flagged, as fast as possible. */
    private static void speak(WebSessionClient c, byte[] pcm) {
        speak(c, pcm, false);
    }

    /** Sends {@code pcm} in 200 ms blocks, the first flagged, in real time or as fast as possible. */
    private static void speak(WebSessionClient c, byte[] pcm, boolean realTime) {
        int block = (int) F.bytesFor(200);
        for (int off = 0, i = 0; off < pcm.length; off += block, i++) {
            int n = Math.min(block, pcm.length - off);
            c.sendAudio(i * 200L, WebSessionClient.flags(100, false, i == 0), pcm, off, n - n % 2);
            if (realTime) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static int tag(Received r) {
        return ScriptedTts.tagOf(r.pcm(), 0);
    }

    @Test
    void aSpokenTurnGetsTranscriptsTheStreamingAnswerAndItsAudioBetweenTtsStartAndTtsEnd() throws Exception {
        startServer(Utterance.of("what is the weather", Partial.at(200, "what"), Partial.at(500, "what is the")));
        try (WebSessionClient c = WebSessionClient.connect(ws())) {
            int i = c.await(0, "status", T);
            Received hello = c.received().get(i);
            assertThat(hello.text("status")).isEqualTo("stopped");
            assertThat(hello.json().path("sample_rate").asInt()).isEqualTo(16000);
            String id = hello.text("session_id");
            assertThat(id).isNotBlank();

            c.sendText("{\"type\":\"start\",\"ignored\":{\"x\":1}}"); // unknown fields are ignored
            i = c.await(i + 1, r -> r.type().equals("status") && r.text("status").equals("listening"), T);
            speak(c, Fixtures.firstUtterance(), true); // in real time: the partials come while it is spoken
            int end = c.await(i, "tts_end", T);
            c.await(end, "round_end", T);

            List<Received> all = c.received();
            List<String> types = all.stream().filter(r -> !r.isAudio()).map(Received::type).toList();
            assertThat(types).containsSubsequence("status", "status", "vad", "partial_transcript", "partial_transcript",
                    "vad", "final_transcript", "llm_status", "llm_response", "tts_start", "llm_response", "tts_end",
                    "round_end");
            assertThat(all.stream().filter(r -> !r.isAudio())).allSatisfy(r -> assertThat(r.text("session_id"))
                    .isEqualTo(id));
            assertThat(c.messages("partial_transcript")).extracting(r -> r.text("content"))
                    .containsExactly("what", "what is the");
            assertThat(c.messages("final_transcript").get(0).text("content")).isEqualTo("what is the weather");
            assertThat(c.messages("llm_status").get(0).text("status")).isEqualTo("processing");
            List<Received> responses = c.messages("llm_response");
            assertThat(responses.get(0).json().path("is_complete").asBoolean()).isFalse();
            Received complete = responses.get(responses.size() - 1);
            assertThat(complete.json().path("is_complete").asBoolean()).isTrue();
            assertThat(complete.text("content")).isEqualTo("Answer one. Still one with more words.");
            Received ttsStart = c.messages("tts_start").get(0);
            assertThat(ttsStart.text("format")).isEqualTo("pcm");
            assertThat(ttsStart.json().path("sample_rate").asInt()).isEqualTo(16000);

            // Audio only between tts_start and tts_end, all of round 1, all of it (38 characters x 20 ms).
            int start = all.indexOf(ttsStart);
            int stop = all.indexOf(c.messages("tts_end").get(0));
            long before = all.subList(0, start).stream().filter(Received::isAudio).count();
            long after = all.subList(stop, all.size()).stream().filter(Received::isAudio).count();
            assertThat(before).isZero();
            assertThat(after).isZero();
            List<Received> audio = all.subList(start, stop).stream().filter(Received::isAudio).toList();
            assertThat(audio).allSatisfy(r -> assertThat(tag(r)).isEqualTo(1));
            assertThat(audio.stream().mapToInt(r -> r.pcm().length).sum()).isEqualTo((int) F.bytesFor(
                    20L * ("Answer one.".length() + "Still one with more words.".length())));
            Received roundEnd = c.messages("round_end").get(0);
            assertThat(roundEnd.text("reason")).isEqualTo("completed");
            assertThat(roundEnd.json().path("latency_ms").path("final_transcript").asLong()).isGreaterThanOrEqualTo(30);
            assertThat(roundEnd.json().path("latency_ms").path("first_audio").asDouble()).isPositive();
        }
    }

    @Test
    void speechMidAnswerSendsTtsStopAndNoAudioOfTheInterruptedRoundFollowsIt() throws Exception {
        msPerChar = 100; // round 1 speaks 3.7 s
        startServer(Utterance.of("what is the weather"), Utterance.of("stop please"));
        try (WebSessionClient c = WebSessionClient.connect(ws())) {
            c.start();
            speak(c, Fixtures.firstUtterance());
            int first = c.await(0, r -> r.isAudio() && tag(r) == 1, T);
            // the answer is playing: the user talks over it
            Thread.sleep(300);
            speak(c, Fixtures.secondUtterance());
            int stop = c.await(first, "tts_stop", T);
            c.await(stop, "tts_end", T);
            List<Received> all = c.received();
            assertThat(all.get(stop).json().path("round_id").asLong()).isEqualTo(1);
            assertThat(all.get(stop).text("trigger")).isEqualTo("voice_activation");
            List<Received> afterStop = all.subList(stop + 1, all.size());
            assertThat(afterStop.stream().filter(Received::isAudio).map(WebSessionProtocolTest::tag)).doesNotContain(1)
                    .contains(2);
            int nextStart = afterStop.indexOf(afterStop.stream().filter(r -> r.type().equals("tts_start")).findFirst()
                    .orElseThrow());
            assertThat(afterStop.subList(0, nextStart).stream().filter(Received::isAudio)).isEmpty();
        }
    }

    @Test
    void asrActivationSendsTtsStopAtTheFirstPartialWithWordsBeforeTheFinalTranscript() throws Exception {
        msPerChar = 100;
        startServer(WebConsoleConfig.defaults(), InterruptMode.ASR_ACTIVATION, Utterance.of("what is the weather"),
                Utterance.of("stop please", Partial.at(100, "..."), Partial.at(700, "stop")));
        try (WebSessionClient c = WebSessionClient.connect(ws())) {
            c.start();
            speak(c, Fixtures.firstUtterance());
            int first = c.await(0, r -> r.isAudio() && tag(r) == 1, T);
            speak(c, Fixtures.secondUtterance(), true);
            int stop = c.await(first, "tts_stop", T);
            int fin = c.await(first, "final_transcript", T);
            List<Received> all = c.received();
            assertThat(all.get(stop).text("trigger")).isEqualTo("asr_activation");
            // "..." has no letters and interrupts nothing; "stop" does, while the user still speaks.
            int partial = c.await(first, r -> r.type().equals("partial_transcript") && r.text("content").equals("stop"), T);
            assertThat(stop).isGreaterThan(partial).isLessThan(fin);
            assertThat(all.subList(stop, all.size()).stream().filter(Received::isAudio).map(WebSessionProtocolTest::tag))
                    .doesNotContain(1);
        }
    }

    @Test
    void theInterruptCommandCutsTheAnswerAndIsAcknowledgedAfterTtsStop() throws Exception {
        msPerChar = 100;
        startServer();
        try (WebSessionClient c = WebSessionClient.connect(ws())) {
            c.textInput("tell me a story"); // typed input needs no start
            int first = c.await(0, Received::isAudio, T);
            c.interrupt();
            int stop = c.await(first, "tts_stop", T);
            int ack = c.await(stop, "interrupt_acknowledged", T);
            Thread.sleep(300); // would-be audio of the round has time to show up
            List<Received> all = c.received();
            assertThat(all.subList(stop, all.size()).stream().filter(Received::isAudio)).isEmpty();
            assertThat(ack).isGreaterThan(stop);
            assertThat(c.messages("tts_end")).isEmpty();
            assertThat(chat.requests().get(0)).containsExactly(ChatMessage.user("tell me a story"));
        }
    }

    @Test
    void stopClearsTheQueuesAndStopsListeningAndResetStartsANewConversation() throws Exception {
        msPerChar = 100;
        startServer(Utterance.of("what is the weather"));
        try (WebSessionClient c = WebSessionClient.connect(ws())) {
            c.start();
            speak(c, Fixtures.firstUtterance());
            int first = c.await(0, Received::isAudio, T);
            c.stop();
            int stop = c.await(first, "tts_stop", T);
            int ack = c.await(stop, "stop_acknowledged", T);
            assertThat(c.received().get(ack).json().path("queues_cleared").asBoolean()).isTrue();
            int status = c.await(ack, r -> r.type().equals("status") && r.text("status").equals("stopped"), T);
            speak(c, Fixtures.secondUtterance());
            int err = c.await(status, "error", T);
            assertThat(c.received().get(err).text("message")).contains("audio before start");
            Thread.sleep(300);
            assertThat(c.received().subList(stop, c.received().size()).stream().filter(Received::isAudio)).isEmpty();

            c.reset();
            c.textInput("hello again");
            c.await(err, "round_end", T);
            List<ChatMessage> last = chat.requests().get(chat.requests().size() - 1);
            assertThat(last).containsExactly(ChatMessage.user("hello again"));
        }
    }

    @Test
    void badInputGetsAnErrorAndTheSessionSurvives() throws Exception {
        startServer();
        try (WebSessionClient c = WebSessionClient.connect(ws())) {
            c.await(0, "status", T);
            String[][] cases = {
                    {"{not json", "invalid JSON"},
                    {"[1,2]", "JSON object"},
                    {"{\"text\":\"no type\"}", "type"},
                    {"{\"type\":\"dance\"}", "unknown type 'dance'"},
                    {"{\"type\":\"text_input\"}", "text_input needs"},
                    {"{\"type\":\"text_input\",\"text\":\"  \"}", "text_input needs"}};
            int from = 0;
            for (String[] k : cases) {
                c.sendText(k[0]);
                from = c.await(from, "error", T);
                assertThat(c.received().get(from).text("message")).as(k[0]).contains(k[1]);
                from++;
            }
            c.sendBinary(ByteBuffer.wrap(new byte[5]));
            from = c.await(from, "error", T);
            assertThat(c.received().get(from++).text("message")).contains("5 bytes").contains("8-byte header");
            c.sendBinary(ByteBuffer.wrap(new byte[8 + 321]));
            from = c.await(from, "error", T);
            assertThat(c.received().get(from++).text("message")).contains("321 bytes of PCM").contains("even");
            c.sendBinary(ByteBuffer.wrap(new byte[70_000]));
            from = c.await(from, "error", T);
            assertThat(c.received().get(from++).text("message")).contains("70000 bytes").contains("65536");
            c.sendBinary(ByteBuffer.wrap(new byte[8 + 320]));
            from = c.await(from, "error", T);
            assertThat(c.received().get(from++).text("message")).contains("audio before start");

            // Still alive: a typed turn gets its answer.
            c.textInput("still there?");
            c.await(from, "tts_end", T);
            assertThat(c.closeFuture()).isNotDone();
        }
    }

    @Test
    void framesBeyondTheRateLimitAreDroppedWithAnError() throws Exception {
        startServer(WebConsoleConfig.builder().maxFramesPerSecond(10).build(), InterruptMode.VOICE_ACTIVATION);
        try (WebSessionClient c = WebSessionClient.connect(ws())) {
            c.start();
            byte[] block = new byte[320];
            for (int i = 0; i < 40; i++) {
                c.sendAudio(i * 10L, 0, block, 0, block.length);
            }
            int err = c.await(0, "error", T);
            assertThat(c.received().get(err).text("message")).contains("rate limit").contains("10 binary frames per second");
            // one error a second, not one per frame
            Thread.sleep(200);
            assertThat(c.messages("error")).hasSize(1);
        }
    }

    @Test
    void aClientBeyondTheSessionLimitGetsAnErrorAndCloseCode1013() throws Exception {
        startServer(WebConsoleConfig.builder().maxSessions(1).build(), InterruptMode.VOICE_ACTIVATION);
        try (WebSessionClient first = WebSessionClient.connect(ws());
                WebSessionClient second = WebSessionClient.connect(ws())) {
            first.await(0, "status", T);
            int err = second.await(0, "error", T);
            assertThat(second.received().get(err).text("message")).contains("maximum of 1 sessions");
            assertThat(second.closeFuture().get(5, TimeUnit.SECONDS)).isEqualTo(1013);
            assertThat(console.sessionCount()).isEqualTo(1);
            first.textInput("I am served");
            first.await(0, "llm_status", T);
        }
    }

    @Test
    void closingTheConsoleSendsStatusStoppedAndACloseFrameToEverySession() throws Exception {
        startServer();
        WebSessionClient a = WebSessionClient.connect(ws());
        WebSessionClient b = WebSessionClient.connect(ws());
        a.start();
        a.await(0, r -> r.text("status").equals("listening"), T);
        b.await(0, "status", T);
        console.close();
        assertThat(a.closeFuture().get(5, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(b.closeFuture().get(5, TimeUnit.SECONDS)).isEqualTo(1001);
        List<Received> last = a.messages("status");
        assertThat(last.get(last.size() - 1).text("status")).isEqualTo("stopped");
        assertThat(console.sessionCount()).isZero();
    }

    @Test
    void servesThePageItsModulesAndHealth() throws Exception {
        startServer();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(server.uri().resolve("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("<script type=\"module\"");
        HttpResponse<String> js = http.send(HttpRequest.newBuilder(server.uri().resolve("/console/app.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(js.headers().firstValue("content-type").orElse("")).as(js.body()).startsWith("text/javascript");
        assertThat(js.body()).contains("import");
        assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/console/../pom.xml")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isNotEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("ok");
    }
}
