package io.voiceagent.server.api;

import java.util.Locale;

/**
 * A checked {@code POST .../agents/{id}/speak} body: {@code text} to say now and its {@code priority}
 * ({@code INTERRUPT}, the default: cut off whatever the agent is saying; {@code IGNORE}: say nothing if
 * the agent is answering). Agora's {@code APPEND} is refused: a session speaks one round at a time.
 *
 * @param text what to say, 1..2000 characters
 * @param ignoreIfSpeaking whether the priority is {@code IGNORE}
 */
public record SpeakRequest(String text, boolean ignoreIfSpeaking) {

    /** Parses the body; a 400 names the bad field. */
    public static SpeakRequest parse(String body) {
        JsonFields f = JsonFields.parseBody(body);
        String text = f.requireString("text");
        if (text.length() > 2000) {
            throw ApiException.badRequest("text", "must be at most 2000 characters; got " + text.length());
        }
        String priority = f.string("priority");
        boolean ignore = false;
        if (priority != null) {
            switch (priority.strip().toUpperCase(Locale.ROOT)) {
                case "INTERRUPT" -> ignore = false;
                case "IGNORE" -> ignore = true;
                case "APPEND" -> throw ApiException.badRequest("priority", "APPEND is not supported by this server:"
                        + " use INTERRUPT or IGNORE");
                default -> throw ApiException.badRequest("priority", "must be INTERRUPT or IGNORE; got '" + priority
                        + "'");
            }
        }
        return new SpeakRequest(text.strip(), ignore);
    }
}
