package io.voiceagent.examples;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Container-per-user mode: holds one agent connection for one user's session until the container
 * is stopped. On SIGTERM or SIGINT it unpublishes, disconnects and releases everything in Agora's
 * order, then exits with status 0 (a stopped session is a normal end, not a failure).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Hold one agent connection in a channel until SIGTERM/SIGINT, then release everything and exit 0.")
public final class ServeCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions conn;

    @Option(names = {"-u", "--user-id"}, defaultValue = "agent", description = "the agent's user id (default: ${DEFAULT-VALUE})")
    String userId;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        try (GracefulStop signals = new GracefulStop("serve-stop", out, Duration.ofMillis(1500))) {
            try (AgoraService service = AgoraService.create(conn.serviceConfig());
                    LocalAudioTrack track = service.createAudioTrack();
                    RtcConnection connection = service.createConnection()) {
                connection.addListener(new PrintingListener(out, signals::request));
                connection.connect(conn.token(), conn.channel, userId);
                connection.localUser().publishAudio(track);
                out.println("serving channel " + conn.channel + " as " + userId);
                out.flush();
                signals.awaitStop();
                out.println("stopping: unpublish, disconnect, release");
            } finally {
                if (LoopbackDiagnostics.isAvailable()) {
                    out.println("loopback live_handles=" + LoopbackDiagnostics.liveHandles() + " order_violations="
                            + LoopbackDiagnostics.orderViolations());
                }
                out.println("released");
                out.flush();
                signals.released();
            }
        }
        return 0;
    }
}
