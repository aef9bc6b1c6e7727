package io.voiceagent.core.duet;

import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.llm.ResponderChatClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline LLM of a duet: each agent follows a script of small talk in its language (English,
 * Spanish or French, read from the "language code" the duet's system prompt ends with; English for
 * any other), one line per turn in order, and thanks the user, quoting them, when the last line is the
 * user's. Deterministic: the same history gives the same answer. So a duet runs with no key and no
 * network; {@link #create} streams the answer word by word like a real LLM.
 */
public final class ScriptedDuetResponder {
    private static final Pattern LANGUAGE = Pattern.compile("language code ([a-z]{2,3})");
    private static final Pattern SPEAKER = Pattern.compile("[^:\\n]{1,64}: ");

    /** The script of each language: the opener's lines are the even ones, the answerer's the odd ones. */
    static final Map<String, List<String>> LINES = Map.of(
            "en", List.of(
                    "Hello! I love talking about the stars at night.",
                    "Hi! The stars are lovely. What do you like most about them?",
                    "I think the best part is sharing them with friends.",
                    "Really? Tell me more about that.",
                    "It reminds me of a trip I took to the mountains.",
                    "The mountains must have been cold, but the sky clear.",
                    "It was freezing, and the sky was full of light.",
                    "I would love to see that one day."),
            "es", List.of(
                    "¡Hola! Me encanta hablar de las estrellas por la noche.",
                    "¡Hola! Las estrellas son preciosas. ¿Qué es lo que más te gusta?",
                    "Creo que lo mejor es compartirlas con los amigos.",
                    "¿De verdad? Cuéntame más.",
                    "Me recuerda a un viaje que hice a las montañas.",
                    "Haría frío en las montañas, pero el cielo estaría despejado.",
                    "Hacía mucho frío, y el cielo estaba lleno de luz.",
                    "Me encantaría verlo algún día."),
            "fr", List.of(
                    "Bonjour ! J'adore parler des étoiles la nuit.",
                    "Salut ! Les étoiles sont belles. Qu'est-ce que tu préfères ?",
                    "Je pense que le mieux, c'est de les partager avec des amis.",
                    "Vraiment ? Raconte-moi.",
                    "Cela me rappelle un voyage à la montagne.",
                    "Il devait faire froid, mais le ciel était clair.",
                    "Il faisait très froid, et le ciel était plein de lumière.",
                    "J'aimerais beaucoup voir ça un jour."));

    private static final Map<String, String> THANKS = Map.of(
            "en", "Thanks for joining in! You said: %s",
            "es", "¡Gracias por participar! Dijiste: %s",
            "fr", "Merci de participer ! Tu as dit : %s");

    private ScriptedDuetResponder() {
    }

    /** A chat client answering from the script, one word every {@code wordInterval} (0..1 s). */
    public static ResponderChatClient create(Duration wordInterval) {
        return new ResponderChatClient(wordInterval, ScriptedDuetResponder::answer, "ScriptedDuetResponder");
    }

    /** The scripted answer to {@code messages} (a duet agent's history, its system prompt first). */
    public static String answer(List<ChatMessage> messages) {
        String language = "en";
        int assistant = 0;
        ChatMessage firstTurn = null;
        ChatMessage last = null;
        for (ChatMessage m : messages) {
            switch (m.role()) {
                case "system" -> {
                    Matcher x = LANGUAGE.matcher(m.content());
                    if (x.find() && LINES.containsKey(x.group(1))) {
                        language = x.group(1);
                    }
                }
                case "assistant" -> assistant++;
                default -> {
                    if (firstTurn == null) {
                        firstTurn = m;
                    }
                }
            }
            if (!m.role().equals("system")) {
                last = m;
            }
        }
        // The opener answers the duet's opening request (no speaker label); the answerer a labelled line.
        boolean opener = firstTurn != null && !SPEAKER.matcher(firstTurn.content()).lookingAt();
        String userPrefix = Duet.USER_LABEL + ":";
        if (last != null && last.role().equals("user") && last.content().startsWith(userPrefix)) {
            String said = last.content().substring(userPrefix.length()).strip();
            return String.format(THANKS.get(language), said.replaceAll("[.!?]+$", "")) + ".";
        }
        List<String> lines = LINES.get(language);
        return lines.get((2 * assistant + (opener ? 0 : 1)) % lines.size());
    }
}
