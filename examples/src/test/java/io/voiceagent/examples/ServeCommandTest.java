package io.voiceagent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Container-per-user mode stops cleanly on the signals a container runtime sends. */
class ServeCommandTest {

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void releasesInOrderAndExitsZeroWithinTwoSeconds(String signal) throws Exception {
        Process p = Jvm.agent("serve", "--channel", "serve-" + ProcessHandle.current().pid() + "-" + signal,
                "--user-id", "agent");
        try {
            String before = Jvm.readUntil(p, "serving channel");
            assertThat(before).contains("serving channel");
            long t0 = System.nanoTime();
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                throw new AssertionError("serve did not exit within 2 s of SIG" + signal + "; its output:\n" + output);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String after = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("exit status; output:\n%s", after).isZero();
            assertThat(after).contains("stopping: unpublish, disconnect, release",
                    "loopback live_handles=0 order_violations=0", "released");
            System.out.println("serve stopped on SIG" + signal + " in " + ms + " ms");
        } finally {
            p.destroyForcibly();
        }
    }
}
