package io.voiceagent.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the samples' CLI in a second JVM with this test class path. */
final class Jvm {
    private Jvm() {}

    /** The CLI with {@code args}; stdout and stderr merged into its input stream. */
    static Process agent(String... args) throws IOException {
        return new ProcessBuilder(command(args)).redirectErrorStream(true).start();
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
            Process p = new ProcessBuilder(command(args)).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
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

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Dagora.native.library=loopback");
        cmd.add(AgentCli.class.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Reads lines of {@code p}'s output until one starts with {@code prefix}; returns everything read. */
    static String readUntil(Process p, String prefix) throws IOException {
        StringBuilder sb = new StringBuilder();
        java.io.InputStream in = p.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            sb.append((char) c);
            if (c == '\n') {
                if (line.toString().startsWith(prefix)) {
                    return sb.toString();
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        throw new AssertionError("process ended before printing '" + prefix + "':\n" + sb);
    }
}
