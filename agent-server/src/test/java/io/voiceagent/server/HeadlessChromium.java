package io.voiceagent.server;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.audio.WavFile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by Selenium, for the page tests (web console, duet): a fresh
 * profile in {@code dir}, media autoplay, and a fake microphone that plays a 16 kHz mono recording on
 * a loop. Callers quit the driver.
 */
public final class HeadlessChromium {
    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private HeadlessChromium() {}

    /**
     * Starts a browser whose microphone plays {@code micPcm} (16 kHz PCM16 mono) on a loop.
     *
     * @param dir a temporary folder for the profile and the microphone's WAV
     */
    public static ChromeDriver start(Path dir, byte[] micPcm) throws IOException {
        Path wav = dir.resolve("mic.wav");
        Files.write(wav, WavFile.encode(micPcm, PcmFormat.MONO_16K));
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + dir.resolve("profile"), "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream", "--use-file-for-fake-audio-capture=" + wav,
                "--autoplay-policy=no-user-gesture-required", "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
