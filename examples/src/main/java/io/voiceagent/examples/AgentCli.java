package io.voiceagent.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The samples' entry point ({@code scripts/agent <command>}). Each subcommand teaches one thing;
 * see {@code --help} of each. Errors of every command are reported the same way ({@link CliErrors}):
 * one line on stderr, exit status 2 for bad input and 1 for a failure, the stack trace with
 * {@code --verbose}.
 */
@Command(name = "agent", mixinStandardHelpOptions = true, version = "voice-agent 0.1.0",
        description = "Voice-agent SDK samples over the Agora C API (the loopback library unless AGORA_SDK_HOME is set).",
        subcommands = {SendPcmCommand.class, ListenCommand.class, ServeCommand.class, VoiceAgentCommand.class,
                WebCommand.class, DuetServerCommand.class, DuetCommand.class,
                ServerCommand.class,
                io.voiceagent.examples.video.SendYuvCommand.class, io.voiceagent.examples.video.SendJpegCommand.class,
                io.voiceagent.examples.avatar.AvatarCommand.class,
                io.voiceagent.examples.vad.VadCommand.class,
                io.voiceagent.examples.modalities.AudioModalitiesServerCommand.class,
                io.voiceagent.examples.bench.BenchCommand.class})
public final class AgentCli implements Runnable {

    @Mixin
    VerboseOption verbose;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Builds the command line with every subcommand and the error handling; used by {@link #main} and by tests. */
    public static CommandLine commandLine() {
        AgentCli root = new AgentCli();
        return CliErrors.install(new CommandLine(root), () -> root.verbose.verbose);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
