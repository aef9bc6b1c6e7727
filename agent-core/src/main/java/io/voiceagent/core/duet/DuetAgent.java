package io.voiceagent.core.duet;

import java.util.Objects;

/**
 * Who one agent of a {@link Duet} is: its name, its instructions (personality), the language it
 * speaks and the voice it speaks with. Immutable; the {@code with...} methods return changed copies
 * ({@link Duet#setAgent} applies one to a running duet). Whether the voice exists for the language is
 * checked against the duet's {@link VoiceCatalog}, not here.
 *
 * @param name how the other agent and the user address it; 1..64 characters, not blank
 * @param instructions its personality and task, the head of its system prompt; may be empty, at
 *     most 4000 characters
 * @param language a language code of the catalog, such as {@code en}, {@code es}, {@code fr}
 * @param voice a voice of that language in the catalog, such as {@code en-us}; null for the
 *     language's default voice
 */
public record DuetAgent(String name, String instructions, String language, String voice) {
    /** The longest name accepted. */
    public static final int MAX_NAME_CHARS = 64;
    /** The longest instructions accepted. */
    public static final int MAX_INSTRUCTIONS_CHARS = 4000;

    public DuetAgent {
        if (name == null || name.isBlank() || name.strip().length() > MAX_NAME_CHARS) {
            throw new IllegalArgumentException("name must be 1.." + MAX_NAME_CHARS + " characters, not blank; got "
                    + (name == null ? "null" : "'" + abbreviate(name) + "'"));
        }
        name = name.strip();
        instructions = instructions == null ? "" : instructions.strip();
        if (instructions.length() > MAX_INSTRUCTIONS_CHARS) {
            throw new IllegalArgumentException("instructions must be at most " + MAX_INSTRUCTIONS_CHARS
                    + " characters; got " + instructions.length());
        }
        if (language == null || !language.matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
            throw new IllegalArgumentException("language must be a language code like en or es; got "
                    + (language == null ? "null" : "'" + abbreviate(language) + "'"));
        }
        language = language.toLowerCase(java.util.Locale.ROOT);
        if (voice != null && (voice.isBlank() || voice.length() > 64)) {
            throw new IllegalArgumentException("voice must be null (the language's default) or a voice name; got '"
                    + abbreviate(voice) + "'");
        }
        voice = voice == null ? null : voice.strip();
    }

    /** An agent speaking {@code language} with its default voice. */
    public static DuetAgent of(String name, String instructions, String language) {
        return new DuetAgent(name, instructions, language, null);
    }

    public DuetAgent withName(String newName) {
        return new DuetAgent(newName, instructions, language, voice);
    }

    public DuetAgent withInstructions(String newInstructions) {
        return new DuetAgent(name, newInstructions, language, voice);
    }

    /** The same agent in {@code newLanguage}; the voice falls back to that language's default. */
    public DuetAgent withLanguage(String newLanguage) {
        return new DuetAgent(name, instructions, newLanguage, null);
    }

    public DuetAgent withVoice(String newVoice) {
        return new DuetAgent(name, instructions, language, newVoice);
    }

    private static String abbreviate(String s) {
        Objects.requireNonNull(s);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
