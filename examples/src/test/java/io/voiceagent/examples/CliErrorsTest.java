package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's error manners, in a child JVM so stderr is the real one: bad input is one stderr line
 * naming the option and value and exit 2; a failure while running is one line and exit 1;
 * {@code --verbose} adds the stack trace; no usage text on errors.
 */
class CliErrorsTest {
    @TempDir
    Path dir;

    @Test
    void anUnknownOptionIsOneLineAndExit2() throws Exception {
        Jvm.Run r = Jvm.run("send-pcm", "--channel", "c", "--file", pcm().toString(), "--bogus-option", "7");
        assertBadInput(r, "--bogus-option");
    }

    @Test
    void anUnparsableNumberIsOneLineNamingOptionAndValueAndExit2() throws Exception {
        Jvm.Run r = Jvm.run("send-pcm", "--channel", "c", "--file", pcm().toString(), "--sample-rate", "fast");
        assertBadInput(r, "--sample-rate", "'fast'");
    }

    @Test
    void aMissingInputFileIsOneLineNamingOptionAndPathAndExit2() throws Exception {
        Path missing = dir.resolve("no-such.pcm");
        Jvm.Run r = Jvm.run("send-pcm", "--channel", "c", "--file", missing.toString());
        assertBadInput(r, "--file", missing.toString(), "not a readable file");
    }

    @Test
    void anOutOfRangeValueIsOneLineNamingOptionAndValueAndExit2() throws Exception {
        Jvm.Run r = Jvm.run("send-pcm", "--channel", "c", "--file", pcm().toString(), "--sample-rate", "12345");
        assertBadInput(r, "--sample-rate", "'12345'", "48000");
    }

    @Test
    void aFailureWhileRunningIsOneLineAndExit1() throws Exception {
        Jvm.Run r = Jvm.run("send-pcm", "--channel", "bad/channel", "--file", pcm().toString());
        assertThat(r.exitCode()).as("stderr:%n%s", r.err()).isEqualTo(1);
        assertThat(r.errLines()).as("stderr").hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("agent send-pcm: ").contains("channelId", "'bad/channel'",
                "--verbose");
    }

    @Test
    void verboseAddsTheStackTraceOnEveryCommand() throws Exception {
        Jvm.Run r = Jvm.run("send-pcm", "--verbose", "--channel", "bad/channel", "--file", pcm().toString());
        assertThat(r.exitCode()).as("stderr:%n%s", r.err()).isEqualTo(1);
        assertThat(r.errLines().get(0)).startsWith("agent send-pcm: ").contains("'bad/channel'");
        assertThat(r.err()).contains("java.lang.IllegalArgumentException", "\tat io.voiceagent.agora.RtcConnection");

        Jvm.Run bad = Jvm.run("listen", "--channel", "c", "--channels", "3", "--verbose");
        assertThat(bad.exitCode()).as("stderr:%n%s", bad.err()).isEqualTo(2);
        assertThat(bad.errLines().get(0)).startsWith("agent listen: ").contains("--channels", "'3'");
        assertThat(bad.err()).contains("BadInputException", "\tat io.voiceagent.examples");
    }

    private static void assertBadInput(Jvm.Run r, String... mentions) {
        assertThat(r.exitCode()).as("stderr:%n%s", r.err()).isEqualTo(2);
        assertThat(r.errLines()).as("stderr").hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("agent send-pcm: ").contains(mentions)
                .contains("see 'agent send-pcm --help'");
        assertThat(r.err() + r.out()).doesNotContain("Usage:");
    }

    /** A short valid raw PCM file. */
    private Path pcm() throws Exception {
        return Files.write(dir.resolve("ok.pcm"), new byte[3200]);
    }
}
