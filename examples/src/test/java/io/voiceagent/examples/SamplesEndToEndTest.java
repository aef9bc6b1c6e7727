package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** send-pcm in this JVM, listen in another: the listener's file holds exactly the sent audio. */
class SamplesEndToEndTest {

    @Test
    void listenRecordsExactlyWhatSendPcmSent(@TempDir Path dir) throws Exception {
        // 0.75 s plus half a frame: the trailing partial frame must arrive zero-padded.
        byte[] pcm = new byte[320 * 75 + 160];
        new Random(5).nextBytes(pcm);
        Path file = dir.resolve("speech.pcm");
        Files.write(file, pcm);
        String channel = "samples-" + ProcessHandle.current().pid();
        Process listener = Jvm.agent("listen", "--channel", channel, "--out", dir.resolve("out").toString(),
                "--idle-seconds", "1", "--seconds", "30");
        try {
            Jvm.readUntil(listener, "listening on channel");
            ByteArrayOutputStream sendOut = new ByteArrayOutputStream();
            int rc = new CommandLine(new AgentCli()).addSubcommand("send-pcm-local",
                    new SendPcmCommand(new PrintStream(sendOut, true, StandardCharsets.UTF_8)))
                    .execute("send-pcm-local", "--channel", channel, "--user-id", "speaker", "--file", file.toString(),
                            "--sample-rate", "16000", "--channels", "1");
            assertThat(rc).as("send-pcm output:\n%s", sendOut).isZero();
            assertThat(sendOut.toString(StandardCharsets.UTF_8)).contains("sent " + pcm.length + " bytes (76 frames");
            assertThat(listener.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String out = new String(listener.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(listener.exitValue()).as(out).isZero();
            assertThat(out).contains("joined speaker", "received speaker 0.76 s 24320 bytes");
            byte[] received = Files.readAllBytes(dir.resolve("out").resolve("speaker.pcm"));
            byte[] expected = new byte[320 * 76];
            System.arraycopy(pcm, 0, expected, 0, pcm.length);
            assertThat(received).isEqualTo(expected);
        } finally {
            listener.destroyForcibly();
        }
    }
}
