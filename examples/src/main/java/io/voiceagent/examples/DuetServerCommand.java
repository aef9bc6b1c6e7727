package io.voiceagent.examples;

import io.voiceagent.server.EmbeddedServer;
import io.voiceagent.server.duet.DuetServer;
import io.voiceagent.server.duet.DuetServerConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Two agents talking, in a browser: the duet page at {@code /duet}, one duet per session id on the
 * WebSocket {@code /ws/{session_id}} (seed 003's protocol), {@code /health}, on one embedded Jetty
 * server. Offline by default (scripted responders, espeak-ng in English and Spanish, PocketSphinx for
 * the user's voice). {@code scripts/agent web} serves the same duet next to the web console.
 * SIGTERM/SIGINT stop it gracefully.
 */
@Command(name = "duet-server", mixinStandardHelpOptions = true,
        description = "Serve the duet (two agents in one conversation) over WebSocket at /ws/{session_id}, with its "
                + "page at /duet (offline by default: scripted responders, espeak-ng, PocketSphinx).")
public final class DuetServerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8000", description = "port (0 = any free one; default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "interface to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--max-turns", defaultValue = "20", description = "turns after which a duet ends (default: ${DEFAULT-VALUE})")
    int maxTurns;

    @Option(names = "--stop-phrase", defaultValue = "goodbye",
            description = "a phrase that ends the duet when an agent says it; '' for none (default: ${DEFAULT-VALUE})")
    String stopPhrase;

    @Option(names = "--max-sessions", defaultValue = "100", description = "duet sessions kept at once (default: ${DEFAULT-VALUE})")
    int maxSessions;

    @Option(names = "--seconds", defaultValue = "0", description = "stop after this many seconds (0 = until SIGTERM/SIGINT)")
    int seconds;

    @Mixin
    DuetOptions providers;

    private final PrintStream out;

    public DuetServerCommand() {
        this(System.out);
    }

    DuetServerCommand(PrintStream out) {
        this.out = out;
    }

    /** The duet server of {@code p}'s providers: the config's agents, p's LLM for both, p's voices and STT. */
    static DuetServer duetServer(DuetServerConfig config, DuetOptions.Providers p) {
        return DuetServer.create(config, (id, duet) -> duet.llm(p.llm()).voices(p.voices()).stt(p.stt()));
    }

    @Override
    public Integer call() throws Exception {
        DuetServerConfig config = BadInputException.parse("--max-turns / --max-sessions", maxTurns + " / " + maxSessions,
                () -> DuetServerConfig.builder().maxTurns(maxTurns).maxSessions(maxSessions)
                        .stopPhrase(stopPhrase.isBlank() ? null : stopPhrase).build());
        try (GracefulStop signals = new GracefulStop("duet-stop", out, Duration.ofSeconds(5));
                DuetOptions.Providers p = providers.open(System.getenv())) {
            try {
                try (DuetServer duets = duetServer(config, p);
                        EmbeddedServer server = duets.install(EmbeddedServer.builder().host(host).port(port)).build()
                                .start()) {
                    out.println("duet ready at " + server.uri() + "/duet (WebSocket "
                            + server.uri().toString().replace("http:", "ws:") + "/ws/{session_id}): " + p.description());
                    out.flush();
                    signals.awaitStop(seconds);
                    out.println("stopping: " + duets.sessionCount() + " duet sessions close");
                    out.flush();
                    duets.close(); // before the server: the close frames need it
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
