package io.voiceagent.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The samples' entry point ({@code scripts/agent <command>}). Each subcommand teaches one thing;
 * see {@code --help} of each.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, version = "voice-agent 0.1.0",
        description = "Voice-agent SDK samples over the Agora C API (the loopback library unless AGORA_SDK_HOME is set).",
        subcommands = {SendPcmCommand.class, ListenCommand.class, ServeCommand.class, VoiceAgentCommand.class,
                io.voiceagent.examples.vad.VadCommand.class,
                io.voiceagent.examples.modalities.AudioModalitiesServerCommand.class,
                io.voiceagent.examples.bench.BenchCommand.class})
public final class AgentCli implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Builds the command line with every subcommand; used by {@link #main} and by tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new AgentCli());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
