package io.voiceagent.server.duet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voiceagent.core.agent.InMemoryTransport;
import io.voiceagent.core.agent.SessionExecutor;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.audio.WavFile;
import io.voiceagent.core.duet.Duet;
import io.voiceagent.core.duet.DuetAgent;
import io.voiceagent.core.duet.DuetEndReason;
import io.voiceagent.core.duet.DuetListener;
import io.voiceagent.core.duet.DuetRole;
import io.voiceagent.core.duet.DuetTurn;
import io.voiceagent.core.duet.VoiceCatalog;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One duet session of a {@link DuetServer}, kept under its id across reconnects: the {@link Duet}, the
 * socket attached now (at most one; a new connection with the same id replaces the old one), and the
 * user's audio on its way into the listening agent's transport. Turns the duet's events into the
 * protocol's messages for whichever socket is attached; while none is, they are dropped (the duet
 * goes on; a reconnecting client gets {@code session_state} and the next events).
 *
 * <p>Threads: duet events arrive on the duet's executor, commands on Jetty's threads. The attached
 * socket is a volatile reference; the user-audio carry is guarded by this object.
 */
final class DuetRoom implements DuetListener {
    private static final Logger log = LoggerFactory.getLogger(DuetRoom.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /** The user id of the duet client's voice in the listening agent's session. */
    static final String USER_ID = "duet-user";

    private final DuetServer server;
    private final String id;
    private final PcmFormat format;
    private volatile DuetSocket socket;
    private volatile Duet duet;
    private volatile InMemoryTransport ear;
    private boolean detached; // guarded by this
    private long detachSeq; // guarded by this: which detach an expiry timer belongs to
    private boolean closed; // guarded by this
    private final byte[] carry; // guarded by this: a partial 10 ms frame of the user's audio
    private int carried; // guarded by this

    DuetRoom(DuetServer server, String id) {
        this.server = server;
        this.id = id;
        this.format = server.config().format();
        this.carry = new byte[format.bytesPerFrame()];
    }

    String id() {
        return id;
    }

    Duet duet() {
        return duet;
    }

    /**
     * Attaches {@code s} (opening the duet on the first connection); a socket attached before is
     * closed with 4000 "replaced". Returns false if the room is closed (expired meanwhile).
     *
     * @throws RuntimeException if the duet cannot open (its providers fail)
     */
    boolean attach(DuetSocket s) {
        DuetSocket previous;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (duet == null) {
                open();
            }
            previous = socket;
            socket = s;
            detached = false;
        }
        if (previous != null && previous != s) {
            previous.replaced();
        }
        return true;
    }

    private void open() {
        Duet.Builder b = server.newDuet(id).listener(this);
        SessionExecutor duetExecutor = SessionExecutor.onPool("duet-" + id, server.pool());
        b.executor(duetExecutor).transports(role -> {
            InMemoryTransport t = InMemoryTransport.create(SessionExecutor.onPool("duet-" + id + "-" + role, server.pool()),
                    server.pacer(), format, AudioConsumerConfig.defaults(), (data, off, len, f) -> { }, () -> { });
            if (role == DuetRole.A) {
                ear = t;
            }
            return t;
        }).listeningAgent(DuetRole.A);
        try {
            duet = b.open();
        } catch (RuntimeException e) {
            duetExecutor.close();
            throw e;
        }
    }

    /** {@code s} closed: if it is still the attached one, the room waits for a reconnect. */
    void detach(DuetSocket s) {
        long seq;
        synchronized (this) {
            if (socket != s) {
                return;
            }
            socket = null;
            detached = true;
            carried = 0;
            seq = ++detachSeq;
        }
        server.scheduleExpiry(this, seq);
    }

    /**
     * Whether the room has stayed detached since detach number {@code seq} (then it is closed by the
     * caller); false if a client reconnected meanwhile, even if it left again later.
     */
    synchronized boolean expireIfDetached(long seq) {
        if (detached && socket == null && !closed && seq == detachSeq) {
            closed = true;
            return true;
        }
        return false;
    }

    void closeSocket() {
        DuetSocket s = socket;
        if (s != null) {
            s.closeForShutdown();
        }
    }

    /** Closes the duet (its sessions and transports). Idempotent. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        Duet d = duet;
        if (d != null) {
            d.close();
            d.executor().close();
        }
    }

    /**
     * The user's PCM16 (any whole number of samples) into the listening agent's VAD, in 10 ms frames
     * (a partial frame waits for the next message); with {@code end}, 1 s of silence closes the
     * utterance.
     */
    synchronized void userAudio(byte[] pcm, boolean end) {
        InMemoryTransport t = ear;
        if (t == null) {
            return;
        }
        byte[] all = pcm;
        if (carried > 0) {
            all = new byte[carried + pcm.length];
            System.arraycopy(carry, 0, all, 0, carried);
            System.arraycopy(pcm, 0, all, carried, pcm.length);
        }
        int fb = format.bytesPerFrame();
        int whole = all.length - all.length % fb;
        for (int off = 0; off < whole; off += fb) {
            byte[] frame = new byte[fb];
            System.arraycopy(all, off, frame, 0, fb);
            t.deliver(USER_ID, new AudioFrame(format, frame, 0));
        }
        carried = all.length - whole;
        System.arraycopy(all, whole, carry, 0, carried);
        if (end) {
            carried = 0;
            t.deliver(USER_ID, new byte[(int) format.bytesFor(1000)], format);
        }
    }

    // =====================================================================================
    // Messages (duet executor for events; any thread for replies)
    // =====================================================================================

    ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    /** Sends to the attached socket, if any. */
    void send(ObjectNode m) {
        DuetSocket s = socket;
        if (s != null) {
            s.send(m);
        }
    }

    /** {@code session_state}: the id, the duet's state, both agents and the languages with their voices. */
    ObjectNode sessionState() {
        ObjectNode m = message("session_state").put("session_id", id);
        Duet d = duet;
        m.put("state", d.state().name().toLowerCase(Locale.ROOT));
        ObjectNode agents = m.putObject("agents");
        for (Map.Entry<DuetRole, DuetAgent> e : d.agents().entrySet()) {
            DuetAgent a = e.getValue();
            agents.putObject(e.getKey().name()).put("name", a.name()).put("lang", a.language()).put("voice", a.voice())
                    .put("instructions", a.instructions());
        }
        ObjectNode languages = m.putObject("languages");
        VoiceCatalog v = d.voices();
        for (String code : v.languageCodes()) {
            VoiceCatalog.Language l = v.language(code);
            ObjectNode o = languages.putObject(code).put("name", l.displayName());
            l.voices().forEach(o.putArray("voices")::add);
        }
        return m;
    }

    private ObjectNode turn(String type, DuetTurn t) {
        return message(type).put("agent", t.role().name()).put("name", t.name()).put("turn", t.index());
    }

    @Override
    public void turnStarted(DuetTurn t) {
        send(turn("turn", t).put("lang", t.language()).put("voice", t.voice()));
    }

    @Override
    public void agentSpoke(DuetTurn t, String text, byte[] pcm, PcmFormat f) {
        send(turn("agent_text", t).put("text", text).put("ts", System.currentTimeMillis() / 1000.0));
        send(turn("agent_audio", t).put("wav_b64", Base64.getEncoder().encodeToString(WavFile.encode(pcm, f)))
                .put("duration_ms", f.durationMillis(pcm.length)));
    }

    @Override
    public void speakerInterrupted(DuetTurn t) {
        send(turn("stop_audio", t));
    }

    @Override
    public void turnEnded(DuetTurn t, String heard, boolean interrupted) {
        send(turn("turn_end", t).put("heard", heard).put("interrupted", interrupted));
    }

    @Override
    public void duetEnded(DuetEndReason reason) {
        send(message("duet_ended").put("reason", reason.name().toLowerCase(Locale.ROOT)));
    }

    @Override
    public void userSpeechStarted() {
        send(message("user_speech_started"));
    }

    @Override
    public void userText(String text, boolean spoken) {
        send(spoken ? message("user_transcript").put("text", text) : message("user_text_ack").put("text", text));
    }

    @Override
    public void userSpeechFailed(Throwable error) {
        send(message("error").put("message", "speech recognition failed: " + error.getMessage()));
    }

    @Override
    public void turnFailed(DuetTurn t, Throwable error) {
        log.warn("duet {}: turn {} of {} failed", id, t.index(), t.role(), error);
        send(message("error").put("message", "agent " + t.role() + "'s turn " + t.index() + " failed: "
                + error.getMessage()));
    }

    @Override
    public void agentUpdated(DuetRole role, DuetAgent agent) {
        send(sessionState());
    }

    @Override
    public String toString() {
        return "DuetRoom[" + id + (socket == null ? ", detached" : "") + "]";
    }
}
