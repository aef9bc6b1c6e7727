package io.voiceagent.examples.bench;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AgoraServiceConfig;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.video.ColorSpace;
import io.voiceagent.agora.video.LocalVideoTrack;
import io.voiceagent.agora.video.VideoEncoderConfig;
import io.voiceagent.agora.video.VideoFrame;
import io.voiceagent.agora.video.VideoFrameListener;
import io.voiceagent.agora.video.VideoPixelFormat;
import io.voiceagent.agora.video.VideoReceiver;
import io.voiceagent.server.avatar.FaceRenderer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cost of one avatar frame: drawing the face (Java2D, 640 x 480 by default) and sending it through a
 * {@link LocalVideoTrack} (BGRA, BT.709 full range; the loopback converts it to I420 in the call, as
 * an encoder's front end would) to a channel with one subscribed receiver. Frames are sent back to
 * back; thread CPU and wall time per frame, and process CPU per frame (the receiver's copy included).
 */
@Command(name = "avatar-render", mixinStandardHelpOptions = true,
        description = "Cost per rendered and sent avatar frame; prints one JSON line.")
public final class BenchAvatarRenderCommand implements Callable<Integer> {

    @Option(names = "--frames", defaultValue = "750", description = "frames measured after 100 of warm-up (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--width", defaultValue = "640", description = "width (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--height", defaultValue = "480", description = "height (default: ${DEFAULT-VALUE})")
    int height;

    @Override
    public Integer call() throws Exception {
        io.voiceagent.examples.BadInputException.atLeast("--frames", frames, 1);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        FaceRenderer face = new FaceRenderer(width, height, 0x00B140);
        AtomicLong received = new AtomicLong();
        String channel = "bench-render-" + ProcessHandle.current().pid();
        Stats.Samples renderWall = new Stats.Samples();
        Stats.Samples sendWall = new Stats.Samples();
        long renderCpu = 0;
        long sendCpu = 0;
        long processCpu;
        long receivedAtStart;
        try (AgoraService service = AgoraService.create(AgoraServiceConfig.builder().appId("bench-render")
                        .enableVideo(true).build());
                RtcConnection sender = service.createConnection(); RtcConnection receiver = service.createConnection();
                LocalVideoTrack track = LocalVideoTrack.create(service, VideoEncoderConfig.builder(width, height)
                        .frameRate(25).build())) {
            sender.connect("", channel, "avatar");
            receiver.connect("", channel, "user");
            try (VideoReceiver video = VideoReceiver.open(receiver, new VideoFrameListener() {
                @Override
                public void onFrame(RtcConnection c, io.voiceagent.agora.video.ReceivedVideoFrame f) {
                    received.incrementAndGet();
                }
            })) {
                track.publish(sender);
                Thread.sleep(200);
                long cpu0 = 0;
                receivedAtStart = 0;
                for (int i = -100; i < frames; i++) {
                    if (i == 0) {
                        cpu0 = Stats.processCpuNanos();
                        receivedAtStart = received.get();
                    }
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    ByteBuffer bgra = face.render(Math.abs(Math.sin(i / 7.0)), i);
                    long t1 = System.nanoTime();
                    long c1 = threads.getCurrentThreadCpuTime();
                    track.send(VideoFrame.builder(VideoPixelFormat.BGRA, width, height, bgra)
                            .colorSpace(ColorSpace.BT709_FULL).build());
                    long t2 = System.nanoTime();
                    long c2 = threads.getCurrentThreadCpuTime();
                    if (i >= 0) {
                        renderWall.add(t1 - t0);
                        sendWall.add(t2 - t1);
                        renderCpu += c1 - c0;
                        sendCpu += c2 - c1;
                    }
                    if (i % 4 == 0) {
                        Thread.sleep(1); // let the receiver's tick keep up (it holds at most 4 frames)
                    }
                }
                Thread.sleep(200);
                processCpu = Stats.processCpuNanos() - cpu0;
            }
        }
        long got = received.get() - receivedAtStart;
        System.out.println("{\"bench\":\"avatar-render\",\"width\":" + width + ",\"height\":" + height + ",\"frames\":"
                + frames + ",\"render_ms_mean\":" + Stats.num(renderWall.mean() / 1e6) + ",\"render_ms_p99\":"
                + Stats.ms(renderWall.percentile(99)) + ",\"send_ms_mean\":" + Stats.num(sendWall.mean() / 1e6)
                + ",\"send_ms_p99\":" + Stats.ms(sendWall.percentile(99)) + ",\"render_cpu_ms_per_frame\":"
                + Stats.num(renderCpu / 1e6 / frames) + ",\"send_cpu_ms_per_frame\":" + Stats.num(sendCpu / 1e6 / frames)
                + ",\"process_cpu_ms_per_frame\":" + Stats.num(processCpu / 1e6 / frames) + ",\"frames_received\":"
                + got + "}");
        return 0;
    }
}
