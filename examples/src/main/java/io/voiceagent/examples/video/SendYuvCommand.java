package io.voiceagent.examples.video;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.video.LocalVideoTrack;
import io.voiceagent.agora.video.VideoEncoderConfig;
import io.voiceagent.agora.video.VideoFrame;
import io.voiceagent.agora.video.VideoPixelFormat;
import io.voiceagent.examples.BadInputException;
import io.voiceagent.examples.ConnectionOptions;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sends a raw I420 file into a channel as video at W x H @ fps, as Agora's
 * {@code example_video_yuv_send} does: one custom video track, H.264 encoder config of that size and
 * rate, one frame ({@code W x H x 3 / 2} bytes) per deadline, rewinding at the end of the file for
 * {@code --loops} passes.
 */
@Command(name = "send-yuv", mixinStandardHelpOptions = true,
        description = "Send a raw I420 file into a channel as video (W x H at fps), looping --loops times.")
public final class SendYuvCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions conn;

    @Option(names = {"-u", "--user-id"}, defaultValue = "yuv-sender", description = "this side's user id (default: ${DEFAULT-VALUE})")
    String userId;

    @Option(names = {"-f", "--file"}, required = true, description = "raw I420 file: frames of W x H x 3 / 2 bytes")
    Path file;

    @Option(names = "--width", required = true, description = "frame width in pixels (even)")
    int width;

    @Option(names = "--height", required = true, description = "frame height in pixels (even)")
    int height;

    @Option(names = "--fps", defaultValue = "30", description = "frames per second (default: ${DEFAULT-VALUE})")
    int fps;

    @Option(names = "--loops", defaultValue = "1", description = "passes over the file (default: ${DEFAULT-VALUE})")
    int loops;

    @Option(names = "--metadata", defaultValue = "hello metadata",
            description = "text attached to every frame, empty for none (default: ${DEFAULT-VALUE})")
    String metadata;

    private final PrintStream out;

    public SendYuvCommand() {
        this(System.out);
    }

    public SendYuvCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        BadInputException.readableFile("--file", file);
        if (width < 2 || height < 2 || (width & 1) != 0 || (height & 1) != 0 || width > 4096 || height > 4096) {
            throw new BadInputException("--width/--height", width + "x" + height, "must be even and in 2..4096");
        }
        BadInputException.atLeast("--fps", fps, 1);
        BadInputException.atLeast("--loops", loops, 1);
        int frameBytes = width * height * 3 / 2;
        long size = Files.size(file);
        if (size < frameBytes) {
            throw new BadInputException("--file", file, "holds " + size + " bytes, less than one " + width + " x "
                    + height + " I420 frame (" + frameBytes + " bytes)");
        }
        byte[] meta = metadata.getBytes(StandardCharsets.UTF_8);
        long frames = size / frameBytes;
        try (AgoraService service = AgoraService.create(conn.videoServiceConfig());
                LocalVideoTrack track = LocalVideoTrack.create(service, VideoEncoderConfig.builder(width, height)
                        .frameRate(Math.min(60, fps)).build());
                RtcConnection connection = service.createConnection()) {
            connection.connect(conn.token(), conn.channel(), userId);
            track.publish(connection);
            out.printf("sending %s (%d frames of %dx%d I420) to channel %s as %s at %d fps, %d pass(es)%n",
                    file.getFileName(), frames, width, height, conn.channel(), userId, fps, loops);
            FramePacer pacer = new FramePacer(fps);
            byte[] frame = new byte[frameBytes];
            long sent = 0;
            for (int pass = 0; pass < loops; pass++) {
                try (InputStream in = Files.newInputStream(file)) {
                    while (in.readNBytes(frame, 0, frameBytes) == frameBytes) {
                        pacer.awaitNext();
                        track.send(VideoFrame.builder(VideoPixelFormat.I420, width, height, frame).metadata(meta)
                                .build());
                        sent++;
                    }
                }
            }
            Thread.sleep(100); // the last frame reaches the channel before we leave
            out.printf("sent %d video frames%n", sent);
        }
        return 0;
    }
}
