package io.voiceagent.examples;

import io.voiceagent.core.duet.ScriptedDuetResponder;
import io.voiceagent.core.duet.VoiceCatalog;
import io.voiceagent.core.http.OpenAiConfig;
import io.voiceagent.core.llm.ChatClient;
import io.voiceagent.core.llm.OpenAiChatClient;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.tts.EspeakNgTts;
import io.voiceagent.core.tts.OpenAiSpeechTts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The providers of the duet samples: offline by default (each agent follows the scripted responder,
 * espeak-ng speaks English, Spanish and French, PocketSphinx hears the user), real when configured:
 * {@code OPENAI_API_KEY} / {@code OPENAI_BASE_URL} make the LLM any OpenAI-compatible chat endpoint
 * (Fireworks' Llama 3.1 405B in the seed), {@code --tts openai} the voices an OpenAI-compatible
 * {@code /audio/speech} endpoint ({@code OPENAI_TTS_BASE_URL}, {@code OPENAI_TTS_API_KEY},
 * {@code OPENAI_TTS_MODEL}; Kokoro-82M on DeepInfra gets Kokoro's voices per language). Keys are read
 * from the environment and never printed.
 */
final class DuetOptions {

    /** The agents' LLM. {@code auto}: openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else scripted. */
    enum Llm { auto, scripted, openai }

    /** The agents' voices. */
    enum Tts { espeak, openai }

    static final String ENV_TTS_BASE_URL = "OPENAI_TTS_BASE_URL";
    static final String ENV_TTS_API_KEY = "OPENAI_TTS_API_KEY";
    static final String ENV_TTS_MODEL = "OPENAI_TTS_MODEL";

    @Option(names = "--llm", description = "auto (openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else scripted), "
            + "scripted (offline small talk per language) or openai (any OpenAI-compatible chat endpoint)")
    Llm llm;

    @Option(names = "--tts", defaultValue = "espeak", description = "espeak (offline: en, es, fr) or openai (an "
            + "OpenAI-compatible /audio/speech endpoint: OPENAI_TTS_BASE_URL, OPENAI_TTS_API_KEY, OPENAI_TTS_MODEL)")
    Tts tts;

    @Option(names = "--stt", defaultValue = "pocketsphinx", description = "speech-to-text of the user's voice: "
            + "pocketsphinx (offline), openai or deepgram (default: ${DEFAULT-VALUE})")
    ProviderOptions.Stt stt;

    /** What was chosen; owns what it started. */
    record Providers(String description, ChatClient llm, VoiceCatalog voices, SpeechToText stt,
            List<AutoCloseable> owned) implements AutoCloseable {
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

    /**
     * Builds the providers.
     *
     * @throws BadInputException naming the option when a choice cannot work (a missing key, a missing package)
     * @throws java.io.IOException if espeak-ng is not installed
     */
    Providers open(Map<String, String> env) throws java.io.IOException {
        List<AutoCloseable> owned = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        SpeechToText recognizer = ProviderOptions.openStt(stt, null, env, owned);
        parts.add("STT " + stt);
        boolean configured = env.containsKey(OpenAiConfig.ENV_API_KEY) || env.containsKey(OpenAiConfig.ENV_BASE_URL);
        Llm choice = llm == null || llm == Llm.auto ? (configured ? Llm.openai : Llm.scripted) : llm;
        ChatClient chat;
        if (choice == Llm.openai) {
            OpenAiConfig openAi = OpenAiConfig.builder().fromEnvironment(env).build();
            chat = new OpenAiChatClient(openAi);
            parts.add("LLM " + openAi.model() + " at " + openAi.baseUri());
        } else {
            chat = ScriptedDuetResponder.create(Duration.ofMillis(20));
            parts.add("scripted responder");
        }
        VoiceCatalog voices;
        if (tts == Tts.openai) {
            voices = openAiVoices(env);
            parts.add("voices " + voices);
        } else {
            new EspeakNgTts().checkInstalled();
            voices = VoiceCatalog.espeakNg();
            parts.add("espeak-ng voices");
        }
        return new Providers(String.join(" -> ", parts), chat, voices, recognizer, owned);
    }

    /** The voices of an OpenAI-compatible speech endpoint: Kokoro's per language, or OpenAI's multilingual ones. */
    static VoiceCatalog openAiVoices(Map<String, String> env) {
        String base = env.getOrDefault(ENV_TTS_BASE_URL, env.getOrDefault(OpenAiConfig.ENV_BASE_URL,
                OpenAiConfig.DEFAULT_BASE_URL));
        String key = env.getOrDefault(ENV_TTS_API_KEY, env.getOrDefault(OpenAiConfig.ENV_API_KEY, ""));
        if (key.isBlank()) {
            throw new BadInputException("--tts", Tts.openai, "needs OPENAI_TTS_API_KEY (or OPENAI_API_KEY)");
        }
        String model = env.getOrDefault(ENV_TTS_MODEL, OpenAiSpeechTts.DEFAULT_MODEL);
        OpenAiConfig config = BadInputException.parse("OPENAI_TTS_BASE_URL", base, () -> OpenAiConfig.builder()
                .baseUri(base).apiKey(key).build());
        OpenAiSpeechTts first = new OpenAiSpeechTts(config, model, "alloy", 24000);
        VoiceCatalog.Builder b = VoiceCatalog.builder().engine(first::withVoice);
        if (model.toLowerCase(java.util.Locale.ROOT).contains("kokoro")) {
            b.description(model).language("en", "English", "af_bella", "am_adam", "bf_emma")
                    .language("es", "Spanish", "ef_dora", "em_alex")
                    .language("fr", "French", "ff_siwis");
        } else {
            b.description(model).language("en", "English", "alloy", "nova", "echo")
                    .language("es", "Spanish", "nova", "alloy", "echo")
                    .language("fr", "French", "shimmer", "alloy", "echo");
        }
        return b.build();
    }
}
