package io.voiceagent.agora;

import io.voiceagent.core.vad.VadOptions;
import io.voiceagent.agora.audio.AudioOutput;
import io.voiceagent.agora.pool.Lease;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.pacing.AudioConsumer;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioConsumerListener;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.time.Ticker;
import io.voiceagent.core.stt.Transcript;
import io.voiceagent.core.turn.InterruptMode;
import io.voiceagent.core.turn.Round;
import io.voiceagent.core.turn.RoundAudioOutput;
import io.voiceagent.core.turn.RoundManager;
import io.voiceagent.core.turn.RoundManagerConfig;
import io.voiceagent.core.vad.VadResult;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conversation on one connection: the remote users' turns (per-user VAD) drive rounds
 * ({@link RoundManager}) whose answers an {@link AgentPipeline} produces and a paced
 * {@link AudioOutput} plays into the agent's published track, cut off when the user barges in.
 * One per connection (or pool {@link Lease}); built and started by {@link #builder}.
 *
 * <p><b>Wiring.</b>
 * <ul>
 * <li>VAD speech start: {@link RoundManager#onSpeechStarted()} (interrupts the answer in
 *     {@link InterruptMode#VOICE_ACTIVATION}).</li>
 * <li>VAD speech end: without speech recognition, {@link RoundManager#startRound(long)} at once
 *     and the pipeline; with a {@link SpeechToText}, the utterance is transcribed on an I/O thread,
 *     the text goes to {@link RoundManager#onRecognizedText(String)} (interrupts in
 *     {@link InterruptMode#ASR_ACTIVATION}; so an utterance recognized as empty, a cough, interrupts
 *     nothing and opens no round), then the round starts. Either way the round's latency origin is
 *     the moment the VAD reported the end of speech.</li>
 * <li>Round audio: {@link io.voiceagent.core.turn.Round#writeAudio} -> {@link AudioOutput#push};
 *     the interrupt's clear -> {@link AudioOutput#interruptAudio()} (the consumer, then the SDK's
 *     send buffer), under the manager's gate, so no byte of an interrupted round reaches the
 *     channel after the interrupt returns.</li>
 * <li>The pacer's frames-sent callback -> {@link RoundManager#audioFramesSent(long)}, on the
 *     pacer's ticker (which is also the manager's), for the first-frame-sent latency.</li>
 * </ul>
 * Speech from any remote user of the connection takes a turn (one conversation per connection).
 *
 * <p><b>Threads.</b> VAD events run on the connection's event executor; they never wait for HTTP:
 * speech recognition, the LLM and TTS run on the I/O pool and {@link AgentPipeline#run} only starts
 * them. Frame sends run on the pacer thread. Every public method is thread-safe.
 *
 * <p><b>Ownership.</b> The agent owns its {@link AudioOutput}, its {@link RoundManager} and its
 * pending transcriptions; it does not own the connection, the track, the pacer, the pipeline's
 * clients or the speech recognizer. {@link #close()} (idempotent) disables the VAD, cancels pending
 * transcriptions, interrupts the current round (its audio is dropped, its requests cancelled) and
 * closes the output. Close the agent before the track and the connection.
 *
 * <pre>{@code
 * try (VoiceAgent agent = VoiceAgent.builder(connection, track, pacer)
 *         .pipeline(AgentPipeline.audioModalities(client))
 *         .listener(myListener)
 *         .start()) {
 *     ... // the conversation runs on the connection's and the I/O threads
 * }
 * }</pre>
 */
public final class VoiceAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VoiceAgent.class);

    private final RtcConnection connection;
    private final AgentPipeline pipeline;
    private final SpeechToText speechToText; // may be null
    private final VoiceAgentListener listener;
    private final AgentAudioObserver observer;
    private final ConversationHistory history;
    private final PcmFormat receiveFormat;
    private final VadOptions vadOptions;
    private final Ticker ticker;
    private final AudioOutput output;
    private final RoundManager rounds;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong turnSeq = new AtomicLong();
    private final Object turnLock = new Object();
    private long lastStartedTurn;   // Guarded by turnLock.
    private final Set<CompletableFuture<Transcript>> pendingStt = ConcurrentHashMap.newKeySet();

    private VoiceAgent(Builder b) {
        this.connection = b.connection;
        this.pipeline = b.pipeline;
        this.speechToText = b.speechToText;
        this.listener = b.listener;
        this.observer = b.observer;
        this.history = b.history;
        this.receiveFormat = b.connection.config().receiveFormat();
        this.vadOptions = b.vadOptions;
        this.ticker = b.pacer.ticker();
        RoundManager[] ref = new RoundManager[1]; // the consumer listener needs the manager built after it
        AudioConsumerListener sends = new AudioConsumerListener() {
            @Override
            public void framesSent(AudioConsumer consumer, int frameCount, long deadlineNanos, long sentNanos) {
                RoundManager r = ref[0];
                if (r != null) {
                    r.audioFramesSent(sentNanos);
                }
            }

            @Override
            public void sinkFailed(AudioConsumer consumer, Throwable error) {
                log.warn("{}: sending audio failed; the agent's output has stopped", VoiceAgent.this, error);
            }
        };
        this.output = AudioOutput.paced(b.track, b.pacer, b.outputFormat, b.consumerConfig, sends);
        this.rounds = new RoundManager(b.roundConfig, new OutputAdapter(), listener, b.pacer.ticker());
        ref[0] = rounds;
    }

    /**
     * Starts building an agent on {@code connection} (connected or not yet), speaking through
     * {@code track} (published by the caller on that connection), paced by {@code pacer}.
     */
    public static Builder builder(RtcConnection connection, LocalAudioTrack track, AudioPacer pacer) {
        return new Builder(connection, track, pacer);
    }

    /** The rounds of this conversation (to interrupt explicitly, or read the current round). */
    public RoundManager rounds() {
        return rounds;
    }

    /** The paced output the rounds play into. */
    public AudioOutput output() {
        return output;
    }

    /** The conversation so far. */
    public ConversationHistory history() {
        return history;
    }

    public RtcConnection connection() {
        return connection;
    }

    public boolean isClosed() {
        return closed.get();
    }

    private void start() {
        connection.localUser().enableVad(vadOptions, new Speech());
    }

    /** Stops the conversation: see the class comment. Idempotent; any thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!connection.isClosed()) {
                connection.localUser().disableVad();
            }
        } catch (IllegalStateException alreadyClosed) {
            // The connection closed first; its VAD went with it.
        }
        for (CompletableFuture<Transcript> f : pendingStt) {
            f.cancel(true);
        }
        try {
            rounds.close();
        } catch (RuntimeException e) {
            log.warn("{}: interrupting the last round on close failed", this, e);
        }
        output.close();
    }

    @Override
    public String toString() {
        return "VoiceAgent[" + connection + ", " + rounds + "]";
    }

    // --- turns ---

    /** VAD events, on the connection's event executor. */
    private final class Speech implements SpeechListener {
        @Override
        public void speechStarted(RtcConnection c, String userId, VadResult start) {
            if (closed.get()) {
                return;
            }
            emit(() -> listener.userSpeechStarted(userId));
            rounds.onSpeechStarted();
        }

        @Override
        public void speechEnded(RtcConnection c, String userId, byte[] audio, long speechStartMs, long speechEndMs) {
            if (closed.get()) {
                return;
            }
            long endNanos = ticker.nanoTime();
            emit(() -> listener.userSpeechEnded(userId, speechEndMs - speechStartMs));
            long seq = turnSeq.incrementAndGet();
            if (speechToText == null) {
                beginRound(seq, userId, audio, null, endNanos, speechEndMs - speechStartMs);
                return;
            }
            CompletableFuture<Transcript> f = speechToText.transcribe(audio, receiveFormat);
            pendingStt.add(f);
            f.whenComplete((t, e) -> {
                pendingStt.remove(f);
                if (closed.get()) {
                    return;
                }
                if (e != null) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (!(cause instanceof CancellationException)) {
                        emit(() -> listener.turnFailed(userId, cause));
                    }
                    return;
                }
                String text = t.text();
                emit(() -> listener.userTranscript(userId, text));
                rounds.onRecognizedText(text);
                if (!t.isEmpty()) {
                    beginRound(seq, userId, audio, text, endNanos, speechEndMs - speechStartMs);
                }
            });
        }
    }

    /** Opens the round of turn {@code seq} unless a later turn already has one; then runs the pipeline. */
    private void beginRound(long seq, String userId, byte[] audio, String text, long endNanos, long speechMs) {
        Round round;
        UserTurn turn;
        synchronized (turnLock) {
            if (closed.get() || seq <= lastStartedTurn) {
                return; // a later utterance's transcript came back first; this one is superseded
            }
            lastStartedTurn = seq;
            try {
                round = rounds.startRound(endNanos);
            } catch (IllegalStateException closedMeanwhile) {
                return;
            }
            history.add(ChatMessage.user(text != null ? text : "[speech, " + speechMs + " ms]"));
            long roundId = round.id();
            turn = new UserTurn(userId, audio, receiveFormat, text, history.messages(), (tu, answer) -> {
                history.add(ChatMessage.assistant(answer));
                emit(() -> listener.agentAnswer(roundId, answer));
            });
        }
        try {
            pipeline.run(round, turn);
        } catch (RuntimeException e) {
            round.fail(e);
        }
    }

    private void emit(Runnable event) {
        try {
            event.run();
        } catch (Throwable t) {
            log.warn("VoiceAgentListener threw; ignored", t);
        }
    }

    /** Rounds -> the paced output; called with the manager's gate held (see {@link RoundAudioOutput}). */
    private final class OutputAdapter implements RoundAudioOutput {
        @Override
        public void write(long roundId, byte[] pcm, int offset, int length) {
            observer.beforeWrite(roundId, length);
            output.push(pcm, offset, length);
        }

        @Override
        public void endSegment(long roundId) {
            output.endSegment();
        }

        @Override
        public long clear() {
            observer.beforeClear();
            long dropped = output.interruptAudio();
            observer.afterClear(dropped);
            return dropped;
        }
    }

    /** Builder of a {@link VoiceAgent}; not thread-safe. */
    public static final class Builder {
        private final RtcConnection connection;
        private final LocalAudioTrack track;
        private final AudioPacer pacer;
        private AgentPipeline pipeline;
        private SpeechToText speechToText;
        private VadOptions vadOptions = VadOptions.defaults();
        private RoundManagerConfig roundConfig = RoundManagerConfig.defaults();
        private VoiceAgentListener listener = new VoiceAgentListener() {};
        private AgentAudioObserver observer = new AgentAudioObserver() {};
        private PcmFormat outputFormat = PcmFormat.MONO_16K;
        private AudioConsumerConfig consumerConfig = AudioConsumerConfig.defaults();
        private ConversationHistory history;

        private Builder(RtcConnection connection, LocalAudioTrack track, AudioPacer pacer) {
            this.connection = Objects.requireNonNull(connection, "connection");
            this.track = Objects.requireNonNull(track, "track");
            this.pacer = Objects.requireNonNull(pacer, "pacer");
        }

        /** What each round does (required). */
        public Builder pipeline(AgentPipeline pipeline) {
            this.pipeline = pipeline;
            return this;
        }

        /** Speech recognition of each utterance (required for {@link InterruptMode#ASR_ACTIVATION}); null for none. */
        public Builder speechToText(SpeechToText speechToText) {
            this.speechToText = speechToText;
            return this;
        }

        /** The per-user VAD (default {@link VadOptions#defaults()}). */
        public Builder vadOptions(VadOptions vadOptions) {
            this.vadOptions = vadOptions;
            return this;
        }

        /** The interrupt mode (default voice activation). */
        public Builder roundConfig(RoundManagerConfig roundConfig) {
            this.roundConfig = roundConfig;
            return this;
        }

        public Builder listener(VoiceAgentListener listener) {
            this.listener = listener;
            return this;
        }

        /** Measurement hook on the output (see {@link AgentAudioObserver}); default none. */
        public Builder audioObserver(AgentAudioObserver observer) {
            this.observer = observer;
            return this;
        }

        /** Format the pipeline writes and the track sends (default 16 kHz mono). */
        public Builder outputFormat(PcmFormat outputFormat) {
            this.outputFormat = outputFormat;
            return this;
        }

        /** Pacing lead and buffer bound of the output (default 100 ms / 60 s). */
        public Builder consumerConfig(AudioConsumerConfig consumerConfig) {
            this.consumerConfig = consumerConfig;
            return this;
        }

        /** The conversation history (default: no system prompt, the last 20 messages). */
        public Builder history(ConversationHistory history) {
            this.history = history;
            return this;
        }

        /**
         * Builds the agent and enables the VAD on the connection (replacing any VAD enabled before).
         *
         * @throws IllegalArgumentException naming a missing or inconsistent parameter
         */
        public VoiceAgent start() {
            if (pipeline == null) {
                throw new IllegalArgumentException("pipeline must be set");
            }
            if (vadOptions == null || roundConfig == null || listener == null || observer == null
                    || outputFormat == null || consumerConfig == null) {
                throw new IllegalArgumentException("vadOptions, roundConfig, listener, audioObserver, outputFormat and "
                        + "consumerConfig must not be null");
            }
            if (roundConfig.interruptMode() == InterruptMode.ASR_ACTIVATION && speechToText == null) {
                throw new IllegalArgumentException("interruptMode ASR_ACTIVATION needs a speechToText");
            }
            if (history == null) {
                history = new ConversationHistory(null, 20);
            }
            VoiceAgent agent = new VoiceAgent(this);
            try {
                agent.start();
            } catch (RuntimeException e) {
                agent.close();
                throw e;
            }
            return agent;
        }
    }
}
