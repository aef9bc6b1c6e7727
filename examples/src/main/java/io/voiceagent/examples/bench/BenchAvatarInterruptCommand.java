package io.voiceagent.examples.bench;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code INTERRUPT} to silence of the avatar worker: the agent streams a long tone, and after a
 * random 400-900 ms (seeded) clears its {@code AvatarAudioOut} (which sends {@code INTERRUPT}). Per
 * trial: from the clear to the worker having dropped its queue and the SDK's send buffer (after which
 * it hands no audio to the channel: checked), and from the clear to the last loud audio frame reaching
 * the user (through the loopback's jitter buffer). One JSON line.
 */
@Command(name = "avatar-interrupt", mixinStandardHelpOptions = true,
        description = "INTERRUPT -> avatar worker silence; prints one JSON line.")
public final class BenchAvatarInterruptCommand implements Callable<Integer> {

    @Option(names = "--iterations", defaultValue = "40", description = "interrupts (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--seed", defaultValue = "7", description = "seed of the interrupt times (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() throws Exception {
        io.voiceagent.examples.BadInputException.atLeast("--iterations", iterations, 1);
        Random random = new Random(seed);
        Stats.Samples worker = new Stats.Samples();
        Stats.Samples user = new Stats.Samples();
        long stale = 0;
        try (AvatarRig rig = new AvatarRig("bench-int-" + ProcessHandle.current().pid(), Duration.ofMillis(30))) {
            Thread.sleep(500);
            byte[] tone = AvatarRig.tone(3000, 12000);
            for (int i = 0; i < iterations; i++) {
                rig.out.write(tone, 0, tone.length);
                Thread.sleep(400 + random.nextInt(500));
                long t0 = System.nanoTime();
                rig.out.clear();
                Thread.sleep(700); // past the 300 ms cooldown
                var s = rig.worker.stats();
                if (s.lastInterruptNanos() < t0) {
                    throw new IllegalStateException("trial " + i + ": the worker saw no interrupt");
                }
                worker.add(s.lastInterruptNanos() - t0);
                if (s.lastAudioSentNanos() > s.lastInterruptNanos()) {
                    stale++;
                }
                long lastLoud = 0;
                for (AvatarRig.Arrival a : rig.arrivals) {
                    if (!a.isVideo() && a.rms() > 0.05) {
                        lastLoud = a.nanos();
                    }
                }
                user.add(Math.max(0, lastLoud - t0));
                rig.arrivals.clear();
            }
        }
        System.out.println("{\"bench\":\"avatar-interrupt\",\"iterations\":" + iterations
                + ",\"interrupt_to_worker_silence_ms_p50\":" + Stats.ms(worker.percentile(50))
                + ",\"interrupt_to_worker_silence_ms_p99\":" + Stats.ms(worker.percentile(99))
                + ",\"interrupt_to_worker_silence_ms_max\":" + Stats.ms(worker.max())
                + ",\"interrupt_to_last_audio_at_user_ms_p50\":" + Stats.ms(user.percentile(50))
                + ",\"interrupt_to_last_audio_at_user_ms_p99\":" + Stats.ms(user.percentile(99))
                + ",\"trials_with_audio_after_interrupt\":" + stale + "}");
        return 0;
    }
}
