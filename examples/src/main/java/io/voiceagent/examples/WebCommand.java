package io.voiceagent.examples;

import io.voiceagent.core.agent.InterruptMode;
import io.voiceagent.server.EmbeddedServer;
import io.voiceagent.server.duet.DuetServer;
import io.voiceagent.server.duet.DuetServerConfig;
import io.voiceagent.server.web.WebConsole;
import io.voiceagent.server.web.WebConsoleConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Voice sessions in a browser: the web console at {@code /}, one agent session per WebSocket at
 * {@code /ws} (seed 002's protocol), the duet at {@code /duet} with its WebSocket
 * {@code /ws/{session_id}} (seed 003's), {@code /health}, on one embedded Jetty server. Offline by
 * default (PocketSphinx -> echo responder -> espeak-ng). SIGTERM/SIGINT stop it gracefully: every
 * session gets {@code status: stopped} and a close frame, then the process exits 0.
 */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = "Serve the web console and WebSocket voice sessions (offline by default: PocketSphinx -> echo -> "
                + "espeak-ng; OPENAI_API_KEY / OPENAI_BASE_URL make the LLM real).")
public final class WebCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8000", description = "port (0 = any free one; default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "interface to bind (0.0.0.0 for all; default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--sample-rate", defaultValue = "16000",
            description = "session rate of microphone and speech PCM, announced to clients (default: ${DEFAULT-VALUE})")
    int sampleRate;

    @Option(names = "--max-sessions", defaultValue = "200", description = "WebSocket sessions at once (default: ${DEFAULT-VALUE})")
    int maxSessions;

    @Option(names = "--max-frames-per-second", defaultValue = "100",
            description = "binary frames a client may send per second (default: ${DEFAULT-VALUE})")
    int maxFramesPerSecond;

    @Option(names = "--interrupt-mode", defaultValue = "VOICE_ACTIVATION",
            description = "VOICE_ACTIVATION (at the VAD's speech start) or ASR_ACTIVATION (at the first recognized words)")
    InterruptMode interruptMode;

    @Option(names = "--seconds", defaultValue = "0", description = "stop after this many seconds (0 = until SIGTERM/SIGINT)")
    int seconds;

    @Mixin
    ProviderOptions providers;

    private final PrintStream out;

    public WebCommand() {
        this(System.out);
    }

    WebCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        WebConsoleConfig config = BadInputException.parse("--sample-rate / --max-sessions / --max-frames-per-second",
                sampleRate + " / " + maxSessions + " / " + maxFramesPerSecond, () -> WebConsoleConfig.builder()
                        .sampleRateHz(sampleRate).maxSessions(maxSessions).maxFramesPerSecond(maxFramesPerSecond).build());
        try (GracefulStop signals = new GracefulStop("web-stop", out, Duration.ofSeconds(5));
                ProviderOptions.Providers p = providers.open(System.getenv(), ProviderOptions.Stt.pocketsphinx)) {
            if (interruptMode == InterruptMode.ASR_ACTIVATION && !p.hasStt) {
                throw new BadInputException("--interrupt-mode", interruptMode, "needs speech recognition (--stt)");
            }
            InterruptMode mode = interruptMode;
            try {
                DuetOptions duetChoice = new DuetOptions();
                duetChoice.tts = DuetOptions.Tts.espeak;
                duetChoice.stt = p.hasStt && providers.stt != null ? providers.stt : ProviderOptions.Stt.pocketsphinx;
                try (DuetOptions.Providers duetProviders = duetChoice.open(System.getenv());
                        WebConsole console = WebConsole.create(config, (id, session) -> {
                            session.interruptMode(mode);
                            p.apply.accept(session);
                        });
                        DuetServer duets = DuetServerCommand.duetServer(DuetServerConfig.defaults(), duetProviders);
                        EmbeddedServer server = duets.install(console.install(EmbeddedServer.builder().host(host)
                                .port(port))).build().start()) {
                    out.println("web console ready at " + server.uri() + "/ (WebSocket "
                            + server.uri().toString().replace("http:", "ws:") + "/ws, " + sampleRate + " Hz): "
                            + p.description + ", interrupt " + mode);
                    out.println("duet ready at " + server.uri() + "/duet (WebSocket "
                            + server.uri().toString().replace("http:", "ws:") + "/ws/{session_id}): "
                            + duetProviders.description());
                    out.flush();
                    signals.awaitStop(seconds);
                    out.println("stopping: " + console.sessionCount() + " sessions get status stopped and a close frame");
                    out.flush();
                    console.close(); // before the server: the close frames need it
                    duets.close();
                }
            } finally {
                out.println("stopped");
                out.flush();
                signals.released();
            }
        }
        return 0;
    }
}
