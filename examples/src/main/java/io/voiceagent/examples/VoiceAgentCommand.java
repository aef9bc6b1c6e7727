package io.voiceagent.examples;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.agent.AgoraTransport;
import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.agent.InterruptMode;
import io.voiceagent.core.agent.InterruptTrigger;
import io.voiceagent.core.agent.RoundLatency;
import io.voiceagent.core.agent.RoundResult;
import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.llm.AudioModalitiesClient;
import io.voiceagent.core.server.AudioModalitiesServer;
import io.voiceagent.core.server.AudioModalitiesServerConfig;
import io.voiceagent.core.llm.OpenAiChatClient;
import io.voiceagent.core.stt.OpenAiTranscriptionClient;
import io.voiceagent.core.tts.EspeakNgConfig;
import io.voiceagent.core.tts.EspeakNgTts;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A whole voice agent in one channel: per-user VAD, one round per user turn, barge-in. Offline by
 * default: the "LLM" is an in-process audio-modalities server on 127.0.0.1 answering every turn with
 * a PCM file and a transcript, so the loop runs on the loopback library with no account or key.
 * With {@code OPENAI_API_KEY} set it runs speech-to-text -> chat LLM -> espeak-ng TTS instead. With
 * {@code --stt}, {@code --llm} or {@code --llm-url} it runs the providers of {@code scripts/agent web}
 * (for example PocketSphinx -> echo -> espeak-ng, or an external audio-modalities LLM at {@code --llm-url},
 * the way Agora's Conversational AI engine uses such a server).
 * Prints one line per event; stops on Ctrl-C (exit 0) or after {@code --seconds}.
 */
@Command(name = "voice-agent", mixinStandardHelpOptions = true,
        description = "Join a channel and talk: VAD per user, a round per turn (offline audio-modalities server, or "
                + "STT -> LLM -> TTS when OPENAI_API_KEY is set), interrupt on barge-in. One line per event.")
public final class VoiceAgentCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions conn;

    @Option(names = {"-u", "--user-id"}, defaultValue = "agent", description = "the agent's user id (default: ${DEFAULT-VALUE})")
    String userId;

    @Option(names = "--seconds", defaultValue = "0", description = "stop after this many seconds (0 = until Ctrl-C)")
    int seconds;

    @Option(names = "--interrupt-mode", defaultValue = "VOICE_ACTIVATION",
            description = "VOICE_ACTIVATION (at VAD start) or ASR_ACTIVATION (at recognized text; needs STT). Default: ${DEFAULT-VALUE}")
    InterruptMode interruptMode;

    @Option(names = "--offline", description = "use the local audio-modalities server even if OPENAI_API_KEY is set")
    boolean offline;

    @Option(names = "--answer-pcm", defaultValue = "test_data/hello_16k_1ch.pcm",
            description = "offline answer audio, 16 kHz 16-bit mono PCM (default: ${DEFAULT-VALUE})")
    Path answerPcm;

    @Option(names = "--answer-text", defaultValue = "Hello! This is the offline voice agent, answering from the local "
            + "audio-modalities server.", description = "offline answer transcript")
    String answerText;

    /** --stt, --llm, --llm-url, --system-prompt, --language, --espeak-voice (shared with {@code web}). */
    @Mixin
    ProviderOptions providers;

    @Option(names = "--avatar", description = "stream the agent's speech to this avatar worker (ws://host:port/avatar,"
            + " from `agent avatar`) instead of publishing it")
    java.net.URI avatar;

    private final PrintStream out;

    public VoiceAgentCommand() {
        this(System.out);
    }

    VoiceAgentCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        OpenAiConfig online = OpenAiConfig.fromEnvironment();
        boolean chosen = providers.anyChosen();
        boolean useOnline = !chosen && !offline && online.hasApiKey();
        if (chosen) {
            // --stt / --llm / --llm-url: the providers of `scripts/agent web`, here on a channel.
            try (ProviderOptions.Providers p = providers.open(System.getenv(), null);
                    GracefulStop signals = new GracefulStop("voice-agent-stop", out, Duration.ofSeconds(2))) {
                if (interruptMode == InterruptMode.ASR_ACTIVATION && !p.hasStt) {
                    throw new BadInputException("--interrupt-mode", interruptMode, "needs speech recognition: add --stt");
                }
                AgentSession.Builder session = AgentSession.builder().interruptMode(interruptMode)
                        .listener(new EventPrinter(out));
                p.apply.accept(session);
                try {
                    runAgent(session.build(), p.description, signals);
                } finally {
                    out.println("released");
                    out.flush();
                    signals.released();
                }
            }
            return 0;
        }
        if (interruptMode == InterruptMode.ASR_ACTIVATION && !useOnline) {
            throw new BadInputException("--interrupt-mode", interruptMode, "needs speech recognition: set OPENAI_API_KEY"
                    + " (and do not pass --offline)");
        }
        Path answer = useOnline ? null : Resources.find("--answer-pcm", answerPcm);
        AudioModalitiesServer server = null;
        try (GracefulStop signals = new GracefulStop("voice-agent-stop", out, Duration.ofSeconds(2))) {
            try {
                AgentSession.Builder session = AgentSession.builder().interruptMode(interruptMode)
                        .listener(new EventPrinter(out));
                String description;
                if (useOnline) {
                    EspeakNgTts tts = new EspeakNgTts(EspeakNgConfig.builder().voice(providers.espeakVoice).build(),
                            IoExecutors.shared());
                    tts.checkInstalled();
                    session.stt(new OpenAiTranscriptionClient(
                                    OpenAiTranscriptionClient.configFromEnvironment(System.getenv()), providers.language))
                            .llm(new OpenAiChatClient(online)).tts(tts).instructions(providers.systemPrompt);
                    description = "STT -> LLM (" + online.model() + " at " + online.baseUri() + ") -> espeak-ng "
                            + providers.espeakVoice;
                } else {
                    server = startOfflineServer(answer);
                    // The local server accepts any bearer token; this one is not a secret.
                    session.audioLlm(new AudioModalitiesClient(
                            OpenAiConfig.builder().baseUri(server.baseUri()).apiKey("offline").build()));
                    description = "offline audio-modalities server " + server.baseUri() + " answering " + answer;
                }
                runAgent(session.build(), description, signals);
            } finally {
                if (server != null) {
                    server.close();
                }
                out.println("released");
                out.flush();
                signals.released();
            }
        }
        return 0;
    }

    private AudioModalitiesServer startOfflineServer(Path pcm) throws Exception {
        Path transcript = Files.createTempFile("voice-agent-answer", ".txt");
        transcript.toFile().deleteOnExit();
        Files.writeString(transcript, answerText, StandardCharsets.UTF_8);
        return AudioModalitiesServer.start(AudioModalitiesServerConfig.builder().port(0).pcmFile(pcm)
                .transcriptFile(transcript).build());
    }

    /** Joins, runs the session until a stop is requested or --seconds pass; closing it leaves and releases. */
    private void runAgent(AgentSession session, String description, GracefulStop signals) throws InterruptedException {
        try (AgoraService service = AgoraService.create(conn.serviceConfig());
                AgentSession s = session.start(transport(service))) {
            out.println("voice agent ready on channel " + conn.channel + " as " + userId + ": " + description
                    + ", interrupt " + interruptMode);
            out.flush();
            signals.awaitStop(seconds);
            out.println("stopping");
        }
    }

    private io.voiceagent.core.agent.AgentTransport transport(AgoraService service) {
        AgoraTransport agora = AgoraTransport.join(service, conn.token(), conn.channel, userId);
        if (avatar == null) {
            return agora;
        }
        try {
            return io.voiceagent.core.avatar.AvatarTransport.wrap(agora,
                    io.voiceagent.core.avatar.AvatarAudioOut.connect(avatar, service.audioPacer()));
        } catch (RuntimeException e) {
            agora.close();
            throw e;
        }
    }

    /** One line per event (all on the session's executor). */
    static final class EventPrinter implements AgentSessionListener {
        private final PrintStream out;

        EventPrinter(PrintStream out) {
            this.out = out;
        }

        private void line(String s) {
            out.println(s);
            out.flush();
        }

        @Override
        public void userSpeechStarted(String userId) {
            line("user_speech_started user=" + userId);
        }

        @Override
        public void userSpeechEnded(String userId, long speechMs) {
            line("user_speech_ended user=" + userId + " speech_ms=" + speechMs);
        }

        @Override
        public void userTranscript(String userId, String text) {
            line("user_transcript user=" + userId + " text=" + quote(text));
        }

        @Override
        public void turnFailed(String userId, Throwable error) {
            line("turn_failed user=" + userId + " error=" + quote(String.valueOf(error)));
        }

        @Override
        public void roundStarted(long roundId) {
            line("round_started id=" + roundId);
        }

        @Override
        public void interrupted(long roundId, InterruptTrigger trigger) {
            line("interrupted id=" + roundId + " trigger=" + trigger);
        }

        @Override
        public void agentAnswer(long roundId, String text) {
            line("agent_answer id=" + roundId + " text=" + quote(text));
        }

        @Override
        public void roundEnded(RoundResult r) {
            RoundLatency l = r.latency();
            line("round_ended id=" + r.roundId() + " reason=" + r.reason()
                    + (r.trigger() == null ? "" : " trigger=" + r.trigger())
                    + " first_token_ms=" + ms(l.toFirstLlmToken()) + " first_audio_ms=" + ms(l.toFirstAudio())
                    + " first_frame_sent_ms=" + ms(l.toFirstFrameSent())
                    + (r.failure() == null ? "" : " error=" + quote(String.valueOf(r.failure()))));
        }

        @Override
        public void agentPlaybackEnded(long roundId, Duration played, boolean interrupted) {
            line("playback_ended id=" + roundId + " played_ms=" + played.toMillis() + " interrupted=" + interrupted);
        }

        private static String ms(Duration d) {
            return d == null ? "-" : Long.toString(d.toMillis());
        }

        static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
        }
    }
}
