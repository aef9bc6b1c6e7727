package io.voiceagent.examples.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Parent of the benchmark commands; each prints one final JSON line on stdout. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (scenario runs on the loopback library); each prints one final JSON line.",
        subcommands = {BenchPacingCommand.class, VadBenchCommand.class, BenchPoolCommand.class,
                BenchInterruptCommand.class, VadAccuracyCommand.class, BenchBargeInCommand.class,
                BenchWebCommand.class, BenchClusterCommand.class, BenchAvatarSyncCommand.class,
                BenchAvatarInterruptCommand.class, BenchAvatarRenderCommand.class, BenchAvatarWorkersCommand.class, BenchDuetCommand.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
