package io.voiceagent.examples;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.RtcConnectionConfig;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Joins a channel and records every remote user's audio to {@code <dir>/<userId>.pcm}: the
 * "receive" half of the native layer in one command. With {@code --video} it also receives their
 * video and saves every N-th frame as {@code <dir>/<userId>-<frame>.png}.
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = "Join a channel and write each remote user's audio to <out>/<userId>.pcm (PCM16); with --video,"
                + " save every N-th video frame as <out>/<userId>-<frame>.png.")
public final class ListenCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions conn;

    @Option(names = {"-u", "--user-id"}, defaultValue = "listener", description = "this side's user id (default: ${DEFAULT-VALUE})")
    String userId;

    @Option(names = {"-o", "--out"}, defaultValue = "out", description = "folder for the .pcm files (default: ${DEFAULT-VALUE})")
    Path outDir;

    @Option(names = "--sample-rate", defaultValue = "16000", description = "rate to record at, Hz (default: ${DEFAULT-VALUE})")
    int sampleRate;

    @Option(names = "--channels", defaultValue = "1", description = "1 or 2 (default: ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--seconds", defaultValue = "0", description = "stop after this many seconds; 0 = until Ctrl-C")
    double seconds;

    @Option(names = "--idle-seconds", defaultValue = "0",
            description = "stop once audio was received and then nobody sent any for this long; 0 = off")
    double idleSeconds;

    @Option(names = "--video", description = "also receive video and save frames as PNG")
    boolean video;

    @Option(names = "--video-every", defaultValue = "25", description = "save every N-th frame of each user (default: ${DEFAULT-VALUE})")
    int videoEvery;

    @Option(names = "--video-color-space", defaultValue = "default",
            description = "how to turn the received YUV into RGB: default, bt709-full (what the avatar sends),"
                    + " bt709-limited, bt601-limited (default: ${DEFAULT-VALUE})")
    String videoColorSpace;

    private final PrintStream out;
    // Written on the connection's event executor, read by the waiting thread.
    private volatile long lastAudioNanos;

    public ListenCommand() {
        this(System.out);
    }

    ListenCommand(PrintStream out) {
        this.out = out;
    }

    /** One remote user's recording. Confined to the connection's event executor. */
    private static final class Recording {
        final OutputStream file;
        long bytes;

        Recording(OutputStream file) {
            this.file = file;
        }
    }

    @Override
    public Integer call() throws Exception {
        PcmFormat format = BadInputException.pcmFormat(sampleRate, channels);
        BadInputException.atLeast("--seconds", seconds, 0.0);
        BadInputException.atLeast("--idle-seconds", idleSeconds, 0.0);
        Files.createDirectories(outDir);
        Map<String, Recording> recordings = new ConcurrentHashMap<>();
        VideoFrames frames = video ? new VideoFrames(outDir, BadInputException.atLeast("--video-every", videoEvery, 1),
                io.voiceagent.examples.video.SendJpegCommand.colorSpace("--video-color-space", videoColorSpace), out,
                () -> lastAudioNanos = System.nanoTime()) : null;
        try (GracefulStop signals = new GracefulStop("listen-stop", out, Duration.ofSeconds(3))) {
            try (AgoraService service = AgoraService.create(video ? conn.videoServiceConfig() : conn.serviceConfig());
                    RtcConnection connection = service.createConnection(RtcConnectionConfig.builder()
                            .receiveFormat(format).build())) {
                connection.addListener(new PrintingListener(out, signals::request));
                connection.localUser().setRemoteAudioListener((c, user, frame) -> record(recordings, user, frame));
                if (frames != null) {
                    io.voiceagent.agora.video.VideoReceiver.open(connection, frames); // closed with the connection
                }
                connection.connect(conn.token(), conn.channel, userId);
                out.println("listening on channel " + conn.channel + " as " + userId + " (" + format
                        + (video ? ", video" : "") + ")");
                waitForStop(signals);
            } finally {
                if (frames != null) {
                    frames.finish();
                }
                for (Map.Entry<String, Recording> e : new TreeMap<>(recordings).entrySet()) {
                    e.getValue().file.close();
                    double s = e.getValue().bytes / (double) format.bytesPerSecond();
                    out.printf("received %s %.2f s %d bytes -> %s%n", e.getKey(), s, e.getValue().bytes,
                            outDir.resolve(fileName(e.getKey())));
                }
                out.flush();
                signals.released();
            }
        }
        return 0;
    }

    private void record(Map<String, Recording> recordings, String user, AudioFrame frame) {
        Recording r = recordings.computeIfAbsent(user, u -> {
            try {
                return new Recording(Files.newOutputStream(outDir.resolve(fileName(u))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            r.file.write(frame.data());
            r.bytes += frame.data().length;
            lastAudioNanos = System.nanoTime();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void waitForStop(GracefulStop signals) throws InterruptedException {
        long end = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
        while (!signals.awaitStop(50, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            if (now >= end) {
                return;
            }
            long last = lastAudioNanos;
            if (idleSeconds > 0 && last != 0 && now - last >= (long) (idleSeconds * 1e9)) {
                return;
            }
        }
    }

    /** A file name safe for any user id. */
    static String fileName(String user) {
        return user.replaceAll("[^A-Za-z0-9._-]", "_") + ".pcm";
    }
}
