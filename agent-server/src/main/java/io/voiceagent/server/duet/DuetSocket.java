package io.voiceagent.server.duet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.duet.Duet;
import io.voiceagent.core.duet.DuetAgent;
import io.voiceagent.core.duet.DuetRole;
import io.voiceagent.server.web.WebSocketSender;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection at {@code /ws/{session_id}} of a {@link DuetServer}, and the protocol of
 * seed 003. The session id (1..64 of {@code A-Z a-z 0-9 _ -}) names the duet: a client reconnecting
 * with the same id gets the same duet back (within the server's reconnect window), with its agents and
 * histories; a second connection with an id in use replaces the first (closed with 4000).
 *
 * <p><b>On connect</b> the server sends {@code session_state}: {@code session_id}, {@code state}
 * ({@code idle}, {@code running}, {@code held}), {@code agents: {A: {name, lang, voice, instructions},
 * B: {...}}}, and {@code languages: {code: {name, voices: [...]}}}.
 *
 * <p><b>Client to server</b>, JSON named by {@code type}: {@code start_duet} (the agents alternate; a
 * held duet resumes), {@code stop}, {@code interrupt} (cut the speaker off and wait for the user),
 * {@code user_text} ({@code text}), {@code user_audio} ({@code pcm16_b64}: 16 kHz PCM16 mono, a whole
 * utterance or a stream of chunks through the listening agent's VAD and STT; {@code "final": true}
 * closes the utterance with 1 s of silence), {@code set_agent} ({@code agent}: {@code A} or {@code B},
 * and any of {@code instructions}, {@code voice}, {@code lang}, {@code name}; a new {@code lang}
 * without a {@code voice} takes the language's default voice), {@code reset} (stop, and clear both
 * histories; the agents stay as set). Unknown fields are
 * ignored.
 *
 * <p><b>Server to client:</b> {@code agent_text} ({@code agent}, {@code name}, {@code text}, {@code ts}
 * in seconds since the epoch), {@code agent_audio} ({@code agent}, {@code name}, {@code wav_b64}: the
 * turn's whole speech as a base64 WAV, 16 kHz mono; the server's playback timeline of the turn starts
 * when it is sent, and the next turn starts when it has played), {@code user_text_ack} ({@code text}),
 * {@code stop_audio} (the speaker was cut off: stop playing its audio now; it precedes anything of the
 * next turn), {@code ok} ({@code what}: {@code duet_started}, {@code stopped}, {@code agent_updated},
 * {@code reset}; after the events the command caused), {@code error} ({@code message}). Extensions for
 * the page: {@code turn} (whose turn it is: {@code agent}, {@code name}, {@code turn}, {@code lang},
 * {@code voice}), {@code turn_end} ({@code heard}, {@code interrupted}), {@code user_speech_started},
 * {@code user_transcript} ({@code text}), {@code duet_ended} ({@code reason}: {@code turn_limit},
 * {@code stop_phrase}, {@code stopped}, {@code failed}), and {@code session_state} again after a
 * {@code set_agent}. Turn messages also carry {@code turn}, the turn's number.
 *
 * <p><b>Bad input</b> gets an {@code error} naming what was wrong, and the session goes on: invalid
 * JSON, a missing or unknown {@code type}, an unknown {@code agent}, a missing or non-text field, bad
 * base64 or an odd PCM length, audio over the limit, a language with no voice or a voice the language
 * does not have, a binary message. An invalid session id, or a server at its session limit, gets an
 * {@code error} and a close (1008, 1013).
 *
 * <p>Anyone who knows a session id can attach to it: ids are the client's to make unguessable (the
 * page makes a random one). {@code user_audio} is bounded per message ({@code maxUserAudio}), not
 * rate-limited.
 *
 * <p>Threads: Jetty calls this endpoint one message at a time; replies are queued on the socket's
 * ordered {@link WebSocketSender} from the duet's executor (events, command results) or Jetty's thread
 * (parse errors). Public only because Jetty calls it reflectively.
 */
public final class DuetSocket implements Session.Listener.AutoDemanding {
    private static final Logger log = LoggerFactory.getLogger(DuetSocket.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String TYPES = "start_duet, stop, interrupt, user_text, user_audio, set_agent or reset";

    private final DuetServer server;
    private final String path;
    private volatile WebSocketSender sender;
    private volatile Session socket;
    private volatile DuetRoom room;

    DuetSocket(DuetServer server, String path) {
        this.server = server;
        this.path = path;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        socket = s;
        sender = new WebSocketSender(s, 1 << 20);
        String id = path.startsWith("/ws/") ? path.substring(4) : "";
        if (!ID.matcher(id).matches()) {
            refuse(StatusCode.POLICY_VIOLATION, "the path must be /ws/{session_id} with a session id of 1..64 letters, "
                    + "digits, _ or -; got '" + abbreviate(path) + "'");
            return;
        }
        DuetRoom r = server.room(id);
        if (r == null) {
            refuse(StatusCode.TRY_AGAIN_LATER, "this server keeps its maximum of " + server.config().maxSessions()
                    + " duet sessions (maxSessions) or is stopping; try again later");
            return;
        }
        try {
            if (!r.attach(this)) {
                refuse(StatusCode.TRY_AGAIN_LATER, "session " + id + " just expired; connect again");
                return;
            }
        } catch (RuntimeException e) {
            log.warn("duet session {}: cannot open", id, e);
            server.forget(r);
            refuse(StatusCode.SERVER_ERROR, "cannot open the duet: " + e.getMessage());
            return;
        }
        room = r;
        send(r.sessionState());
    }

    private void refuse(int code, String message) {
        send(DuetRoom.JSON.createObjectNode().put("type", "error").put("message", message));
        socket.close(code, "refused", Callback.NOOP);
    }

    @Override
    public void onWebSocketText(String text) {
        DuetRoom r = room;
        if (r == null) {
            return;
        }
        JsonNode m;
        try {
            m = DuetRoom.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            error("invalid JSON: " + e.getOriginalMessage());
            return;
        }
        if (m == null || !m.isObject()) {
            error("a message must be a JSON object with a type; got " + abbreviate(text));
            return;
        }
        JsonNode type = m.get("type");
        if (type == null || !type.isTextual()) {
            error("a message needs a string field type (" + TYPES + "); got " + abbreviate(text));
            return;
        }
        Duet d = r.duet();
        switch (type.asText()) {
            case "start_duet" -> reply(d, d.start(), started -> {
                if (started) {
                    ok("duet_started");
                } else {
                    error("the duet is already running");
                }
            });
            case "stop" -> reply(d, d.stop(), cut -> ok("stopped"));
            case "interrupt" -> reply(d, d.interrupt(), cut -> {
                if (!cut) {
                    send(r.message("stop_audio")); // nobody was speaking: the client stops anyway
                }
            });
            case "reset" -> reply(d, d.reset(), x -> ok("reset"));
            case "user_text" -> {
                String t = text(m, "text", true);
                if (t != null) {
                    reply(d, d.userText(t), turn -> { }); // user_text_ack comes with the event
                }
            }
            case "user_audio" -> userAudio(r, m);
            case "set_agent" -> setAgent(d, m);
            default -> error("unknown type '" + abbreviate(type.asText()) + "'; expected " + TYPES);
        }
    }

    private void userAudio(DuetRoom r, JsonNode m) {
        String b64 = text(m, "pcm16_b64", true);
        if (b64 == null) {
            return;
        }
        byte[] pcm;
        try {
            pcm = Base64.getDecoder().decode(b64.strip());
        } catch (IllegalArgumentException e) {
            error("user_audio: pcm16_b64 is not valid base64: " + e.getMessage());
            return;
        }
        if (pcm.length % 2 != 0) {
            error("user_audio: pcm16_b64 holds " + pcm.length + " bytes; PCM16 needs an even number");
            return;
        }
        long max = server.config().format().bytesFor(server.config().maxUserAudio().toMillis());
        if (pcm.length > max) {
            error("user_audio: " + server.config().format().durationMillis(pcm.length) + " ms of audio is over the limit of "
                    + server.config().maxUserAudio().toMillis() + " ms per message (maxUserAudio); send chunks");
            return;
        }
        JsonNode end = m.get("final");
        if (end != null && !end.isBoolean()) {
            error("user_audio: final must be true or false; got " + end);
            return;
        }
        r.userAudio(pcm, end != null && end.asBoolean());
    }

    private void setAgent(Duet d, JsonNode m) {
        String agent = text(m, "agent", true);
        if (agent == null) {
            return;
        }
        DuetRole role;
        try {
            role = DuetRole.parse(agent);
        } catch (IllegalArgumentException e) {
            error("set_agent: unknown agent '" + abbreviate(agent) + "': agent must be A or B");
            return;
        }
        String[] fields = {"instructions", "voice", "lang", "name"};
        String[] values = new String[fields.length];
        boolean any = false;
        for (int i = 0; i < fields.length; i++) {
            if (m.has(fields[i])) {
                values[i] = text(m, fields[i], !fields[i].equals("instructions"));
                if (values[i] == null) {
                    return;
                }
                any = true;
            }
        }
        if (!any) {
            error("set_agent needs at least one of instructions, voice, lang, name");
            return;
        }
        String instructions = values[0];
        String voice = values[1];
        String lang = values[2];
        String name = values[3];
        UnaryOperator<DuetAgent> change = a -> {
            DuetAgent x = a;
            if (lang != null) {
                x = x.withLanguage(lang);
            }
            if (voice != null) {
                x = x.withVoice(voice);
            }
            if (name != null) {
                x = x.withName(name);
            }
            if (instructions != null) {
                x = x.withInstructions(instructions);
            }
            return x;
        };
        reply(d, d.setAgent(role, change), a -> ok("agent_updated"));
    }

    /** Field {@code name} as text; null (after an error) if it is missing, not text, or blank when {@code required}. */
    private String text(JsonNode m, String name, boolean nonBlank) {
        JsonNode v = m.get(name);
        String type = m.path("type").asText();
        if (v == null || !v.isTextual()) {
            error(type + " needs a string field " + name + "; got " + (v == null ? "none" : abbreviate(v.toString())));
            return null;
        }
        if (nonBlank && v.asText().isBlank()) {
            error(type + ": " + name + " must not be blank");
            return null;
        }
        return v.asText();
    }

    /** Runs {@code then} on the duet's executor when {@code f} succeeds; an {@code error} when it fails. */
    private <T> void reply(Duet d, CompletableFuture<T> f, Consumer<T> then) {
        f.whenCompleteAsync((v, e) -> {
            if (e == null) {
                then.accept(v);
                return;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            error(cause.getMessage());
        }, d.executor());
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        error("binary messages are not part of the duet protocol; send user_audio with pcm16_b64");
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        end();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("duet socket {}: error", path, cause);
        end();
    }

    private void end() {
        WebSocketSender out = sender;
        if (out != null) {
            out.close();
        }
        DuetRoom r = room;
        if (r != null) {
            r.detach(this);
        }
    }

    /** A newer connection took the session over. */
    void replaced() {
        room = null;
        Session s = socket;
        if (s != null) {
            s.close(4000, "replaced by a newer connection with the same session id", Callback.NOOP);
        }
    }

    void closeForShutdown() {
        Session s = socket;
        if (s != null) {
            s.close(StatusCode.SHUTDOWN, "server stopping", Callback.NOOP);
        }
    }

    void send(ObjectNode m) {
        WebSocketSender out = sender;
        if (out != null) {
            out.sendText(m.toString());
        }
    }

    private void ok(String what) {
        send(DuetRoom.JSON.createObjectNode().put("type", "ok").put("what", what));
    }

    private void error(String message) {
        send(DuetRoom.JSON.createObjectNode().put("type", "error").put("message", message));
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    @Override
    public String toString() {
        return "DuetSocket[" + path + "]";
    }
}
