package io.voiceagent.examples;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.agent.AgoraTransport;
import io.voiceagent.agora.pool.ConnectionPool;
import io.voiceagent.agora.pool.ConnectionPoolConfig;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.duet.Duet;
import io.voiceagent.core.duet.DuetAgent;
import io.voiceagent.core.duet.DuetEndReason;
import io.voiceagent.core.duet.DuetListener;
import io.voiceagent.core.duet.DuetRole;
import io.voiceagent.core.duet.DuetTurn;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Two agents talking in one RTC channel: both run in this process, each on a lease of one connection
 * pool with its own user id and published track; they alternate turns (never at once on the wire); a
 * person in the channel (or {@code send-pcm}) barges in by voice: agent A's session hears every remote
 * user but the two agents, its VAD cuts the speaker off, and the other agent answers the recognized
 * words. Offline by default (scripted responders, espeak-ng, PocketSphinx). One line per event; stops
 * on Ctrl-C (exit 0), after {@code --seconds}, or when the duet ends.
 */
@Command(name = "duet", mixinStandardHelpOptions = true,
        description = "Two agents in one channel, alternating turns (offline by default: scripted responders, espeak-ng,"
                + " PocketSphinx); anyone else in the channel can barge in by voice. One line per event.")
public final class DuetCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions conn;

    @Option(names = "--user-a", defaultValue = "duet-a", description = "agent A's user id (default: ${DEFAULT-VALUE})")
    String userA;

    @Option(names = "--user-b", defaultValue = "duet-b", description = "agent B's user id (default: ${DEFAULT-VALUE})")
    String userB;

    @Option(names = "--name-a", defaultValue = "Alex", description = "agent A's name (default: ${DEFAULT-VALUE})")
    String nameA;

    @Option(names = "--name-b", defaultValue = "Sofía", description = "agent B's name (default: ${DEFAULT-VALUE})")
    String nameB;

    @Option(names = "--lang-a", defaultValue = "en", description = "agent A's language: en, es or fr (default: ${DEFAULT-VALUE})")
    String langA;

    @Option(names = "--lang-b", defaultValue = "es", description = "agent B's language (default: ${DEFAULT-VALUE})")
    String langB;

    @Option(names = "--max-turns", defaultValue = "20", description = "turns after which the duet ends (default: ${DEFAULT-VALUE})")
    int maxTurns;

    @Option(names = "--stop-phrase", defaultValue = "goodbye", description = "ends the duet when an agent says it; '' for none")
    String stopPhrase;

    @Option(names = "--seconds", defaultValue = "0", description = "stop after this many seconds (0 = until Ctrl-C or the end)")
    int seconds;

    @Mixin
    DuetOptions providers;

    private final PrintStream out;

    public DuetCommand() {
        this(System.out);
    }

    DuetCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        if (userA.equals(userB)) {
            throw new BadInputException("--user-b", userB, "must differ from --user-a: each agent has its own user id");
        }
        DuetAgent a = BadInputException.parse("--name-a / --lang-a", nameA + " / " + langA,
                () -> DuetAgent.of(nameA, "You are " + nameA + ", curious and friendly.", langA));
        DuetAgent b = BadInputException.parse("--name-b / --lang-b", nameB + " / " + langB,
                () -> DuetAgent.of(nameB, "You are " + nameB + ", warm and witty.", langB));
        try (GracefulStop signals = new GracefulStop("duet-stop", out, Duration.ofSeconds(2));
                DuetOptions.Providers p = providers.open(System.getenv())) {
            try (AgoraService service = AgoraService.create(conn.serviceConfig());
                    ConnectionPool pool = ConnectionPool.create(service, ConnectionPoolConfig.of(2))) {
                Duet duet = BadInputException.parse("--lang-a / --lang-b / --max-turns", langA + " / " + langB + " / "
                        + maxTurns, () -> Duet.builder()
                        .agent(DuetRole.A, a).agent(DuetRole.B, b)
                        .llm(p.llm()).voices(p.voices()).stt(p.stt())
                        .maxTurns(maxTurns).stopPhrase(stopPhrase.isBlank() ? null : stopPhrase)
                        .transports(role -> AgoraTransport.lease(pool, conn.token(), conn.channel,
                                role == DuetRole.A ? userA : userB))
                        .ignoredUsers(Set.of(userA, userB))
                        .listener(new Printer(out, signals))
                        .open());
                try (duet) {
                    out.println("duet ready on channel " + conn.channel + " as " + userA + " (" + a.name() + ", "
                            + a.language() + ") and " + userB + " (" + b.name() + ", " + b.language() + "): "
                            + p.description());
                    out.flush();
                    duet.start();
                    signals.awaitStop(seconds);
                    out.println("stopping");
                }
            } finally {
                out.println("released");
                out.flush();
                signals.released();
            }
        }
        return 0;
    }

    /** One line per duet event (on the duet's executor). */
    static final class Printer implements DuetListener {
        private final PrintStream out;
        private final GracefulStop signals;

        Printer(PrintStream out, GracefulStop signals) {
            this.out = out;
            this.signals = signals;
        }

        private void line(String s) {
            out.println(s);
            out.flush();
        }

        @Override
        public void turnStarted(DuetTurn t) {
            line("turn_started turn=" + t.index() + " agent=" + t.role() + " name=" + t.name() + " lang=" + t.language()
                    + " voice=" + t.voice());
        }

        @Override
        public void agentSpoke(DuetTurn t, String text, byte[] pcm, PcmFormat format) {
            line("agent_text turn=" + t.index() + " agent=" + t.role() + " ms=" + format.durationMillis(pcm.length)
                    + " text=" + VoiceAgentCommand.EventPrinter.quote(text));
        }

        @Override
        public void speakerInterrupted(DuetTurn t) {
            line("stop_audio turn=" + t.index() + " agent=" + t.role());
        }

        @Override
        public void turnEnded(DuetTurn t, String heard, boolean interrupted) {
            line("turn_ended turn=" + t.index() + " agent=" + t.role() + " interrupted=" + interrupted);
        }

        @Override
        public void userSpeechStarted() {
            line("user_speech_started");
        }

        @Override
        public void userText(String text, boolean spoken) {
            line("user_text spoken=" + spoken + " text=" + VoiceAgentCommand.EventPrinter.quote(text));
        }

        @Override
        public void turnFailed(DuetTurn t, Throwable error) {
            line("turn_failed turn=" + t.index() + " error=" + VoiceAgentCommand.EventPrinter.quote(String.valueOf(error)));
        }

        @Override
        public void duetEnded(DuetEndReason reason) {
            line("duet_ended reason=" + reason);
            if (reason != DuetEndReason.STOPPED) {
                signals.request();
            }
        }
    }
}
