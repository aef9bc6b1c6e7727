package io.voiceagent.server.duet;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.duet.DuetRole;
import io.voiceagent.core.duet.ScriptedDuetResponder;
import io.voiceagent.core.duet.VoiceCatalog;
import io.voiceagent.server.EmbeddedServer;
import io.voiceagent.server.HeadlessChromium;
import io.voiceagent.testing.Fixtures;
import io.voiceagent.testing.Scheduler;
import io.voiceagent.testing.ScriptedStt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The duet page in a real browser (headless Chromium, its fake microphone playing a recorded
 * utterance on a loop) against the offline duet: scripted responders, espeak-ng voices, the real VAD
 * and a scripted recognizer. The page shows both agents' cards and applies an edit, shows the
 * conversation with whose turn it is and plays each turn's WAV, sends typed text that cuts the
 * speaker off (stop_audio before any audio of the next turn), and the microphone's speech reaches
 * the server's VAD.
 */
class DuetPageBrowserTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ScheduledExecutorService io = Executors.newScheduledThreadPool(1);
    private DuetServer duets;
    private EmbeddedServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        ScriptedStt stt = new ScriptedStt(Scheduler.onThreads(io), Duration.ofMillis(50), "hello there",
                "hello again", "and again");
        duets = DuetServer.create(DuetServerConfig.defaults(), (id, duet) -> duet
                .llm(ScriptedDuetResponder.create(Duration.ofMillis(10))).voices(VoiceCatalog.espeakNg()).stt(stt));
        server = duets.install(EmbeddedServer.builder().port(0)).build().start();
        byte[] speech = Fixtures.slice(Fixtures.REAL_GAPS, 3533, 5033);
        byte[] loop = new byte[speech.length + 96000]; // + 3 s of silence
        System.arraycopy(speech, 0, loop, 0, speech.length);
        browser = HeadlessChromium.start(dir, loop);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            Files.write(Path.of("target", "duet-page.png"), browser.getScreenshotAs(OutputType.BYTES));
            browser.quit();
        }
        if (duets != null) {
            duets.close();
        }
        if (server != null) {
            server.close();
        }
        io.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> stats() {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("return window.duetPage.stats;");
    }

    private static long n(Map<String, Object> stats, String key) {
        return ((Number) stats.get(key)).longValue();
    }

    /** Polls the page's counters until {@code done} holds (the page's state, not a timing). */
    private Map<String, Object> until(String what, Predicate<Map<String, Object>> done) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        Map<String, Object> s = stats();
        while (!done.test(s)) {
            assertThat(System.nanoTime()).as("%s: %s", what, s).isLessThan(deadline);
            Thread.sleep(100);
            s = stats();
        }
        return s;
    }

    /** Chooses {@code value} in a select as a user would (the change event fires). */
    private void select(WebElement select, String value) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];"
                + "arguments[0].dispatchEvent(new Event('change'));", select, value);
    }

    private WebElement card(String agent, String field) {
        return browser.findElement(By.cssSelector("#card-" + agent + " ." + field));
    }

    @Test
    void thePageEditsTheAgentsShowsAndPlaysTheConversationAndTheUserCutsIn() throws Exception {
        browser.get(server.uri() + "/duet?session=page-test");
        until("connected with the session's state", s -> Boolean.TRUE.equals(s.get("connected"))
                && n(s, "sessionStates") >= 1);
        assertThat(browser.findElement(By.id("session")).getText()).isEqualTo("page-test");
        assertThat(card("A", "name").getAttribute("value")).isEqualTo("Alex");
        assertThat(card("B", "name").getAttribute("value")).isEqualTo("Sofía");
        assertThat(card("B", "lang").getDomProperty("value")).isEqualTo("es");

        // Edit B: French, its default voice, a new name.
        select(card("B", "lang"), "fr");
        card("B", "name").clear();
        card("B", "name").sendKeys("Chloé");
        card("B", "apply").click();
        until("B updated", s -> ((List<?>) s.get("oks")).contains("agent_updated"));
        until("the card shows it", s -> "fr-fr".equals(card("B", "voice").getDomProperty("value")));
        assertThat(duets.room("page-test").duet().agents().get(DuetRole.B).name())
                .isEqualTo("Chloé");

        browser.findElement(By.id("start")).click();
        Map<String, Object> s = until("two turns shown and played", x -> n(x, "agentTexts") >= 2 && n(x, "audioPlayed") >= 2);
        String log = browser.findElement(By.id("log")).getText();
        assertThat(log).contains("Alex: ", "Chloé: ");
        assertThat(browser.findElement(By.id("turn")).getText()).endsWith("'s turn");
        assertThat(browser.findElements(By.cssSelector(".card.active"))).hasSize(1);

        // Typed text cuts the speaker off; the other agent answers the user.
        long texts = n(s, "agentTexts");
        browser.findElement(By.id("text")).sendKeys("What about the moon?");
        browser.findElement(By.id("send")).click();
        s = until("acknowledged, stopped, answered", x -> n(x, "userAcks") >= 1 && n(x, "stops") >= 1
                && n(x, "agentTexts") > texts);
        assertThat(browser.findElement(By.id("log")).getText()).contains("You: What about the moon?");
        until("the answer to the user", x -> browser.findElement(By.id("log")).getText().contains("what about the moon")
                || browser.findElement(By.id("log")).getText().contains("What about the moon."));

        // The microphone: its speech reaches the server's VAD, which cuts the speaker and hears the user.
        browser.findElement(By.id("mic")).click();
        s = until("the user's voice heard", x -> n(x, "blocksSent") > 10 && n(x, "userSpeech") >= 1
                && n(x, "transcripts") >= 1);
        assertThat(browser.findElement(By.id("log")).getText()).contains("You (spoken): hello there");
        browser.findElement(By.id("mic")).click();

        browser.findElement(By.id("stop")).click();
        until("stopped", x -> ((List<?>) x.get("oks")).contains("stopped"));
        browser.findElement(By.id("reset")).click();
        s = until("reset", x -> ((List<?>) x.get("oks")).contains("reset"));
        assertThat(browser.findElements(By.cssSelector("#log li"))).isEmpty();
        assertThat(n(s, "audioAfterStop")).as("audio of a cut turn after its stop_audio").isZero();
        assertThat((List<?>) s.get("errors")).isEmpty();
    }
}
