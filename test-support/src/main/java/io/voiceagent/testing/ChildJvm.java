package io.voiceagent.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a second JVM on everything this one runs on, for cross-process tests (two processes in one
 * loopback channel, a CLI sample stopped with a signal, a loader check that must run in a fresh JVM).
 * The child's standard error is merged into its output. The child starts with SIGINT and SIGQUIT at
 * their default handling (through {@code env --default-signal} where coreutils has it): a build run in
 * the background of a non-interactive shell ignores both, every process it starts inherits that, and
 * a JVM whose SIGINT is ignored installs no handler for it, so a signal test would wait in vain.
 */
public final class ChildJvm {
    private ChildJvm() {}

    private static final List<String> DEFAULT_SIGNALS = defaultSignalsPrefix();

    private static List<String> defaultSignalsPrefix() {
        List<String> prefix = List.of("/usr/bin/env", "--default-signal=INT,QUIT");
        if (!new File(prefix.get(0)).canExecute()) {
            return List.of();
        }
        try {
            List<String> probe = new ArrayList<>(prefix);
            probe.add("true");
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? prefix : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The result of a finished child. */
    public record Result(int exitCode, String output) {}

    /** Starts {@code main} with {@code jvmArgs} (system properties, flags) and {@code args}. */
    public static Process start(List<String> jvmArgs, Class<?> main, String... args) throws IOException {
        return new ProcessBuilder(command(jvmArgs, main, args)).redirectErrorStream(true).start();
    }

    /** The command line of such a child, for a caller that redirects its streams itself. */
    public static List<String> command(List<String> jvmArgs, Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(DEFAULT_SIGNALS);
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(classPath(main));
        cmd.addAll(jvmArgs);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Waits for the child to exit and returns its exit code and whole output.
     *
     * @throws AssertionError with the output so far if it does not exit within {@code timeout} (it is killed)
     */
    public static Result await(Process p, Duration timeout) throws IOException, InterruptedException {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            throw new AssertionError("child JVM did not finish within " + timeout + "; output:\n" + out);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /**
     * Reads the child's output until a line starts with {@code prefix}; returns everything read.
     *
     * @throws AssertionError with the output if the child ends first
     */
    public static String readUntil(Process p, String prefix) throws IOException {
        StringBuilder all = new StringBuilder();
        StringBuilder line = new StringBuilder();
        InputStream in = p.getInputStream();
        int c;
        while ((c = in.read()) != -1) {
            all.append((char) c);
            if (c == '\n') {
                if (line.toString().startsWith(prefix)) {
                    return all.toString();
                }
                line.setLength(0);
            } else {
                line.append((char) c);
            }
        }
        throw new AssertionError("process ended before printing '" + prefix + "':\n" + all);
    }

    /**
     * This JVM's classes as one class path: surefire runs tests on the module path (the modules in
     * {@code jdk.module.path}, the test classes patched into them), so the location of {@code main}'s
     * classes comes first, then both paths.
     */
    private static String classPath(Class<?> main) {
        List<String> parts = new ArrayList<>();
        try {
            parts.add(Paths.get(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (String key : List.of("jdk.module.path", "java.class.path")) {
            String v = System.getProperty(key);
            if (v != null && !v.isEmpty()) {
                parts.add(v);
            }
        }
        return String.join(File.pathSeparator, parts);
    }
}
