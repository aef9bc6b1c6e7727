package io.voiceagent.examples;

import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.llm.AudioModalitiesClient;
import io.voiceagent.core.llm.EchoChatClient;
import io.voiceagent.core.llm.OpenAiChatClient;
import io.voiceagent.core.stt.OpenAiTranscriptionClient;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.stt.deepgram.DeepgramConfig;
import io.voiceagent.core.stt.deepgram.DeepgramStt;
import io.voiceagent.core.stt.pocketsphinx.PocketSphinxConfig;
import io.voiceagent.core.stt.pocketsphinx.PocketSphinxStt;
import io.voiceagent.core.tts.EspeakNgConfig;
import io.voiceagent.core.tts.EspeakNgTts;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The speech providers of the agent samples, chosen on the command line: offline by default
 * (PocketSphinx -> the echo responder -> espeak-ng), real when configured ({@code OPENAI_API_KEY} /
 * {@code OPENAI_BASE_URL} make the LLM an OpenAI-compatible endpoint, a local Ollama included;
 * {@code --stt deepgram} with {@code DEEPGRAM_API_KEY}; {@code --llm-url} an external
 * audio-modalities LLM). Keys are read from the environment and never printed.
 */
final class ProviderOptions {

    /** Speech-to-text engines. */
    enum Stt { pocketsphinx, openai, deepgram }

    /** Text LLMs. {@code auto}: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else echo. */
    enum Llm { auto, echo, openai }

    @Option(names = "--stt", description = "speech-to-text: pocketsphinx (offline, streaming), openai (whole utterance, "
            + "OPENAI_API_KEY / OPENAI_STT_MODEL) or deepgram (streaming, DEEPGRAM_API_KEY)")
    Stt stt;

    @Option(names = "--llm", description = "auto (openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else echo), echo "
            + "(answers with what it understood) or openai (any OpenAI-compatible endpoint)")
    Llm llm;

    @Option(names = "--llm-url", description = "an external audio-modalities LLM (base URL of POST /audio/chat/completions,"
            + " e.g. http://127.0.0.1:8080/v1): it answers with audio, replacing --llm and the TTS")
    URI llmUrl;

    @Option(names = "--system-prompt", defaultValue = "You are a helpful voice assistant. Answer in one or two short sentences.",
            description = "system prompt of the LLM")
    String systemPrompt;

    @Option(names = "--language", description = "speech-to-text language hint, e.g. en (openai and deepgram)")
    String language;

    @Option(names = "--espeak-voice", defaultValue = "en-us", description = "espeak-ng voice of the TTS (default: ${DEFAULT-VALUE})")
    String espeakVoice;

    /** What was chosen: applies itself to a session builder; owns what it started. */
    static final class Providers implements AutoCloseable {
        final String description;
        final Consumer<AgentSession.Builder> apply;
        final boolean hasStt;
        private final List<AutoCloseable> owned;

        Providers(String description, Consumer<AgentSession.Builder> apply, boolean hasStt, List<AutoCloseable> owned) {
            this.description = description;
            this.apply = apply;
            this.hasStt = hasStt;
            this.owned = owned;
        }

        @Override
        public void close() {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception e) {
                    // Best effort at exit.
                }
            }
        }
    }

    /** Whether any provider option was given (voice-agent keeps its own defaults otherwise). */
    boolean anyChosen() {
        return stt != null || llm != null || llmUrl != null;
    }

    /**
     * Builds the providers.
     *
     * @param defaultStt when {@code --stt} is not given (null: no STT unless an LLM needs one)
     * @throws BadInputException naming the option when a choice cannot work (a missing key, a missing package)
     * @throws java.io.IOException if espeak-ng is not installed
     */
    Providers open(Map<String, String> env, Stt defaultStt) throws java.io.IOException {
        List<AutoCloseable> owned = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        SpeechToText recognizer = null;
        Stt sttChoice = stt != null ? stt : defaultStt;
        if (llmUrl == null && sttChoice == null) {
            sttChoice = Stt.pocketsphinx; // a text LLM needs the user's words
        }
        if (sttChoice != null) {
            recognizer = openStt(sttChoice, language, env, owned);
            parts.add("STT " + sttChoice);
        }
        SpeechToText sttFinal = recognizer;
        if (llmUrl != null) {
            if (!"http".equals(llmUrl.getScheme()) && !"https".equals(llmUrl.getScheme())) {
                throw new BadInputException("--llm-url", llmUrl, "must be an http:// or https:// base URL");
            }
            String key = env.getOrDefault(OpenAiConfig.ENV_API_KEY, "");
            AudioModalitiesClient audio = new AudioModalitiesClient(OpenAiConfig.builder().baseUri(llmUrl)
                    .apiKey(key.isBlank() ? "none" : key).build());
            parts.add("audio-modalities LLM " + llmUrl);
            return new Providers(String.join(" -> ", parts), b -> {
                if (sttFinal != null) {
                    b.stt(sttFinal);
                }
                b.audioLlm(audio).instructions(systemPrompt);
            }, sttFinal != null, owned);
        }
        OpenAiConfig openAi = OpenAiConfig.builder().fromEnvironment(env).build();
        boolean configured = env.containsKey(OpenAiConfig.ENV_API_KEY) || env.containsKey(OpenAiConfig.ENV_BASE_URL);
        Llm llmChoice = llm == null || llm == Llm.auto ? (configured ? Llm.openai : Llm.echo) : llm;
        io.voiceagent.core.llm.ChatClient chat = llmChoice == Llm.openai ? new OpenAiChatClient(openAi)
                : new EchoChatClient();
        parts.add(llmChoice == Llm.openai ? "LLM " + openAi.model() + " at " + openAi.baseUri() : "echo responder");
        EspeakNgTts tts = new EspeakNgTts(EspeakNgConfig.builder().voice(espeakVoice).build(), IoExecutors.shared());
        tts.checkInstalled();
        parts.add("espeak-ng " + espeakVoice);
        return new Providers(String.join(" -> ", parts), b -> b.stt(sttFinal).llm(chat).tts(tts)
                .instructions(systemPrompt), true, owned);
    }

    /**
     * Opens speech recognition {@code choice} ({@code language} a hint for openai and deepgram); what
     * must be closed at exit goes to {@code owned}.
     *
     * @throws BadInputException naming --stt when the choice cannot work here
     */
    static SpeechToText openStt(Stt choice, String language, Map<String, String> env, List<AutoCloseable> owned) {
        switch (choice) {
            case pocketsphinx -> {
                if (!PocketSphinxStt.isAvailable()) {
                    throw new BadInputException("--stt", choice, PocketSphinxStt.unavailableReason());
                }
                PocketSphinxStt ps;
                try {
                    ps = PocketSphinxStt.create(PocketSphinxConfig.defaults());
                } catch (IllegalStateException e) {
                    throw new BadInputException("--stt", choice, e.getMessage());
                }
                owned.add(ps);
                return ps;
            }
            case openai -> {
                if (!env.containsKey(OpenAiConfig.ENV_API_KEY) && !env.containsKey(OpenAiConfig.ENV_BASE_URL)) {
                    throw new BadInputException("--stt", choice, "needs OPENAI_API_KEY (or OPENAI_BASE_URL of a server with "
                            + "/audio/transcriptions)");
                }
                return new OpenAiTranscriptionClient(OpenAiTranscriptionClient.configFromEnvironment(env), language);
            }
            case deepgram -> {
                if (env.getOrDefault(DeepgramConfig.ENV_API_KEY, "").isBlank()) {
                    throw new BadInputException("--stt", choice, "needs DEEPGRAM_API_KEY");
                }
                return new DeepgramStt(DeepgramConfig.fromEnvironment(env, language));
            }
            default -> throw new AssertionError(choice);
        }
    }
}
