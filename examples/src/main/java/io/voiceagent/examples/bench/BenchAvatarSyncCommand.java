package io.voiceagent.examples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Audio-video offset of the avatar's output, as the user receives it: the agent streams tone bursts
 * (200 ms of tone, 300 ms of silence) to the worker; at the user, each burst's audio onset (the
 * first loud 10 ms frame after silence) is paired with the video onset (the first frame whose mouth
 * is more than 30 % open after one less than 10 % open) within 200 ms. Offset = video arrival - audio arrival. One JSON line.
 */
@Command(name = "avatar-sync", mixinStandardHelpOptions = true,
        description = "Audio-video offset of the avatar worker's output at the receiver; prints one JSON line.")
public final class BenchAvatarSyncCommand implements Callable<Integer> {

    @Option(names = "--bursts", defaultValue = "60", description = "tone bursts (default: ${DEFAULT-VALUE})")
    int bursts;

    @Option(names = "--video-delay-ms", defaultValue = "30", description = "the worker's videoDelay (default: ${DEFAULT-VALUE})")
    int videoDelayMs;

    @Override
    public Integer call() throws Exception {
        io.voiceagent.examples.BadInputException.atLeast("--bursts", bursts, 1);
        try (AvatarRig rig = new AvatarRig("bench-sync-" + ProcessHandle.current().pid(),
                Duration.ofMillis(videoDelayMs))) {
            Thread.sleep(500);
            byte[] tone = AvatarRig.tone(200, 12000);
            byte[] quiet = AvatarRig.tone(300, 0);
            for (int i = 0; i < bursts; i++) {
                rig.out.write(tone, 0, tone.length);
                rig.out.write(quiet, 0, quiet.length);
            }
            rig.out.endSegment();
            Thread.sleep(bursts * 500L + 1500);
            List<Long> audioOnsets = new ArrayList<>();
            List<Long> videoOnsets = new ArrayList<>();
            int quietFrames = 10;
            int lastMouth = 0;
            long videoFrames = 0;
            long audioFrames = 0;
            Stats.Samples inFlight = new Stats.Samples();
            long first = 0;
            long last = 0;
            for (AvatarRig.Arrival a : rig.arrivals) {
                if (a.isVideo()) {
                    videoFrames++;
                    if (a.workerAudioFrames() > 0 && audioFrames > 0) {
                        inFlight.add(Math.max(0, a.workerAudioFrames() - audioFrames) * 10_000_000L);
                    }
                    first = first == 0 ? a.nanos() : first;
                    last = a.nanos();
                    if (a.mouth() > 300 && lastMouth < 100) {   // a rising edge of the mouth
                        videoOnsets.add(a.nanos());
                    }
                    lastMouth = a.mouth();
                } else if (++audioFrames > 0 && a.rms() > 0.05) {
                    if (quietFrames >= 5) {
                        audioOnsets.add(a.nanos());
                    }
                    quietFrames = 0;
                } else {
                    quietFrames++;
                }
            }
            Stats.Samples abs = new Stats.Samples();
            Stats.Samples signed = new Stats.Samples();
            for (long a : audioOnsets) {
                long best = Long.MAX_VALUE;
                for (long v : videoOnsets) {
                    if (Math.abs(v - a) < Math.abs(best)) {
                        best = v - a;
                    }
                }
                if (Math.abs(best) <= 200_000_000L) {
                    abs.add(Math.abs(best));
                    signed.add(best);
                }
            }
            double fps = videoFrames > 1 ? (videoFrames - 1) / ((last - first) / 1e9) : 0;
            System.out.println("{\"bench\":\"avatar-sync\",\"bursts\":" + bursts + ",\"audio_onsets\":"
                    + audioOnsets.size() + ",\"paired\":" + abs.size() + ",\"video_delay_ms\":" + videoDelayMs
                    + ",\"av_offset_abs_ms_p50\":" + Stats.ms(abs.percentile(50)) + ",\"av_offset_abs_ms_p95\":"
                    + Stats.ms(abs.percentile(95)) + ",\"av_offset_abs_ms_max\":" + Stats.ms(abs.max())
                    + ",\"av_offset_ms_mean_video_minus_audio\":" + Stats.num(signed.mean() / 1e6)
                    + ",\"audio_in_flight_ms_p50\":" + Stats.ms(inFlight.percentile(50))
                    + ",\"audio_in_flight_ms_p95\":" + Stats.ms(inFlight.percentile(95))
                    + ",\"video_fps_received\":" + Stats.num(fps) + ",\"late_ticks\":" + rig.worker.stats().lateTicks()
                    + "}");
        }
        return 0;
    }
}
