package io.voiceagent.examples;

import io.voiceagent.testing.ChildJvm;
import java.io.IOException;
import java.util.List;

/** Starts the samples' CLI ({@link AgentCli}) in a second JVM on the loopback library. */
final class Jvm {
    private Jvm() {}

    static Process agent(String... args) throws IOException {
        return ChildJvm.start(List.of("-Dagora.native.library=loopback"), AgentCli.class, args);
    }

    /** Reads lines of {@code p}'s output until one starts with {@code prefix}; returns everything read. */
    static String readUntil(Process p, String prefix) throws IOException {
        return ChildJvm.readUntil(p, prefix);
    }
}
