package io.voiceagent.examples.bench;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.video.VideoFrameListener;
import io.voiceagent.agora.video.VideoReceiver;
import io.voiceagent.core.avatar.AvatarAudioOut;
import io.voiceagent.server.avatar.AvatarWorker;
import io.voiceagent.server.avatar.AvatarWorkerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How many video frames per second one process sustains with N avatar workers (default 20, each on
 * its own channel at 640 x 480, 25 fps, all on the shared avatar clock), every worker speaking (its
 * agent streams a continuous tone over a WebSocket) so the mouth moves and audio flows too;
 * optionally one video receiver per channel. Counts the frames the loopback library accepted over
 * the measured window (after a warm-up), the clock's late ticks, and process CPU. One JSON line.
 */
@Command(name = "avatar-workers", mixinStandardHelpOptions = true,
        description = "Video frames per second sustained by N avatar workers in one process; prints one JSON line.")
public final class BenchAvatarWorkersCommand implements Callable<Integer> {

    @Option(names = "--workers", defaultValue = "20", description = "workers (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--seconds", defaultValue = "20", description = "measured seconds (default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--receivers", description = "one subscribed video receiver per channel")
    boolean receivers;

    @Override
    public Integer call() throws Exception {
        io.voiceagent.examples.BadInputException.atLeast("--workers", workers, 1);
        io.voiceagent.examples.BadInputException.atLeast("--seconds", seconds, 1);
        List<AvatarWorker> avatars = new ArrayList<>();
        List<AvatarAudioOut> agents = new ArrayList<>();
        List<RtcConnection> users = new ArrayList<>();
        String prefix = "bench-workers-" + ProcessHandle.current().pid() + "-";
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId("bench-workers")
                .enableVideo(true).build())) {
            try {
                byte[] tone = AvatarRig.tone(seconds * 1000 + 6000, 12000);
                for (int i = 0; i < workers; i++) {
                    AvatarWorker w = AvatarWorker.start(service, AvatarWorkerConfig.builder(prefix + i).build());
                    avatars.add(w);
                    if (receivers) {
                        RtcConnection u = service.createConnection();
                        users.add(u);
                        u.connect("", prefix + i, "user");
                        VideoReceiver.open(u, new VideoFrameListener() {});
                    }
                    AvatarAudioOut out = AvatarAudioOut.connect(w.webSocketUri(), service.audioPacer());
                    agents.add(out);
                    out.write(tone, 0, tone.length);
                }
                Thread.sleep(3000); // warm-up
                long frames0 = frames(avatars);
                long late0 = late(avatars);
                long ticks0 = ticks(avatars);
                long cpu0 = Stats.processCpuNanos();
                long t0 = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                long elapsed = System.nanoTime() - t0;
                long frames = frames(avatars) - frames0;
                long late = late(avatars) - late0;
                long ticks = ticks(avatars) - ticks0;
                double cpu = (Stats.processCpuNanos() - cpu0) / (double) elapsed;
                long audio = 0;
                for (AvatarWorker w : avatars) {
                    audio += w.stats().audioFramesSent();
                }
                double fps = frames / (elapsed / 1e9);
                System.out.println("{\"bench\":\"avatar-workers\",\"workers\":" + workers + ",\"seconds\":" + seconds
                        + ",\"receivers\":" + receivers + ",\"video_frames_per_sec\":" + Stats.num(fps)
                        + ",\"target_frames_per_sec\":" + (workers * 25) + ",\"per_worker_fps\":"
                        + Stats.num(fps / workers) + ",\"late_ticks\":" + late + ",\"late_tick_percent\":"
                        + Stats.num(100.0 * late / Math.max(1, ticks)) + ",\"audio_frames_sent\":" + audio
                        + ",\"process_cpu_cores\":" + Stats.num(cpu) + ",\"cores\":"
                        + Runtime.getRuntime().availableProcessors() + "}");
            } finally {
                agents.forEach(AvatarAudioOut::close);
                avatars.forEach(AvatarWorker::close);
                users.forEach(RtcConnection::close);
            }
        }
        return 0;
    }

    private static long frames(List<AvatarWorker> avatars) {
        long n = 0;
        for (AvatarWorker w : avatars) {
            n += LoopbackDiagnostics.framesSent(w.videoTrack());
        }
        return n;
    }

    private static long ticks(List<AvatarWorker> avatars) {
        long n = 0;
        for (AvatarWorker w : avatars) {
            n += w.stats().ticks();
        }
        return n;
    }

    private static long late(List<AvatarWorker> avatars) {
        long n = 0;
        for (AvatarWorker w : avatars) {
            n += w.stats().lateTicks();
        }
        return n;
    }
}
