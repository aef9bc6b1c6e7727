package io.voiceagent.core.duet;

import io.voiceagent.core.agent.AgentInput;
import io.voiceagent.core.agent.AgentOutput;
import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.agent.AgentTransport;
import io.voiceagent.core.agent.SessionExecutor;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import java.io.ByteArrayOutputStream;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One agent's transport as the duet sees it: the agent's real transport (an in-memory one, an Agora
 * lease) with two additions. Its output records each turn's speech and text, and reports the whole
 * turn ({@link Sink#turnReady}) when the session ends the round's audio ({@link AgentOutput#endSegment()},
 * called once per round when its last TTS piece is written); with {@code holdTurns} the audio reaches
 * the real output only then, in one piece, so the real output's timeline starts when the turn's WAV
 * is handed out (the WebSocket protocol), otherwise it streams as it is synthesized (RTC). Its input
 * passes on only the remote users {@code hears} accepts (the other agent is never heard; only the
 * listening agent hears the user).
 *
 * <p>Confinement: the session calls the output and the listener half on its executor only, so the
 * turn buffer needs no lock; {@link Sink#turnReady} is called there too and must only post.
 */
final class TurnTap implements AgentTransport, AgentOutput, AgentSessionListener {

    /** Where a finished turn goes (called on the agent session's executor; must only post). */
    interface Sink {
        void turnReady(long roundId, String text, byte[] pcm, PcmFormat format);
    }

    private final AgentTransport transport;
    private final AgentOutput output;
    private final boolean holdTurns;
    private final Predicate<String> hears;
    private final Sink sink;

    // Confined to the session's executor.
    private final ByteArrayOutputStream turnPcm = new ByteArrayOutputStream();
    private final StringBuilder turnText = new StringBuilder();
    private long roundId;
    private long held;

    TurnTap(AgentTransport transport, boolean holdTurns, Predicate<String> hears, Sink sink) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.output = Objects.requireNonNull(transport.output(), "transport.output()");
        this.holdTurns = holdTurns;
        this.hears = Objects.requireNonNull(hears, "hears");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    // ---- AgentTransport ----

    @Override
    public SessionExecutor executor() {
        return transport.executor();
    }

    @Override
    public AgentOutput output() {
        return this;
    }

    @Override
    public void start(AgentInput input) {
        transport.start(new AgentInput() {
            @Override
            public void audioFrame(String userId, AudioFrame frame) {
                if (hears.test(userId)) {
                    input.audioFrame(userId, frame);
                }
            }

            @Override
            public void userJoined(String userId) {
                if (hears.test(userId)) {
                    input.userJoined(userId);
                }
            }

            @Override
            public void userLeft(String userId) {
                if (hears.test(userId)) {
                    input.userLeft(userId);
                }
            }
        });
    }

    /** The agent's real transport. */
    AgentTransport inner() {
        return transport;
    }

    // ---- AgentOutput (session executor) ----

    @Override
    public PcmFormat format() {
        return output.format();
    }

    @Override
    public void write(byte[] pcm, int offset, int length) {
        turnPcm.write(pcm, offset, length);
        if (holdTurns) {
            held += length;
        } else {
            output.write(pcm, offset, length);
        }
    }

    @Override
    public void endSegment() {
        byte[] pcm = turnPcm.toByteArray();
        String text = turnText.toString().strip();
        turnPcm.reset();
        turnText.setLength(0);
        sink.turnReady(roundId, text, pcm, output.format());
        if (holdTurns && held > 0) {
            held = 0;
            output.write(pcm, 0, pcm.length);
        }
        output.endSegment();
    }

    @Override
    public long clear() {
        long dropped = held;
        held = 0;
        turnPcm.reset();
        turnText.setLength(0);
        return dropped + output.clear();
    }

    @Override
    public long pendingBytes() {
        return held + output.pendingBytes();
    }

    @Override
    public long playoutEndNanos() {
        return output.playoutEndNanos();
    }

    @Override
    public boolean pause() {
        return !holdTurns && output.pause();
    }

    @Override
    public void resume() {
        output.resume();
    }

    @Override
    public long playedBytes() {
        return output.playedBytes();
    }

    @Override
    public void setListener(Listener listener) {
        output.setListener(listener);
    }

    @Override
    public void close() {
        transport.close(); // closes the real output too
    }

    // ---- AgentSessionListener (session executor): the turn's text ----

    @Override
    public void roundStarted(long id) {
        roundId = id;
        turnPcm.reset();
        turnText.setLength(0);
    }

    @Override
    public void agentTextDelta(long id, String delta) {
        if (id == roundId) {
            turnText.append(delta);
        }
    }

    @Override
    public String toString() {
        return "TurnTap[" + transport + (holdTurns ? ", whole turns" : "") + "]";
    }
}
