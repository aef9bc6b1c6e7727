package io.voiceagent.examples.avatar;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.examples.BadInputException;
import io.voiceagent.examples.ConnectionOptions;
import io.voiceagent.examples.video.SendJpegCommand;
import io.voiceagent.server.avatar.AvatarWorker;
import io.voiceagent.server.avatar.AvatarWorkerConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * An avatar worker (seed 004) in one command: joins the channel, publishes a face on a solid
 * background at 25 fps, and waits on a WebSocket for an agent ({@code voice-agent --avatar ws://...})
 * whose speech it plays with the mouth following it. Stops on Ctrl-C or after {@code --seconds}.
 */
@Command(name = "avatar", mixinStandardHelpOptions = true,
        description = "Join a channel as an avatar: a face at 25 fps, and the speech an agent streams to its WebSocket"
                + " (voice-agent --avatar ws://host:port/avatar).")
public final class AvatarCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions conn;

    @Option(names = {"-u", "--user-id"}, defaultValue = "avatar", description = "the avatar's user id (default: ${DEFAULT-VALUE})")
    String userId;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "interface of the agent WebSocket (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8765", description = "port of the agent WebSocket, 0 = any (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--width", defaultValue = "640", description = "video width (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--height", defaultValue = "480", description = "video height (default: ${DEFAULT-VALUE})")
    int height;

    @Option(names = "--fps", defaultValue = "25", description = "10, 20, 25 or 50 (default: ${DEFAULT-VALUE})")
    int fps;

    @Option(names = "--background", defaultValue = "#00B140", description = "solid background colour (default: ${DEFAULT-VALUE})")
    String background;

    @Option(names = "--color-space", defaultValue = "bt709-full",
            description = "how the encoder converts the frames: default, bt709-full, bt709-limited, bt601-limited (default: ${DEFAULT-VALUE})")
    String colorSpace;

    @Option(names = "--video-delay-ms", defaultValue = "30", description = "draw the mouth this far behind the audio, 0..200 in 10s (default: ${DEFAULT-VALUE})")
    int videoDelayMs;

    @Option(names = "--seconds", defaultValue = "0", description = "stop after this many seconds (0 = until Ctrl-C)")
    int seconds;

    private final PrintStream out;

    public AvatarCommand() {
        this(System.out);
    }

    public AvatarCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        int rgb = BadInputException.parse("--background", background,
                () -> Integer.parseInt(background.replaceFirst("^#", ""), 16) & 0xffffff);
        AvatarWorkerConfig config;
        try {
            config = AvatarWorkerConfig.builder(conn.channel()).userId(userId).token(conn.token()).host(host).port(port)
                    .size(width, height).fps(fps).backgroundRgb(rgb)
                    .colorSpace(SendJpegCommand.colorSpace("--color-space", colorSpace))
                    .videoDelay(Duration.ofMillis(videoDelayMs)).build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "avatar-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (AgoraService service = AgoraService.create(conn.videoServiceConfig());
                AvatarWorker avatar = AvatarWorker.start(service, config)) {
            out.println("avatar ready on channel " + conn.channel() + " as " + userId + ": " + width + "x" + height + " at "
                    + fps + " fps; agent WebSocket " + avatar.webSocketUri());
            out.flush();
            if (seconds > 0) {
                stop.await(seconds, TimeUnit.SECONDS);
            } else {
                stop.await();
            }
            AvatarWorker.Stats s = avatar.stats();
            out.printf("avatar stopping: %d video frames, %d audio frames, %d acks, %d late ticks%n",
                    s.videoFramesSent(), s.audioFramesSent(), s.acksSent(), s.lateTicks());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting on a signal; the resources above are already released.
            }
        }
        return 0;
    }
}
