package io.voiceagent.examples;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Starts the samples' CLI in a second JVM with this test class path. */
final class Jvm {
    private Jvm() {}

    static Process agent(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Dagora.native.library=loopback");
        cmd.add(AgentCli.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
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
