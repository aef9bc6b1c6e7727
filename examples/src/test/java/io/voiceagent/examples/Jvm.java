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

    /** A process's output, collected line by line on a daemon thread. */
    static final class Output {
        private final StringBuffer text = new StringBuffer();
        private Thread reader;

        int indexOf(String s) {
            return text.indexOf(s);
        }

        /** Waits for the reader to reach the end of the output (after the process ended). */
        void join(long millis) throws InterruptedException {
            reader.join(millis);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    /** Collects {@code p}'s output lines on a daemon thread until the process ends. */
    static Output drain(Process p, String threadName) {
        Output out = new Output();
        out.reader = new Thread(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.text.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, threadName);
        out.reader.setDaemon(true);
        out.reader.start();
        return out;
    }

    /** Polls {@code condition} every 5 ms for up to {@code timeoutMs}; whether it became true. */
    static boolean await(java.util.function.BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
