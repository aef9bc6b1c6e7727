package io.voiceagent.examples.bench;

import io.voiceagent.examples.BadInputException;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.agora.audio.AudioOutput;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumer;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioConsumerListener;
import io.voiceagent.core.pacing.AudioPacer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Pacing benchmark on the loopback library: N streams, each a speaker connection whose
 * {@link AudioOutput} paces TTS-like bursts into its own channel and a listener connection that
 * receives them. After the steady phase every stream is interrupted with queued audio left.
 * Prints progress on stderr and one final JSON line on stdout.
 */
@Command(name = "pacing", mixinStandardHelpOptions = true,
        description = "Pace N real-time streams through the loopback library and measure lateness, underruns, "
                + "interrupt-to-silence and CPU; prints one JSON line.")
public final class BenchPacingCommand implements Callable<Integer> {

    @Option(names = "--streams", defaultValue = "100", description = "concurrent streams (default: ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--seconds", defaultValue = "10", description = "steady-state seconds (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--lead-ms", defaultValue = "100", description = "consumer lead in ms (default: ${DEFAULT-VALUE})")
    int leadMs;

    private static final PcmFormat FORMAT = PcmFormat.MONO_16K;
    /** TTS delivers in bursts: this much audio per push, this often. */
    private static final int BURST_MS = 500;

    /** One stream: speaker side, listener side and what the listener saw. Fields written by one thread each. */
    private static final class Stream {
        RtcConnection listener;
        RtcConnection speaker;
        LocalAudioTrack track;
        AudioOutput output;
        volatile long lastArrivalNanos;
        volatile long framesReceived;
        long interruptNanos;
    }

    @Override
    public Integer call() throws Exception {
        BadInputException.atLeast("--streams", streams, 1);
        BadInputException.atLeast("--seconds", seconds, 1);
        if (!LoopbackDiagnostics.isAvailable()) {
            throw new IllegalStateException("bench pacing runs on the loopback library (unset AGORA_SDK_HOME)");
        }
        Stats.Samples lateness = new Stats.Samples(); // written on the pacer thread only
        AudioConsumerListener latenessProbe = new AudioConsumerListener() {
            @Override
            public void framesSent(AudioConsumer consumer, int frameCount, long deadlineNanos, long sentNanos) {
                lateness.add(Math.max(0, sentNanos - deadlineNanos));
            }
        };
        byte[] burst = new byte[(int) FORMAT.bytesFor(BURST_MS)];
        new Random(1).nextBytes(burst);
        List<Stream> all = new ArrayList<>();
        String prefix = "bench-pacing-" + ProcessHandle.current().pid() + "-";
        AudioConsumerConfig consumerConfig = AudioConsumerConfig.builder().lead(Duration.ofMillis(leadMs)).build();
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId("bench").build());
                AudioPacer pacer = AudioPacer.builder().threadName("bench-pacer").build()) {
            for (int i = 0; i < streams; i++) {
                Stream s = new Stream();
                s.listener = service.createConnection();
                s.listener.localUser().setRemoteAudioListener((c, user, frame) -> {
                    s.framesReceived++;
                    s.lastArrivalNanos = System.nanoTime();
                });
                s.listener.connect("", prefix + i, "listener");
                s.speaker = service.createConnection();
                s.track = service.createAudioTrack();
                s.speaker.connect("", prefix + i, "speaker");
                s.speaker.localUser().publishAudio(s.track);
                s.output = AudioOutput.paced(s.track, pacer, FORMAT, consumerConfig, latenessProbe);
                all.add(s);
            }
            System.err.printf("bench pacing: %d streams connected; streaming %d s%n", streams, seconds);
            ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
            // Two bursts up front, then one every BURST_MS: the consumers stay ~1 s ahead, like a TTS stream.
            for (Stream s : all) {
                s.output.write(burst);
                s.output.write(burst);
            }
            feeder.scheduleAtFixedRate(() -> all.forEach(s -> s.output.write(burst)), BURST_MS, BURST_MS,
                    TimeUnit.MILLISECONDS);
            long cpu0 = Stats.processCpuNanos();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu1 = Stats.processCpuNanos();
            long t1 = System.nanoTime();
            feeder.shutdownNow();
            feeder.awaitTermination(1, TimeUnit.SECONDS);
            long underruns = 0;
            for (Stream s : all) {
                underruns += LoopbackDiagnostics.underruns(s.listener);
            }
            int latenessCount = lateness.size();
            for (Stream s : all) {
                s.interruptNanos = System.nanoTime();
                s.output.clear();
            }
            Thread.sleep(500);
            Stats.Samples silence = new Stats.Samples();
            long framesReceived = 0;
            for (Stream s : all) {
                silence.add(Math.max(0, s.lastArrivalNanos - s.interruptNanos));
                framesReceived += s.framesReceived;
            }
            double streamSeconds = streams * ((t1 - t0) / 1e9);
            String json = "{\"bench\":\"pacing\",\"streams\":" + streams + ",\"seconds\":" + seconds
                    + ",\"lead_ms\":" + leadMs
                    + ",\"send_lateness_ms\":{\"p50\":" + Stats.ms(lateness.percentile(50)) + ",\"p99\":"
                    + Stats.ms(lateness.percentile(99)) + ",\"max\":" + Stats.ms(lateness.max()) + ",\"sends\":"
                    + latenessCount + "}"
                    + ",\"receiver_underruns\":" + underruns
                    + ",\"interrupt_to_silence_ms\":{\"p50\":" + Stats.ms(silence.percentile(50)) + ",\"p99\":"
                    + Stats.ms(silence.percentile(99)) + ",\"max\":" + Stats.ms(silence.max()) + "}"
                    + ",\"cpu_ms_per_stream_second\":" + Stats.num((cpu1 - cpu0) / 1e6 / streamSeconds)
                    + ",\"frames_received\":" + framesReceived + "}";
            for (Stream s : all) {
                s.output.close();
                s.speaker.close();
                s.listener.close();
                s.track.close();
            }
            System.out.println(json);
        }
        return 0;
    }
}
