package io.voiceagent.core.agent;

import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.StreamCall;
import io.voiceagent.core.llm.AudioChatClient;
import io.voiceagent.core.llm.AudioModalitiesListener;
import io.voiceagent.core.llm.ChatClient;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.llm.ChatStreamListener;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.stt.Transcript;
import io.voiceagent.core.time.Ticker;
import io.voiceagent.core.tts.TextSegmenter;
import io.voiceagent.core.tts.TextSegmenterConfig;
import io.voiceagent.core.tts.TextToSpeech;
import io.voiceagent.core.tts.TtsListener;
import io.voiceagent.core.vad.SpeechSegmentListener;
import io.voiceagent.core.vad.VadDetector;
import io.voiceagent.core.vad.VadOptions;
import io.voiceagent.core.vad.VadResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A voice conversation: per-user turn detection (VAD V2 on Silero), one round per turn, speech
 * recognition, an LLM and text-to-speech (or an LLM that answers with audio), the conversation
 * history, and barge-in that cuts the agent off the moment the user talks over it. Built once with
 * its providers, validated at build time, then {@link #start started} on a transport: an Agora
 * connection or pool lease, a WebSocket, or an {@link InMemoryTransport}.
 *
 * <pre>{@code
 * AgentSession session = AgentSession.builder()
 *         .stt(new OpenAiTranscriptionClient(openAi, "en"))
 *         .llm(new OpenAiChatClient(openAi))
 *         .tts(new EspeakNgTts())
 *         .instructions("You are a helpful assistant.")
 *         .listener(events)
 *         .build();
 * session.start(transport);      // the session owns the transport from here on
 * ...
 * session.close();               // ends the round, releases the transport and what it created
 * }</pre>
 *
 * <p><b>One owner thread.</b> The session is an actor, as a Netty channel is confined to its event
 * loop: all of its state (turns, rounds, history, the pipeline of each round) lives on the
 * transport's {@link SessionExecutor}, and every {@link AgentSessionListener} event runs there. Other
 * threads only post facts to it: the transport's threads post audio frames (an SDK callback copies
 * and enqueues), the pacer thread posts "frames sent" and "drained" reports, I/O threads post LLM
 * text, TTS audio and transcripts. No user code runs on the pacer thread, an SDK thread or under a
 * library lock, and the session holds no lock at all. Public methods may be called from any thread,
 * a listener included: queries read an immutable snapshot and never wait; commands hop to the
 * executor and return a future that completes there.
 *
 * <p><b>Rounds.</b> Each end of a user's turn opens round N+1 (ids from 1, never reused) and
 * interrupts round N if it is still producing or playing. A round ends {@link RoundEndReason#COMPLETED}
 * when its whole answer has finished playing, {@link RoundEndReason#INTERRUPTED} when it is cut off,
 * {@link RoundEndReason#FAILED} when a provider fails (after what was queued has played).
 *
 * <p><b>The barge-in guarantee.</b> An interrupt (voice activation at the VAD's speech start, ASR
 * activation at the first recognized words, {@link #interrupt()}, a newer turn, {@link #close()})
 * runs on the executor: it ends the round, cancels its requests and clears the output (the queued
 * audio and the transport's own buffer; see {@link AgentOutput#clear()}). Audio of a round is written
 * only by tasks on the same executor that check the round is still producing. So from the moment the
 * interrupt has run ({@link AgentSessionListener#interrupted} is called, the future of
 * {@link #interrupt()} completes), no byte of the interrupted round reaches the remote side.
 *
 * <p><b>Ownership.</b> The session owns the transport it was started on and closes it in
 * {@link #close()}; it does not own the providers (clients are shared across sessions) or the VAD
 * batcher. Single use: started once, closed once (idempotent).
 */
public final class AgentSession implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentSession.class);
    private static final AtomicLong SERIAL = new AtomicLong();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    /** Where a session is in its life. */
    public enum State {
        /** Built, not started. */
        NEW,
        /** Started on a transport. */
        RUNNING,
        /** Closed (or closing): input is ignored, commands are refused. */
        CLOSED
    }

    // ---- configuration (immutable) ----
    private final String name;
    private final SpeechToText stt;
    private final ChatClient llm;
    private final TextToSpeech tts;
    private final AudioChatClient audioLlm;
    private final VadOptions vad;
    private final InterruptMode interruptMode;
    private final int minInterruptLetters;
    private final int minInterruptWords;
    private final long minInterruptDurationMs;
    private final Duration falseInterruptionTimeout;
    private final TextSegmenterConfig segmenterConfig;
    private final int maxQueuedFrames;
    private final Set<String> remoteUsers;
    private final boolean autoRespond;
    private final List<AgentSessionListener> listeners;
    private final StreamingTurns streaming; // null unless the stt streams

    // ---- set once by start() ----
    private final AtomicReference<State> lifecycle = new AtomicReference<>(State.NEW);
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private volatile AgentTransport transport;
    private volatile SessionExecutor executor;
    private volatile AgentOutput output;
    private volatile Ticker ticker;

    // ---- shared with other threads (atomics only) ----
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong droppedFrames = new AtomicLong();
    /** Armed by a round's first write; the next send report disarms it and posts the first-frame figure. */
    private final AtomicBoolean wantFrameSent = new AtomicBoolean();
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private volatile Snapshot snapshot;

    // ---- confined to the executor ----
    private boolean closing;
    private final Map<String, UserTurns> users = new HashMap<>();
    private final ConversationHistory history;
    private final Set<CompletableFuture<Transcript>> pendingStt = new HashSet<>();
    private long nextRoundId = 1;
    private Round current;    // the newest round (possibly ended); null before the first
    private Round asrTarget;  // ASR mode: the round the coming words may interrupt
    private Round paused;     // the round a barge-in paused until its words confirm it, or null
    private long turnSeq;
    private long lastStartedTurn;
    /** Rounds whose audio segment ended (endSegment or a clear that cut it), oldest first, awaiting a playback report. */
    private final java.util.ArrayDeque<Long> playbackRounds = new java.util.ArrayDeque<>();
    private static final int MAX_PLAYBACK_ROUNDS = 64;

    /** What other threads may read: published by the executor after every change. */
    private record Snapshot(long roundId, Round.Phase phase, List<ChatMessage> history) {
    }

    private AgentSession(Builder b) {
        this.name = b.name != null ? b.name : "session-" + SERIAL.incrementAndGet();
        this.stt = b.stt;
        this.llm = b.llm;
        this.tts = b.tts;
        this.audioLlm = b.audioLlm;
        this.vad = b.vad;
        this.interruptMode = b.interruptMode;
        this.minInterruptLetters = b.minInterruptLetters;
        this.minInterruptWords = b.minInterruptWords;
        this.minInterruptDurationMs = b.minInterruptDuration.toMillis();
        this.falseInterruptionTimeout = b.falseInterruptionTimeout;
        this.segmenterConfig = b.segmenter;
        this.maxQueuedFrames = b.maxQueuedFrames;
        this.remoteUsers = Set.copyOf(b.remoteUsers);
        this.autoRespond = b.autoRespond;
        this.listeners = List.copyOf(b.listeners);
        this.history = new ConversationHistory(b.instructions, b.maxHistoryMessages);
        this.streaming = stt != null && stt.isStreaming()
                ? new StreamingTurns(stt, this::post, this::onPartialTranscript) : null;
        this.snapshot = new Snapshot(0, null, history.messages());
    }

    /** A builder; see {@link Builder} for what must be set. */
    public static Builder builder() {
        return new Builder();
    }

    // =====================================================================================
    // Public API: any thread
    // =====================================================================================

    /**
     * Starts the conversation on {@code transport}: the session takes ownership of it (it is closed
     * with the session, or at once if starting fails) and begins to receive its remote users' audio.
     * Returns this session.
     *
     * @throws IllegalStateException if the session was already started or closed
     * @throws IllegalArgumentException if the transport gives no executor or no output
     */
    public AgentSession start(AgentTransport transport) {
        Objects.requireNonNull(transport, "transport");
        if (!lifecycle.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException(this + " cannot start: it is " + lifecycle.get()
                    + " (a session starts once)");
        }
        this.transport = transport;
        try {
            SessionExecutor e = transport.executor();
            AgentOutput o = transport.output();
            if (e == null || o == null) {
                throw new IllegalArgumentException("transport " + transport + " gave executor " + e + " and output "
                        + o + "; both are required");
            }
            this.ticker = e.ticker();
            this.output = o;
            this.executor = e;
            o.setListener(new OutputReports());
            publish();
            transport.start(new Input());
        } catch (RuntimeException | Error e) {
            lifecycle.set(State.CLOSED);
            closeTransportQuietly();
            closedFuture.complete(null);
            throw e;
        }
        log.info("{} started on {}: {}", name, transport, describePipeline());
        return this;
    }

    /**
     * Cuts the agent off now ({@link InterruptTrigger#EXPLICIT}): the current round ends
     * {@link RoundEndReason#INTERRUPTED} and its audio is dropped. The future completes on the
     * session's executor with whether a round was cut; from then on no byte of it reaches the user.
     */
    public CompletableFuture<Boolean> interrupt() {
        return submit(() -> interruptRound(current, InterruptTrigger.EXPLICIT));
    }

    /**
     * A typed user turn: {@code text} goes to the LLM as the user's words, as if spoken and
     * recognized. Interrupts the current round ({@link InterruptTrigger#NEW_ROUND}) and starts a new
     * one; the future completes with its id.
     *
     * @throws IllegalArgumentException if {@code text} is null or blank
     */
    public CompletableFuture<Long> sendText(String text) {
        requireText(text, "text");
        return submit(() -> {
            lastStartedTurn = ++turnSeq;
            return startRound(Round.Kind.TEXT, null, text.strip(), ticker.nanoTime()).id;
        });
    }

    /**
     * Speaks {@code text} as is (no LLM), in a round of its own that interrupts the current one; the
     * text enters the history as the agent's. The future completes with the round's id.
     *
     * @throws IllegalArgumentException if {@code text} is null or blank
     * @throws IllegalStateException if the session has no TTS (an audio-LLM-only session)
     */
    public CompletableFuture<Long> say(String text) {
        requireText(text, "text");
        if (tts == null) {
            throw new IllegalStateException("say needs a tts: this session answers through an audio LLM only;"
                    + " set tts(...) on the builder");
        }
        return submit(() -> startRound(Round.Kind.SAY, null, text.strip(), ticker.nanoTime()).id);
    }

    /**
     * Adds {@code message} to the history without answering it: another participant's words (the
     * other agent of a duet, a user heard by another session), or context from the application. The
     * future completes once it is in.
     */
    public CompletableFuture<Void> addMessage(ChatMessage message) {
        Objects.requireNonNull(message, "message");
        return submit(() -> {
            history.add(message);
            publish();
            return null;
        });
    }

    /** Replaces the instructions (system prompt) from the next LLM request on; null or blank for none. */
    public CompletableFuture<Void> setInstructions(String instructions) {
        return submit(() -> {
            history.setSystemPrompt(instructions);
            publish();
            return null;
        });
    }

    /** Starts a new conversation: forgets the history (the instructions stay) and interrupts the current round. */
    public CompletableFuture<Void> clearHistory() {
        return submit(() -> {
            interruptRound(current, InterruptTrigger.EXPLICIT);
            history.clear();
            publish();
            return null;
        });
    }

    /** The conversation so far (the instructions first), as of the last change. Never blocks. */
    public List<ChatMessage> history() {
        return snapshot.history();
    }

    /** Where the session is in its life. Never blocks. */
    public State state() {
        return lifecycle.get();
    }

    /** The id of the newest round (possibly ended), 0 before the first. Never blocks. */
    public long currentRoundId() {
        return snapshot.roundId();
    }

    /** Whether the newest round is still producing or playing its answer. Never blocks. */
    public boolean isAnswering() {
        Round.Phase p = snapshot.phase();
        return p == Round.Phase.GENERATING || p == Round.Phase.PLAYING;
    }

    /** Remote audio frames dropped because {@link Builder#maxQueuedFrames} frames were already waiting. */
    public long droppedFrames() {
        return droppedFrames.get();
    }

    /** The session's name, as in its logs. */
    public String name() {
        return name;
    }

    /** Completes when the session has closed and released its transport. */
    public CompletableFuture<Void> closeFuture() {
        return closedFuture.copy();
    }

    /**
     * Ends the conversation: cancels pending speech recognition, interrupts the current round
     * ({@link InterruptTrigger#CLOSE}), releases the VAD state and closes the transport (and what it
     * created). Idempotent. From any thread but the session's executor it waits (up to 10 s) until
     * that is done; from the executor itself (a listener) it queues the close and returns.
     */
    @Override
    public void close() {
        if (lifecycle.compareAndSet(State.NEW, State.CLOSED)) {
            closedFuture.complete(null);
            return;
        }
        SessionExecutor e = executor;
        if (closeRequested.compareAndSet(false, true) && e != null) {
            e.execute(this::closeOnExecutor);
        }
        if (e == null || e.inExecutor()) {
            return;
        }
        try {
            closedFuture.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException t) {
            log.warn("{}: close did not finish within {} ms (is a listener blocking the session?)", name,
                    CLOSE_WAIT.toMillis());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ee) {
            log.warn("{}: close failed", name, ee.getCause());
        }
    }

    @Override
    public String toString() {
        Snapshot s = snapshot;
        return "AgentSession[" + name + ", " + lifecycle.get() + (s.roundId() == 0 ? "" : ", round " + s.roundId()
                + " " + s.phase()) + "]";
    }

    // =====================================================================================
    // Posting: other threads -> executor
    // =====================================================================================

    private <T> CompletableFuture<T> submit(Supplier<T> command) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (lifecycle.get() != State.RUNNING) {
            f.completeExceptionally(new IllegalStateException(this + " is not running"));
            return f;
        }
        executor.execute(() -> {
            if (closing) {
                f.completeExceptionally(new IllegalStateException(this + " is closed"));
                return;
            }
            try {
                f.complete(command.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Runs {@code task} on the executor unless the session is closing by then. */
    private void post(Runnable task) {
        SessionExecutor e = executor;
        if (e != null && lifecycle.get() == State.RUNNING) {
            e.execute(() -> {
                if (!closing) {
                    task.run();
                }
            });
        }
    }

    /** Runs {@code task} on the executor if {@code round} is still the producing round by then. */
    private void postToRound(Round round, Runnable task) {
        post(() -> {
            if (round == current && round.phase == Round.Phase.GENERATING) {
                task.run();
            }
        });
    }

    /** The transport's side: frames and departures from the transport's threads. */
    private final class Input implements AgentInput {
        @Override
        public void audioFrame(String userId, AudioFrame frame) {
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(frame, "frame");
            if (lifecycle.get() != State.RUNNING || (!remoteUsers.isEmpty() && !remoteUsers.contains(userId))) {
                return;
            }
            if (queuedFrames.incrementAndGet() > maxQueuedFrames) {
                queuedFrames.decrementAndGet();
                long n = droppedFrames.incrementAndGet();
                if (n == 1 || n % 1000 == 0) {
                    log.warn("{}: dropped remote audio frame #{}: {} frames already wait for the session's executor",
                            name, n, maxQueuedFrames);
                }
                return;
            }
            executor.execute(() -> {
                queuedFrames.decrementAndGet();
                if (!closing) {
                    onFrame(userId, frame);
                }
            });
        }

        @Override
        public void userJoined(String userId) {
            Objects.requireNonNull(userId, "userId");
            post(() -> emit(l -> l.userJoined(userId)));
        }

        @Override
        public void userLeft(String userId) {
            post(() -> {
                onUserLeft(userId);
                emit(l -> l.userLeft(userId));
            });
        }
    }

    /** The output's side: pacer thread, no lock held. Posts only what the session needs. */
    private final class OutputReports implements AgentOutput.Listener {
        @Override
        public void framesSent(long sentNanos) {
            if (wantFrameSent.compareAndSet(true, false)) {
                post(() -> onFirstFrameSent(sentNanos));
            }
        }

        @Override
        public void drained(long playoutEndNanos) {
            post(AgentSession.this::onDrained);
        }

        @Override
        public void playbackEnded(Duration played, boolean interrupted) {
            post(() -> onPlaybackEnded(played, interrupted));
        }
    }

    // =====================================================================================
    // Turns: executor only
    // =====================================================================================

    /** One remote user's turn detection; its VAD callbacks arrive on the executor. */
    private final class UserTurns implements SpeechSegmentListener {
        final String userId;
        final PcmFormat format;
        final VadDetector detector;
        long speechStartMs;
        /** The agent was talking when this speech started and it has not lasted minInterruptDuration yet. */
        Round tooShortFor;
        /** This speech paused (or is continuing the pause of) the agent. */
        boolean bargedIn;

        UserTurns(String userId, PcmFormat format) {
            this.userId = userId;
            this.format = format;
            this.detector = vad.newDetector(format, userId, asVadListener(), executor);
        }

        private boolean isCurrent() {
            return !closing && users.get(userId) == this;
        }

        @Override
        public void speechStarted(VadResult start) {
            if (isCurrent()) {
                onSpeechStarted(this, start);
                if (streaming != null) {
                    streaming.started(userId, format, start.audio());
                }
            }
        }

        @Override
        public void speechContinued(VadResult frame) {
            if (streaming != null && isCurrent()) {
                streaming.continued(userId, frame.audio());
            }
            // Only voiced frames make speech last: the VAD stays in SPEAKING through a short pause.
            if (isCurrent() && tooShortFor != null && frame.active()) {
                checkSpeechDuration(this, frame.frameStartMs() + PcmFormat.FRAME_MS);
            }
        }

        @Override
        public void speechEnded(byte[] audio, long speechStartMs, long speechEndMs) {
            if (isCurrent()) {
                onSpeechEnded(this, audio, speechEndMs - speechStartMs);
            }
        }
    }

    private void onFrame(String userId, AudioFrame frame) {
        UserTurns u = users.get(userId);
        if (u != null && !u.format.equals(frame.format())) {
            log.info("{}: {}'s audio changed format from {} to {}; their turn detection restarts", name, userId,
                    u.format, frame.format());
            users.remove(userId);
            u.detector.close();
            u = null;
        }
        if (u == null) {
            u = new UserTurns(userId, frame.format());
            users.put(userId, u);
        }
        u.detector.process(frame);
    }

    private void onUserLeft(String userId) {
        UserTurns u = users.remove(userId);
        if (u != null) {
            u.detector.close();
        }
        if (streaming != null) {
            streaming.cancel(userId);
        }
    }

    /**
     * The interrupt policy, for speech that starts while the agent is talking. With false-interruption
     * recovery (the default; a paced output) voice activation pauses the answer at once, so the user
     * hears silence as early as the plain VAD trigger, and then the speech must prove itself: it must
     * last {@code minInterruptDuration}, and, with speech recognition, bring words; until then the
     * answer is only paused, and a sound that fails either test resumes it. Without recovery the answer
     * is cut once the speech has lasted the minimum. In ASR activation the words decide, and speech
     * shorter than the minimum takes no turn. Speech while the agent is not talking yet (its answer is
     * still being produced) cuts that round at once in voice activation.
     */
    private void onSpeechStarted(UserTurns u, VadResult start) {
        emit(l -> l.userSpeechStarted(u.userId));
        u.speechStartMs = start.speechStartMs();
        u.tooShortFor = null;
        u.bargedIn = false;
        if (paused != null) {
            // The user goes on talking: the pause holds, and its timeout restarts at the end of this speech.
            cancelFalseInterruptionTimer(paused);
            u.bargedIn = true;
            return;
        }
        Round r = current;
        boolean talking = r != null && r.isLive() && r.wroteAudio;
        if (interruptMode == InterruptMode.ASR_ACTIVATION) {
            asrTarget = r != null && r.isLive() ? r : null;
            if (talking && minInterruptDurationMs > 0) {
                u.tooShortFor = r;
                checkSpeechDuration(u, start.frameStartMs() + PcmFormat.FRAME_MS);
            }
            return;
        }
        if (!talking) {
            interruptRound(r, InterruptTrigger.VOICE_ACTIVATION);
            return;
        }
        u.bargedIn = true;
        if (recovery() && output.pause()) {
            r.paused = true;
            paused = r;
            publish();
            emit(l -> l.agentPaused(r.id));
        } else if (minInterruptDurationMs == 0) {
            interruptRound(r, InterruptTrigger.VOICE_ACTIVATION);
            return;
        }
        if (minInterruptDurationMs > 0) {
            u.tooShortFor = r;
            checkSpeechDuration(u, start.frameStartMs() + PcmFormat.FRAME_MS);
        } else {
            confirmByDuration(r);
        }
    }

    private boolean recovery() {
        return falseInterruptionTimeout.compareTo(Duration.ZERO) > 0;
    }

    /** The user's speech has lasted until {@code nowMs} (stream time): past the minimum, it counts. */
    private void checkSpeechDuration(UserTurns u, long nowMs) {
        if (nowMs - u.speechStartMs < minInterruptDurationMs) {
            return;
        }
        Round r = u.tooShortFor;
        u.tooShortFor = null;
        if (interruptMode == InterruptMode.VOICE_ACTIVATION) {
            confirmByDuration(r);
        }
    }

    /**
     * Voice activation: the speech lasted long enough. A paused answer is cut now unless words must
     * still confirm it (speech recognition); an answer playing without recovery is cut now.
     */
    private void confirmByDuration(Round r) {
        if (r == null || !r.isLive() || r != current) {
            return;
        }
        if (r.paused && stt != null) {
            return; // the words decide when the speech ends
        }
        interruptRound(r, InterruptTrigger.VOICE_ACTIVATION);
    }

    /** No words came for the pause: the answer plays on from the first sample the user did not hear. */
    private void resumeAfterFalseInterruption(Round r) {
        if (paused != r || !r.isLive()) {
            return;
        }
        paused = null;
        r.paused = false;
        cancelFalseInterruptionTimer(r);
        output.resume();
        publish();
        emit(l -> l.falseInterruption(r.id));
    }

    private static void cancelFalseInterruptionTimer(Round r) {
        if (r.falseInterruptionTimer != null) {
            r.falseInterruptionTimer.cancel();
            r.falseInterruptionTimer = null;
        }
    }

    /** Whether recognized text is words enough to interrupt: minInterruptLetters letters and minInterruptWords words. */
    private boolean isInterruptingText(String text) {
        return countLettersOrDigits(text) >= minInterruptLetters && countWords(text) >= minInterruptWords;
    }

    private void onSpeechEnded(UserTurns u, byte[] audio, long speechMs) {
        long endNanos = ticker.nanoTime();
        emit(l -> l.userSpeechEnded(u.userId, speechMs));
        if (u.tooShortFor != null) {
            Round r = u.tooShortFor;
            u.tooShortFor = null;
            log.debug("{}: {}'s {} ms of speech while the agent talked is under minInterruptDuration; not a turn",
                    name, u.userId, speechMs);
            if (paused == r) {
                resumeAfterFalseInterruption(r); // a click, a knock: the answer goes on
            }
            if (streaming != null) {
                streaming.cancel(u.userId);
            }
            return;
        }
        if (paused != null && u.bargedIn) {
            Round p = paused;
            cancelFalseInterruptionTimer(p);
            p.falseInterruptionTimer = executor.schedule(() -> {
                if (!closing) {
                    resumeAfterFalseInterruption(p);
                }
            }, falseInterruptionTimeout);
        }
        long seq = ++turnSeq;
        if (stt == null) {
            beginTurn(seq, u.userId, "[speech, " + speechMs + " ms]", endNanos);
            return;
        }
        CompletableFuture<Transcript> f;
        try {
            CompletableFuture<Transcript> streamed = streaming != null
                    ? streaming.finish(u.userId, audio, u.format) : null;
            f = streamed != null ? streamed : stt.transcribe(audio, u.format);
        } catch (RuntimeException e) {
            emit(l -> l.turnFailed(u.userId, e));
            return;
        }
        pendingStt.add(f);
        f.whenComplete((t, e) -> post(() -> onTranscript(seq, u.userId, endNanos, f, t, e)));
    }

    private void onTranscript(long seq, String userId, long endNanos, CompletableFuture<Transcript> f, Transcript t,
            Throwable e) {
        pendingStt.remove(f);
        if (e != null) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof CancellationException)) {
                log.warn("{}: speech recognition of {}'s turn failed", name, userId, cause);
                emit(l -> l.turnFailed(userId, cause));
            }
            return;
        }
        String text = t.text();
        emit(l -> l.userTranscript(userId, text));
        boolean words = isInterruptingText(text);
        boolean agentTalking = current != null && current.isLive() && current.wroteAudio;
        if (interruptMode == InterruptMode.ASR_ACTIVATION && words) {
            Round target = asrTarget;
            asrTarget = null;
            interruptRound(target, InterruptTrigger.ASR_ACTIVATION);
        }
        if (paused != null) {
            if (!words) {
                resumeAfterFalseInterruption(paused); // a cough, an "mm": the answer goes on, no turn
                return;
            }
            interruptRound(paused, InterruptTrigger.VOICE_ACTIVATION); // the words confirm the barge-in
        } else if (agentTalking && !words) {
            return; // a backchannel ("yeah") while the agent talks is not a turn
        }
        if (!t.isEmpty()) {
            beginTurn(seq, userId, text, endNanos);
        }
    }

    /**
     * A streaming recognizer's hypothesis of {@code userId}'s open turn. Once the speech has lasted the
     * minimum, the first words interrupt in ASR mode, and confirm a paused barge-in in voice mode
     * (without waiting for the end of speech).
     */
    private void onPartialTranscript(String userId, String text) {
        emit(l -> l.userPartialTranscript(userId, text));
        UserTurns u = users.get(userId);
        if (u == null || u.tooShortFor != null || !isInterruptingText(text)) {
            return;
        }
        if (interruptMode == InterruptMode.ASR_ACTIVATION && asrTarget != null) {
            Round target = asrTarget;
            asrTarget = null;
            interruptRound(target, InterruptTrigger.ASR_ACTIVATION);
        } else if (paused != null && u.bargedIn) {
            interruptRound(paused, InterruptTrigger.VOICE_ACTIVATION);
        }
    }

    /** Opens the round of turn {@code seq} unless a later turn already has one (its transcript came back first). */
    private void beginTurn(long seq, String userId, String userText, long originNanos) {
        if (seq <= lastStartedTurn) {
            return;
        }
        lastStartedTurn = seq;
        if (!autoRespond) {
            interruptRound(current, InterruptTrigger.NEW_ROUND);
            return; // the application answers (sendText / say), as a duet's conductor does
        }
        startRound(Round.Kind.SPEECH, userId, userText, originNanos);
    }

    // =====================================================================================
    // Rounds: executor only
    // =====================================================================================

    private Round startRound(Round.Kind kind, String userId, String text, long originNanos) {
        interruptRound(current, InterruptTrigger.NEW_ROUND);
        Round r = new Round(nextRoundId++, kind, userId, originNanos);
        current = r;
        asrTarget = null;
        if (kind != Round.Kind.SAY) {
            history.add(ChatMessage.user(text));
        }
        publish();
        emit(l -> l.roundStarted(r.id));
        try {
            switch (kind) {
                case SAY -> {
                    r.segments.add(text);
                    r.llmDone = true;
                    nextSegment(r);
                }
                case SPEECH, TEXT -> {
                    if (audioLlm != null) {
                        r.llmCall = audioLlm.stream(history.messages(), new AudioLlmEvents(r));
                    } else {
                        r.segmenter = new TextSegmenter(segmenterConfig);
                        r.llmCall = llm.streamChat(history.messages(), new ChatEvents(r));
                    }
                }
            }
        } catch (RuntimeException e) {
            failRound(r, e);
        }
        return r;
    }

    /** Streaming chat LLM -> the round (I/O thread -> executor). */
    private final class ChatEvents implements ChatStreamListener {
        private final Round r;

        ChatEvents(Round r) {
            this.r = r;
        }

        @Override
        public void onTextDelta(String delta) {
            postToRound(r, () -> {
                r.markFirstToken(ticker.nanoTime());
                emit(l -> l.agentTextDelta(r.id, delta));
                r.segments.addAll(r.segmenter.append(delta));
                nextSegment(r);
            });
        }

        @Override
        public void onComplete(String fullText, String finishReason) {
            postToRound(r, () -> {
                r.segments.addAll(r.segmenter.flush());
                r.llmDone = true;
                r.llmCall = null;
                nextSegment(r);
            });
        }

        @Override
        public void onError(Throwable error) {
            postToRound(r, () -> failRound(r, error));
        }
    }

    /** Audio LLM -> the round (I/O thread -> executor). */
    private final class AudioLlmEvents implements AudioModalitiesListener {
        private final Round r;

        AudioLlmEvents(Round r) {
            this.r = r;
        }

        @Override
        public void onTranscript(String delta) {
            postToRound(r, () -> {
                r.markFirstToken(ticker.nanoTime());
                r.appendToPiece(delta);
                emit(l -> l.agentTextDelta(r.id, delta));
            });
        }

        @Override
        public void onAudio(String audioId, byte[] pcm) {
            postToRound(r, () -> {
                r.markFirstToken(ticker.nanoTime());
                writeAudio(r, pcm);
            });
        }

        @Override
        public void onComplete() {
            postToRound(r, () -> {
                r.llmCall = null;
                r.completePiece();
                generationDone(r);
            });
        }

        @Override
        public void onError(Throwable error) {
            postToRound(r, () -> failRound(r, error));
        }
    }

    /** TTS of one segment -> the round (I/O thread -> executor). */
    private final class TtsEvents implements TtsListener {
        private final Round r;

        TtsEvents(Round r) {
            this.r = r;
        }

        @Override
        public void onAudio(byte[] pcm) {
            postToRound(r, () -> writeAudio(r, pcm));
        }

        @Override
        public void onComplete() {
            postToRound(r, () -> {
                r.synthesizing = false;
                r.ttsCall = null;
                r.completePiece();
                nextSegment(r);
            });
        }

        @Override
        public void onError(Throwable error) {
            postToRound(r, () -> failRound(r, error));
        }
    }

    /** Starts the next segment's synthesis if none runs; the round's generation is done when none is left. */
    private void nextSegment(Round r) {
        if (r.synthesizing || r.phase != Round.Phase.GENERATING) {
            return;
        }
        String text = r.segments.poll();
        if (text == null) {
            if (r.llmDone) {
                generationDone(r);
            }
            return;
        }
        r.synthesizing = true;
        r.startPiece(text);
        r.ttsCall = tts.synthesize(text, output.format(), new TtsEvents(r));
    }

    private void writeAudio(Round r, byte[] pcm) {
        if (pcm.length == 0) {
            return;
        }
        if (!r.wroteAudio) {
            r.markFirstAudio(ticker.nanoTime());
            r.playedBaseline = output.playedBytes();
            publish();
            emit(l -> l.agentSpeechStarted(r.id));
            // Armed before the write: the first send after it reports the round's first frame.
            wantFrameSent.set(true);
        }
        try {
            output.write(pcm, 0, pcm.length);
            r.addPieceBytes(pcm.length);
        } catch (RuntimeException e) {
            failRound(r, e);
        }
    }

    /** Everything of the round is written (or a provider failed): it plays out, then ends. */
    private void generationDone(Round r) {
        if (r.phase != Round.Phase.GENERATING) {
            return;
        }
        r.phase = Round.Phase.PLAYING;
        publish();
        if (!r.wroteAudio) {
            endRound(r);
            return;
        }
        output.endSegment();
        segmentEnded(r);
        checkPlayout(r);
    }

    private void failRound(Round r, Throwable error) {
        if (r.phase != Round.Phase.GENERATING) {
            return;
        }
        log.warn("{}: round {} failed; what was queued plays out", name, r.id, error);
        r.failure = error;
        r.cancelWork();
        generationDone(r);
    }

    /** Ends the round once its audio has played: now, at the playout time, or at the next "drained" report. */
    private void checkPlayout(Round r) {
        if (r != current || r.phase != Round.Phase.PLAYING || output.pendingBytes() > 0) {
            return; // not ours, or frames still wait: a drained report follows the last send
        }
        long wait = output.playoutEndNanos() - ticker.nanoTime();
        if (wait <= 0) {
            endRound(r);
            return;
        }
        if (r.playoutTimer != null) {
            r.playoutTimer.cancel();
        }
        r.playoutTimer = executor.schedule(() -> {
            if (!closing) {
                checkPlayout(r);
            }
        }, Duration.ofNanos(wait));
    }

    /** Round {@code r}'s audio segment ended (once per round); the output's playback report for it comes later. */
    private void segmentEnded(Round r) {
        Long last = playbackRounds.peekLast();
        if (last != null && last == r.id) {
            return;
        }
        if (playbackRounds.size() == MAX_PLAYBACK_ROUNDS) {
            playbackRounds.pollFirst(); // an output that never reports playback
        }
        playbackRounds.addLast(r.id);
    }

    private void onPlaybackEnded(Duration played, boolean interrupted) {
        Long roundId = playbackRounds.pollFirst();
        if (roundId == null) {
            log.debug("{}: a playback report with no round awaiting one ({} played, interrupted {})", name, played,
                    interrupted);
            return;
        }
        emit(l -> l.agentPlaybackEnded(roundId, played, interrupted));
    }

    private void onDrained() {
        Round r = current;
        if (r != null && r.phase == Round.Phase.PLAYING) {
            checkPlayout(r);
        }
    }

    private void onFirstFrameSent(long sentNanos) {
        Round r = current;
        if (r != null && r.isLive()) {
            r.markFirstFrameSent(sentNanos);
        }
    }

    /**
     * Cuts {@code r} off if it is live: ends it, cancels its requests, drops its audio (the output and
     * the transport's buffer), then reports. No-op (false) for null or an ended round.
     */
    private boolean interruptRound(Round r, InterruptTrigger trigger) {
        if (r == null || !r.isLive()) {
            return false;
        }
        r.phase = Round.Phase.ENDED; // first: nothing of it is written from here on
        r.cancelWork();
        long played = playedOf(r);
        if (r.wroteAudio) {
            output.clear();
            segmentEnded(r);
        }
        emit(l -> l.interrupted(r.id, trigger));
        finishRound(r, RoundEndReason.INTERRUPTED, trigger, played);
        return true;
    }

    /** A round that played out (or produced no audio) ends COMPLETED, or FAILED if a provider failed. */
    private void endRound(Round r) {
        r.phase = Round.Phase.ENDED;
        r.cancelWork();
        finishRound(r, r.failure == null ? RoundEndReason.COMPLETED : RoundEndReason.FAILED, null, playedOf(r));
    }

    /** Bytes of {@code r}'s audio the user has heard, or -1 when the output cannot tell. */
    private long playedOf(Round r) {
        if (!r.wroteAudio) {
            return 0;
        }
        long now = output.playedBytes();
        return now < 0 || r.playedBaseline < 0 ? -1 : now - r.playedBaseline;
    }

    /**
     * Reports the end of {@code r}. The history gets what the user heard: the whole answer when it
     * played to the end, else the answer cut where its audio stopped ({@code played}, when known).
     */
    private void finishRound(Round r, RoundEndReason reason, InterruptTrigger trigger, long played) {
        if (asrTarget == r) {
            asrTarget = null;
        }
        if (paused == r) {
            paused = null;
            r.paused = false;
        }
        String answer = r.answer();
        String heard = reason == RoundEndReason.COMPLETED || played < 0 ? answer
                : r.heard(played, output.format().bytesPerSecond());
        if (!heard.isEmpty()) {
            history.add(ChatMessage.assistant(heard));
        }
        publish();
        if (!heard.isEmpty()) {
            emit(l -> l.agentAnswer(r.id, heard));
        }
        Duration playedTime = played < 0 ? null : Duration.ofMillis(output.format().durationMillis(played));
        RoundResult result = new RoundResult(r.id, reason, trigger, r.failure, answer, heard, playedTime, r.latency());
        emit(l -> l.roundEnded(result));
    }

    // =====================================================================================
    // Close, snapshot, events: executor only
    // =====================================================================================

    private void closeOnExecutor() {
        if (closing) {
            return;
        }
        lifecycle.set(State.CLOSED);
        for (CompletableFuture<Transcript> f : new ArrayList<>(pendingStt)) {
            f.cancel(true);
        }
        pendingStt.clear();
        if (streaming != null) {
            streaming.cancelAll();
        }
        try {
            interruptRound(current, InterruptTrigger.CLOSE);
        } catch (RuntimeException e) {
            log.warn("{}: cutting off the last round on close failed", name, e);
        }
        closing = true;
        users.values().forEach(u -> u.detector.close());
        users.clear();
        closeTransportQuietly();
        publish();
        emit(AgentSessionListener::sessionClosed);
        closedFuture.complete(null);
        log.info("{} closed", name);
    }

    private void closeTransportQuietly() {
        AgentTransport t = transport;
        if (t == null) {
            return;
        }
        try {
            t.close();
        } catch (RuntimeException e) {
            log.warn("{}: closing transport {} failed", name, t, e);
        }
    }

    private void publish() {
        Round r = current;
        snapshot = new Snapshot(r == null ? 0 : r.id, r == null ? null : r.phase, history.messages());
    }

    private void emit(Consumer<AgentSessionListener> event) {
        io.voiceagent.core.concurrent.Listeners.emit(listeners, event, log, name);
    }

    private String describePipeline() {
        String answer = audioLlm != null ? "audio LLM " + audioLlm : "LLM " + llm + " -> TTS " + tts;
        return (stt != null ? "STT " + stt + " -> " : "") + answer + ", interrupt " + interruptMode;
    }

    private static void requireText(String text, String parameter) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(parameter + " must be a non-blank text; got "
                    + (text == null ? "null" : "'" + text + "'"));
        }
    }

    /**
     * Words in {@code text}: runs of letters or digits, each Han, kana or Hangul character counting as
     * one (those scripts do not separate words with spaces).
     */
    static int countWords(String text) {
        int n = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            boolean cjk = script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                    || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
            if (cjk) {
                n++;
                inWord = false;
            } else if (Character.isLetterOrDigit(cp) || (inWord && (cp == '\'' || cp == '’'))) {
                if (!inWord) {
                    n++;
                    inWord = true;
                }
            } else {
                inWord = false;
            }
            i += Character.charCount(cp);
        }
        return n;
    }

    static int countLettersOrDigits(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                n++;
            }
            i += Character.charCount(cp);
        }
        return n;
    }

    // =====================================================================================
    // Builder
    // =====================================================================================

    /**
     * Builder of an {@link AgentSession}; not thread-safe. What a session answers with must be set:
     * either {@link #llm} and {@link #tts} (chat-then-speech, which also needs {@link #stt} to hear the
     * user's words) or {@link #audioLlm} (an LLM that answers with audio). Everything else has a
     * default. {@link #build()} checks the combination and names what is missing.
     */
    public static final class Builder {
        private String name;
        private SpeechToText stt;
        private ChatClient llm;
        private TextToSpeech tts;
        private AudioChatClient audioLlm;
        private VadOptions vad = VadOptions.defaults();
        private InterruptMode interruptMode = InterruptMode.VOICE_ACTIVATION;
        private int minInterruptLetters = 1;
        private int minInterruptWords = 1;
        private Duration minInterruptDuration = Duration.ofMillis(300);
        private Duration falseInterruptionTimeout = Duration.ofMillis(1500);
        private String instructions;
        private int maxHistoryMessages = 20;
        private TextSegmenterConfig segmenter = TextSegmenterConfig.defaults();
        private int maxQueuedFrames = 500;
        private final Set<String> remoteUsers = new LinkedHashSet<>();
        private boolean autoRespond = true;
        private final List<AgentSessionListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * Speech-to-text of each user turn (required with {@link #llm} and for ASR activation). A streaming
         * one ({@link SpeechToText#isStreaming()}) is fed while the user speaks and reports
         * {@link AgentSessionListener#userPartialTranscript partials}; others get the whole utterance.
         */
        public Builder stt(SpeechToText stt) {
            this.stt = stt;
            return this;
        }

        /** The chat LLM (streaming); its text is spoken by the {@link #tts}. Exclusive with {@link #audioLlm}. */
        public Builder llm(ChatClient llm) {
            this.llm = llm;
            return this;
        }

        /** Text-to-speech: speaks the LLM's answer sentence by sentence, and {@link AgentSession#say}. */
        public Builder tts(TextToSpeech tts) {
            this.tts = tts;
            return this;
        }

        /**
         * An LLM that answers with audio (the audio-modalities endpoint): replaces {@link #llm} and
         * the TTS for answers. Without {@link #stt} it receives a placeholder for each spoken turn.
         */
        public Builder audioLlm(AudioChatClient audioLlm) {
            this.audioLlm = audioLlm;
            return this;
        }

        /** Turn detection: VAD V2 config, Silero model or a shared batcher (default {@link VadOptions#defaults()}). */
        public Builder vad(VadOptions vad) {
            this.vad = Objects.requireNonNull(vad, "vad");
            return this;
        }

        /** What cuts the agent off (default {@link InterruptMode#VOICE_ACTIVATION}). */
        public Builder interruptMode(InterruptMode interruptMode) {
            this.interruptMode = Objects.requireNonNull(interruptMode, "interruptMode");
            return this;
        }

        /**
         * In {@link InterruptMode#ASR_ACTIVATION}, the letters or digits recognized text needs to
         * interrupt (punctuation-only or empty transcripts never do); 1..100, default 1.
         */
        public Builder minInterruptLetters(int minInterruptLetters) {
            this.minInterruptLetters = minInterruptLetters;
            return this;
        }

        /**
         * In {@link InterruptMode#ASR_ACTIVATION}, and for confirming a paused barge-in, the words
         * recognized text needs (1..20, default 1): 2 keeps backchannels ("mm-hm", "yeah") from cutting
         * the agent off, at no cost in latency (the transcript arrives either way).
         */
        public Builder minInterruptWords(int minInterruptWords) {
            this.minInterruptWords = minInterruptWords;
            return this;
        }

        /**
         * How long the user's speech must last (voiced frames, from the first one, on the stream's time
         * axis), while the agent is talking, before it counts as a barge-in: 0..5 s, default 300 ms.
         * Shorter sounds (a click, a knock, a short cough) cut nothing and take no turn. With
         * false-interruption recovery (the default) the answer is paused at the VAD's start, so the user
         * hears silence as early as with the plain trigger, and resumed if the sound stays shorter;
         * without recovery the cut waits until the speech has lasted this long, which delays a real
         * barge-in by about this minimum minus the VAD's own start delay (BENCHMARKS.md, bench barge-in).
         * 0: every VAD start counts (the plain VAD trigger).
         */
        public Builder minInterruptDuration(Duration minInterruptDuration) {
            this.minInterruptDuration = Objects.requireNonNull(minInterruptDuration, "minInterruptDuration");
            return this;
        }

        /**
         * False-interruption recovery (voice activation on a paced output): a barge-in pauses the answer
         * at the VAD's start instead of dropping it ({@link AgentSessionListener#agentPaused}); the
         * speech must then last {@link #minInterruptDuration} and, with {@link #stt}, bring words (at
         * least {@link #minInterruptWords}) when it ends. Then the answer is cut as usual (the same
         * zero-stale-bytes guarantee); speech that stays shorter, a transcript without words (a cough,
         * an "mm"), or no transcript within this timeout after the end of speech resumes it from the
         * first sample the user did not hear ({@link AgentSessionListener#falseInterruption}). 0..10 s,
         * default 1.5 s; 0 turns recovery off. The user hears silence from the pause on either way, so
         * recovery adds no latency to a real interruption; a false one costs a short gap instead of the
         * rest of the answer.
         */
        public Builder falseInterruptionTimeout(Duration falseInterruptionTimeout) {
            this.falseInterruptionTimeout = Objects.requireNonNull(falseInterruptionTimeout,
                    "falseInterruptionTimeout");
            return this;
        }

        /** The system prompt, kept at the head of every LLM request; null for none. */
        public Builder instructions(String instructions) {
            this.instructions = instructions;
            return this;
        }

        /** How many user and assistant messages the history keeps (oldest forgotten first); 1..10000, default 20. */
        public Builder maxHistoryMessages(int maxHistoryMessages) {
            this.maxHistoryMessages = maxHistoryMessages;
            return this;
        }

        /** How the LLM's streaming text is cut into TTS pieces (default {@link TextSegmenterConfig#defaults()}). */
        public Builder segmenter(TextSegmenterConfig segmenter) {
            this.segmenter = Objects.requireNonNull(segmenter, "segmenter");
            return this;
        }

        /**
         * The bound of remote audio frames waiting for the session's executor (all users together);
         * beyond it frames are dropped and counted in {@link AgentSession#droppedFrames()}. 1..100000,
         * default 500 (5 s of one user's audio).
         */
        public Builder maxQueuedFrames(int maxQueuedFrames) {
            this.maxQueuedFrames = maxQueuedFrames;
            return this;
        }

        /** Listens only to these remote users (default: every remote user's speech takes a turn). */
        public Builder remoteUsers(Set<String> userIds) {
            remoteUsers.clear();
            for (String u : Objects.requireNonNull(userIds, "userIds")) {
                if (u == null || u.isEmpty()) {
                    throw new IllegalArgumentException("remoteUsers must not contain a null or empty user id; got "
                            + userIds);
                }
                remoteUsers.add(u);
            }
            return this;
        }

        /**
         * Whether a user's spoken turn starts a round by itself (default true). With false the session
         * still detects turns, recognizes them ({@code userTranscript}) and applies barge-in, and a
         * finished turn cuts the current round off, but the application decides who answers and how
         * ({@link AgentSession#sendText}, {@link AgentSession#say}): a duet's conductor, for example.
         */
        public Builder autoRespond(boolean autoRespond) {
            this.autoRespond = autoRespond;
            return this;
        }

        /** Adds a listener (any number; called in the order added). */
        public Builder listener(AgentSessionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The name in logs and {@code toString()} (default {@code session-N}). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Checks the configuration and builds the session (not started).
         *
         * @throws IllegalArgumentException naming the parameter that is missing, inconsistent or out of range
         */
        public AgentSession build() {
            if (llm != null && audioLlm != null) {
                throw new IllegalArgumentException("llm and audioLlm are exclusive: set llm (with tts) for "
                        + "chat-then-speech, or audioLlm alone");
            }
            if (llm == null && audioLlm == null) {
                throw new IllegalArgumentException("llm or audioLlm must be set: the session needs something to "
                        + "answer with");
            }
            if (llm != null && tts == null) {
                throw new IllegalArgumentException("tts must be set: llm answers with text, which the session speaks "
                        + "with a TextToSpeech");
            }
            if (llm != null && stt == null) {
                throw new IllegalArgumentException("stt must be set: the chat-then-speech pipeline sends the user's "
                        + "words to the llm, so it needs a SpeechToText");
            }
            if (interruptMode == InterruptMode.ASR_ACTIVATION && stt == null) {
                throw new IllegalArgumentException("stt must be set: interruptMode ASR_ACTIVATION interrupts on "
                        + "recognized words");
            }
            if (minInterruptLetters < 1 || minInterruptLetters > 100) {
                throw new IllegalArgumentException("minInterruptLetters must be in 1..100; got " + minInterruptLetters);
            }
            if (minInterruptWords < 1 || minInterruptWords > 20) {
                throw new IllegalArgumentException("minInterruptWords must be in 1..20; got " + minInterruptWords);
            }
            if (minInterruptDuration.isNegative() || minInterruptDuration.compareTo(Duration.ofSeconds(5)) > 0) {
                throw new IllegalArgumentException("minInterruptDuration must be in 0..5 s; got "
                        + minInterruptDuration.toMillis() + " ms");
            }
            if (falseInterruptionTimeout.isNegative() || falseInterruptionTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("falseInterruptionTimeout must be in 0..10 s; got "
                        + falseInterruptionTimeout.toMillis() + " ms");
            }
            if (maxQueuedFrames < 1 || maxQueuedFrames > 100_000) {
                throw new IllegalArgumentException("maxQueuedFrames must be in 1..100000; got " + maxQueuedFrames);
            }
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank; got '" + name + "'");
            }
            return new AgentSession(this); // validates maxHistoryMessages
        }
    }
}
