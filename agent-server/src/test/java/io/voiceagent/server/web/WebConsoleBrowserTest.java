package io.voiceagent.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.llm.EchoChatClient;
import io.voiceagent.core.stt.pocketsphinx.PocketSphinxConfig;
import io.voiceagent.core.stt.pocketsphinx.PocketSphinxStt;
import io.voiceagent.core.tts.EspeakNgConfig;
import io.voiceagent.core.tts.EspeakNgTts;
import io.voiceagent.server.EmbeddedServer;
import io.voiceagent.server.HeadlessChromium;
import io.voiceagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The web console in a real browser: Debian's headless Chromium driven by Selenium, its fake
 * microphone playing a recorded utterance on a loop (test_data's "seven of clubs", then 1.5 s of
 * silence), and the offline pipeline behind the server (PocketSphinx -> echo -> espeak-ng). The page
 * shows a final transcript, plays the agent's audio (the page's own counters, read from its worklet
 * player), and the next loop of the utterance, spoken over the answer, stops playback with
 * {@code tts_stop} before any audio of the next round.
 */
class WebConsoleBrowserTest {
    @TempDir
    Path dir;

    private PocketSphinxStt stt;
    private WebConsole console;
    private EmbeddedServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        stt = PocketSphinxStt.create(PocketSphinxConfig.builder().maxDecoders(1).build());
        EspeakNgTts tts = new EspeakNgTts(EspeakNgConfig.builder().build(), IoExecutors.shared());
        EchoChatClient echo = new EchoChatClient();
        console = WebConsole.create(WebConsoleConfig.defaults(), (id, session) -> session.stt(stt).llm(echo).tts(tts));
        server = console.install(EmbeddedServer.builder().port(0)).build().start();

        byte[] speech = Fixtures.slice(Fixtures.REAL_GAPS, 3533, 5033);
        byte[] loop = new byte[speech.length + 48000]; // + 1.5 s of silence
        System.arraycopy(speech, 0, loop, 0, speech.length);
        browser = HeadlessChromium.start(dir, loop);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.close();
        }
        if (server != null) {
            server.close();
        }
        if (stt != null) {
            stt.close();
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> stats() {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("return window.voiceConsole.stats;");
    }

    private static long n(Map<String, Object> stats, String key) {
        return ((Number) stats.get(key)).longValue();
    }

    @Test
    void thePageShowsTranscriptsPlaysTheAnswerAndStopsItWhenTheUserTalksOverIt() throws Exception {
        browser.get(server.uri() + "/");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!browser.findElement(By.id("connection")).getText().equals("connected")) {
            assertThat(System.nanoTime()).as("the page connects").isLessThan(deadline);
            Thread.sleep(50);
        }
        browser.findElement(By.id("start")).click();

        Map<String, Object> s = stats();
        deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
        while (!(n(s, "finals") >= 1 && !String.valueOf(s.get("lastFinal")).isBlank() && n(s, "samplesPlayed") > 0
                && n(s, "ttsStops") >= 1 && n(s, "ttsStarts") >= 2)) {
            assertThat(System.nanoTime()).as("the page got a transcript, played audio, was barged in on: %s; %s", s,
                    ((JavascriptExecutor) browser).executeScript("const e = window.voiceConsole.state.engine; return "
                            + "[e && e.context && e.context.state, e && e.context && e.context.sampleRate, "
                            + "document.getElementById('errors').innerText]")).isLessThan(deadline);
            Thread.sleep(200);
            s = stats();
        }
        Files.write(Path.of("target", "web-console.png"), browser.getScreenshotAs(OutputType.BYTES));

        assertThat(n(s, "audioAfterStop")).as("audio of a stopped round after its tts_stop").isZero();
        assertThat(n(s, "clears")).as("the player dropped its queue on tts_stop").isGreaterThanOrEqualTo(1);
        assertThat(n(s, "blocksSent")).isPositive();
        assertThat(n(s, "audioBytes")).isPositive();
        assertThat((List<?>) s.get("errors")).isEmpty();
        // What the page shows: the final transcript in the list, the echo of it, a round with latencies.
        String finals = browser.findElement(By.id("finals")).getText();
        assertThat(finals).isNotBlank().contains(String.valueOf(s.get("lastFinal")).split(" ")[0]);
        assertThat(browser.findElement(By.id("answers")).getText()).contains("You said:");
        assertThat(browser.findElements(By.cssSelector("#rounds tbody tr"))).isNotEmpty();
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("listening");
    }
}
