package io.voiceagent.examples;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.AudioTrackOptions;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumer;
import io.voiceagent.core.pacing.AudioPacer;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Pushes a raw PCM16 file into a channel at real-time pace: join, publish a PCM track, hand the
 * file to an {@link AudioConsumer} (10 ms frames on absolute deadlines, 100 ms ahead), wait until
 * every byte has been pushed, leave. The "send" half of the native layer in one command.
 */
@Command(name = "send-pcm", mixinStandardHelpOptions = true,
        description = "Push a raw PCM16 little-endian file into a channel in real time.")
public final class SendPcmCommand implements Callable<Integer> {
    /** How much audio is handed to the consumer at once; keeps memory flat for long files. */
    private static final int CHUNK_MS = 1000;

    @Mixin
    ConnectionOptions conn;

    @Option(names = {"-u", "--user-id"}, defaultValue = "speaker", description = "this side's user id (default: ${DEFAULT-VALUE})")
    String userId;

    @Option(names = {"-f", "--file"}, required = true, description = "raw PCM16 LE file (no header)")
    Path file;

    @Option(names = "--sample-rate", defaultValue = "16000",
            description = "8000, 16000, 24000, 32000, 44100 or 48000 (default: ${DEFAULT-VALUE})")
    int sampleRate;

    @Option(names = "--channels", defaultValue = "1", description = "1 or 2 (default: ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    private final PrintStream out;

    public SendPcmCommand() {
        this(System.out);
    }

    SendPcmCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        PcmFormat format = BadInputException.pcmFormat(sampleRate, channels);
        BadInputException.readableFile("--file", file);
        long total = Files.size(file);
        double totalSeconds = total / (double) format.bytesPerSecond();
        int chunkBytes = (int) format.bytesFor(CHUNK_MS);
        try (AgoraService service = AgoraService.create(conn.serviceConfig());
                LocalAudioTrack track = service.createAudioTrack(AudioTrackOptions.defaults());
                RtcConnection connection = service.createConnection();
                AudioPacer pacer = AudioPacer.start();
                AudioConsumer consumer = pacer.newConsumer(track.sender(), format);
                InputStream in = Files.newInputStream(file)) {
            connection.connect(conn.token(), conn.channel, userId);
            connection.localUser().publishAudio(track);
            out.printf("sending %s (%.2f s, %s) to channel %s as %s%n", file.getFileName(), totalSeconds, format,
                    conn.channel, userId);
            long pushed = 0;
            long nextReport = format.bytesPerSecond();
            byte[] chunk = new byte[chunkBytes];
            int n;
            while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                // Stay about two chunks ahead of the pacer; the consumer's buffer is bounded.
                while (consumer.pendingBytes() > 2L * chunkBytes) {
                    Thread.sleep(20);
                    failIfBroken(consumer);
                }
                consumer.push(chunk, 0, n);
                pushed += n;
                nextReport = report(consumer, format, nextReport, totalSeconds);
            }
            consumer.markSegmentComplete();
            while (!consumer.isPushToRtcCompleted()) {
                Thread.sleep(10);
                failIfBroken(consumer);
                nextReport = report(consumer, format, nextReport, totalSeconds);
            }
            // The SDK sends what it holds (at most the consumer's lead) in real time: let it leave before we do.
            Thread.sleep(200);
            out.printf("sent %d bytes (%d frames, %.2f s) from %s%n", pushed, consumer.framesSent(),
                    consumer.framesSent() / 100.0, file.getFileName());
        }
        return 0;
    }

    /** Prints a progress line each whole second sent; returns the next reporting threshold in bytes. */
    private long report(AudioConsumer consumer, PcmFormat format, long nextReport, double totalSeconds) {
        long sentBytes = consumer.framesSent() * format.bytesPerFrame();
        if (quiet || sentBytes < nextReport) {
            return nextReport;
        }
        out.printf("progress %.1f / %.1f s%n", sentBytes / (double) format.bytesPerSecond(), totalSeconds);
        return (sentBytes / format.bytesPerSecond() + 1) * format.bytesPerSecond();
    }

    private static void failIfBroken(AudioConsumer consumer) {
        Throwable failure = consumer.failure();
        if (failure != null) {
            throw new IllegalStateException("sending failed: " + failure.getMessage(), failure);
        }
    }
}
