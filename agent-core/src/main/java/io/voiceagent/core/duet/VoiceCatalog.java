package io.voiceagent.core.duet;

import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.tts.EspeakNgConfig;
import io.voiceagent.core.tts.EspeakNgTts;
import io.voiceagent.core.tts.TextToSpeech;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The languages a {@link Duet}'s agents may speak, the voices of each (the first one is the
 * language's default) and the {@link TextToSpeech} of each voice. {@link #espeakNg()} is the offline
 * catalog (English, Spanish, French on {@code espeak-ng}); {@link #builder()} makes one for any engine,
 * for example the OpenAI-compatible speech client ({@code io.voiceagent.core.tts.OpenAiSpeechTts})
 * with Kokoro's voices.
 *
 * <p>Immutable; the TTS of a voice is made once, on first use, and shared by every duet using the
 * catalog (TTS engines are thread-safe). Thread-safe.
 */
public final class VoiceCatalog {

    /** One language: its code, its name (as the system prompt says it) and its voices, default first. */
    public record Language(String code, String displayName, List<String> voices) {
        public Language {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(displayName, "displayName");
            voices = List.copyOf(voices);
            if (voices.isEmpty()) {
                throw new IllegalArgumentException("language " + code + " needs at least one voice");
            }
        }

        /** The voice used when an agent names none. */
        public String defaultVoice() {
            return voices.get(0);
        }
    }

    private final Map<String, Language> languages;
    private final Function<String, TextToSpeech> engine;
    private final Map<String, TextToSpeech> made = new ConcurrentHashMap<>();
    private final String description;

    private VoiceCatalog(Builder b) {
        this.languages = Map.copyOf(b.languages);
        this.engine = b.engine;
        this.description = b.description;
    }

    /**
     * The offline catalog on {@code espeak-ng} (175 words per minute): {@code en} (en-us, en-gb),
     * {@code es} (es, es-419), {@code fr} (fr-fr, fr-be).
     */
    public static VoiceCatalog espeakNg() {
        return builder().description("espeak-ng")
                .language("en", "English", "en-us", "en-gb")
                .language("es", "Spanish", "es", "es-419")
                .language("fr", "French", "fr-fr", "fr-be")
                .engine(voice -> new EspeakNgTts(EspeakNgConfig.builder().voice(voice).build(), IoExecutors.shared()))
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The language codes, sorted. */
    public List<String> languageCodes() {
        List<String> codes = new ArrayList<>(languages.keySet());
        codes.sort(null);
        return codes;
    }

    /** Whether {@code code} is a language of this catalog. */
    public boolean hasLanguage(String code) {
        return code != null && languages.containsKey(code);
    }

    /**
     * Language {@code code}.
     *
     * @throws IllegalArgumentException naming the code and the languages there are, if it has no voice
     */
    public Language language(String code) {
        Language l = code == null ? null : languages.get(code);
        if (l == null) {
            throw new IllegalArgumentException("language " + (code == null ? "null" : "'" + code + "'")
                    + " has no voice in the " + description + " catalog; languages with voices: "
                    + String.join(", ", languageCodes()));
        }
        return l;
    }

    /**
     * {@code agent} with its voice resolved: the language's default when it names none.
     *
     * @throws IllegalArgumentException if the language has no voice, or the voice is not one of the
     *     language's (naming the voices it has)
     */
    public DuetAgent resolve(DuetAgent agent) {
        Language l = language(agent.language());
        if (agent.voice() == null) {
            return agent.withVoice(l.defaultVoice());
        }
        if (!l.voices().contains(agent.voice())) {
            throw new IllegalArgumentException("voice '" + agent.voice() + "' is not a voice of language '" + l.code()
                    + "'; its voices: " + String.join(", ", l.voices()));
        }
        return agent;
    }

    /** The TTS of {@code voice} (made on first use, then shared). */
    public TextToSpeech tts(String voice) {
        Objects.requireNonNull(voice, "voice");
        return made.computeIfAbsent(voice, engine);
    }

    @Override
    public String toString() {
        return "VoiceCatalog[" + description + ", " + languageCodes() + "]";
    }

    /** Builder of a {@link VoiceCatalog}; not thread-safe. */
    public static final class Builder {
        private final Map<String, Language> languages = new LinkedHashMap<>();
        private Function<String, TextToSpeech> engine;
        private String description = "custom";

        private Builder() {
        }

        /**
         * Adds language {@code code} ({@code en}, {@code es}, ...) called {@code displayName} in the agents'
         * prompts, with {@code voices} (the first is the default).
         */
        public Builder language(String code, String displayName, String... voices) {
            if (code == null || !code.matches("[a-z]{2,3}(-[a-z0-9]{2,8})?")) {
                throw new IllegalArgumentException("code must be a lower-case language code like en; got " + code);
            }
            if (displayName == null || displayName.isBlank()) {
                throw new IllegalArgumentException("displayName of language " + code + " must not be blank");
            }
            for (String v : voices) {
                if (v == null || v.isBlank()) {
                    throw new IllegalArgumentException("voices of language " + code + " must not be blank; got "
                            + List.of(voices));
                }
            }
            languages.put(code, new Language(code, displayName, List.of(voices)));
            return this;
        }

        /** Makes the TTS of a voice name (called once per voice). */
        public Builder engine(Function<String, TextToSpeech> engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** What error messages call the catalog (default {@code custom}). */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        public VoiceCatalog build() {
            if (languages.isEmpty()) {
                throw new IllegalArgumentException("a voice catalog needs at least one language");
            }
            if (engine == null) {
                throw new IllegalArgumentException("engine must be set: it makes the TextToSpeech of each voice");
            }
            return new VoiceCatalog(this);
        }
    }
}
