package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.WavFile;
import io.voiceagent.server.web.WebSessionClient;
import io.voiceagent.server.web.WebSessionClient.Received;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/agent duet-server} in a second JVM with no key: the scripted responders talk, in
 * English and Spanish, with espeak-ng's voices, over {@code /ws/{session_id}}; SIGTERM closes the
 * socket (1001) and the process exits 0.
 */
class DuetServerCommandTest {
    private static final Duration T = Duration.ofSeconds(30);

    @Test
    void offlineByDefaultTheAgentsTalkInTheirLanguagesAndItStopsOnSigterm() throws Exception {
        Process p = Jvm.agent("duet-server", "--port", "0", "--max-turns", "2");
        try {
            String ready = Jvm.readUntil(p, "duet ready at");
            Matcher m = Pattern.compile("ready at http://127\\.0\\.0\\.1:(\\d+)/duet").matcher(ready);
            assertThat(m.find()).as(ready).isTrue();
            assertThat(ready).contains("scripted responder", "espeak-ng voices");
            try (WebSessionClient c = WebSessionClient.connect(URI.create("ws://127.0.0.1:" + m.group(1) + "/ws/cli"))) {
                c.await(0, "session_state", T);
                c.sendText("{\"type\":\"start_duet\"}");
                c.await(0, "duet_ended", T);
                List<Received> texts = c.messages("agent_text");
                assertThat(texts).extracting(r -> r.text("agent")).containsExactly("A", "B");
                assertThat(texts.get(0).text("text")).startsWith("Hello!");
                assertThat(texts.get(1).text("text")).startsWith("¡Hola!");
                for (Received audio : c.messages("agent_audio")) {
                    WavFile wav = WavFile.parse(Base64.getDecoder().decode(audio.text("wav_b64")), "agent_audio");
                    assertThat(wav.data().length).as("espeak-ng speech").isGreaterThan(16000); // > 0.5 s
                }
                new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).inheritIO().start().waitFor();
                assertThat(c.closeFuture().get(10, TimeUnit.SECONDS)).isEqualTo(1001);
            }
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
