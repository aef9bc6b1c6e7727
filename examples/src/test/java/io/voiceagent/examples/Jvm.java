package io.voiceagent.examples;

import io.voiceagent.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the samples' CLI ({@link AgentCli}) in a second JVM on the loopback library. */
final class Jvm {
    private static final List<String> LOOPBACK = List.of("-Dagora.native.library=loopback");

    private Jvm() {}

    /** The CLI with {@code args}; stdout and stderr merged into its input stream. */
    static Process agent(String... args) throws IOException {
        return ChildJvm.start(LOOPBACK, AgentCli.class, args);
    }

    /** A finished run of the CLI, with stdout and stderr apart. */
    record Run(int exitCode, String out, String err) {
        /** The lines of stderr. */
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** Runs the CLI with {@code args} to its end (at most 60 s). */
    static Run run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("agent-out", ".txt");
        Path err = Files.createTempFile("agent-err", ".txt");
        try {
            Process p = new ProcessBuilder(ChildJvm.command(LOOPBACK, AgentCli.class, args))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("agent " + String.join(" ", args) + " did not end within 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Reads lines of {@code p}'s output until one starts with {@code prefix}; returns everything read. */
    static String readUntil(Process p, String prefix) throws IOException {
        return ChildJvm.readUntil(p, prefix);
    }
}
