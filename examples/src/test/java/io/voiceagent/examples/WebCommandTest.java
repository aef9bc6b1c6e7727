package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.server.web.WebSessionClient;
import io.voiceagent.server.web.WebSessionClient.Received;
import io.voiceagent.testing.Fixtures;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/agent web} in a second JVM with no key: PocketSphinx -> echo responder -> espeak-ng
 * answer a recorded utterance over the WebSocket, and the duet answers at {@code /ws/{session_id}};
 * SIGTERM gives every session {@code status: stopped}
 * and a close frame, and the process exits 0.
 */
class WebCommandTest {
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void offlineByDefaultAnswersWithWhatItUnderstoodAndStopsGracefullyOnSigterm() throws Exception {
        Process p = Jvm.agent("web", "--port", "0");
        try {
            String ready = Jvm.readUntil(p, "duet ready at");
            Matcher m = Pattern.compile("ready at http://127\\.0\\.0\\.1:(\\d+)/").matcher(ready);
            assertThat(m.find()).as(ready).isTrue();
            assertThat(ready).contains("STT pocketsphinx -> echo responder -> espeak-ng");
            URI ws = URI.create("ws://127.0.0.1:" + m.group(1) + "/ws");
            try (WebSessionClient c = WebSessionClient.connect(ws)) {
                c.start();
                c.await(0, r -> r.text("status").equals("listening"), T);
                // Warm the decoder up with the first utterance, then the one this test checks.
                speak(c, Fixtures.slice(Fixtures.REAL_GAPS, 1300, 2800));
                int first = c.await(0, "tts_end", T);
                speak(c, Fixtures.slice(Fixtures.REAL_GAPS, 3533, 6000));
                int fin = c.await(first, r -> r.type().equals("final_transcript")
                        && r.text("content").contains("clubs"), T);
                int answer = c.await(fin, r -> r.type().equals("llm_response")
                        && r.json().path("is_complete").asBoolean(), T);
                int end = c.await(answer, "tts_end", T);
                List<Received> all = c.received();
                String heard = all.get(fin).text("content");
                assertThat(all.get(answer).text("content")).isEqualTo("You said: " + heard + ".");
                long audio = all.subList(fin, end).stream().filter(Received::isAudio).mapToLong(r -> r.pcm().length)
                        .sum();
                assertThat(audio).as("espeak-ng speech of the answer").isGreaterThan(PcmFormat.MONO_16K.bytesFor(500));
                assertThat(c.messages("partial_transcript")).isNotEmpty();

                // The duet on the same server: /ws/{session_id} next to the console's /ws.
                assertThat(ready).contains("duet ready at http://127.0.0.1:" + m.group(1) + "/duet");
                try (WebSessionClient duet = WebSessionClient.connect(URI.create("ws://127.0.0.1:" + m.group(1)
                        + "/ws/web-duet"))) {
                    int at = duet.await(0, "session_state", T);
                    Received state = duet.received().get(at);
                    assertThat(state.text("session_id")).isEqualTo("web-duet");
                    assertThat(state.json().at("/agents/B/lang").asText()).isEqualTo("es");
                }

                new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start().waitFor();
                assertThat(c.closeFuture().get(10, TimeUnit.SECONDS)).isEqualTo(1001);
                List<Received> statuses = c.messages("status");
                assertThat(statuses.get(statuses.size() - 1).text("status")).isEqualTo("stopped");
            }
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String after = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(after).isZero();
            assertThat(after).contains("stopping: 1 sessions get status stopped and a close frame", "stopped");
        } finally {
            p.destroyForcibly();
        }
    }

    /** 20 ms blocks in real time, then 1 s of silence so the turn ends. */
    private static void speak(WebSessionClient c, byte[] pcm) throws InterruptedException {
        byte[] all = new byte[pcm.length + 32000];
        System.arraycopy(pcm, 0, all, 0, pcm.length);
        int block = 640;
        long t0 = System.nanoTime();
        for (int i = 0; i * block < all.length; i++) {
            int n = Math.min(block, all.length - i * block);
            c.sendAudio(i * 20L, WebSessionClient.flags(0, false, i == 0), all, i * block, n);
            long due = t0 + (i + 1) * 20_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
    }
}
