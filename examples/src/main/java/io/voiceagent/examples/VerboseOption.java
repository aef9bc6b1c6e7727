package io.voiceagent.examples;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --verbose}: declared once on {@link AgentCli} and inherited by every subcommand. On an
 * error, {@link CliErrors} then prints the stack trace after its one line.
 */
public final class VerboseOption {
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "on an error, also print its stack trace")
    boolean verbose;
}
