package io.voiceagent.core.duet;

import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.agent.AgentTransport;
import io.voiceagent.core.agent.InterruptMode;
import io.voiceagent.core.agent.RoundEndReason;
import io.voiceagent.core.agent.RoundResult;
import io.voiceagent.core.agent.SessionExecutor;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.http.IoExecutors;
import io.voiceagent.core.llm.ChatClient;
import io.voiceagent.core.llm.ChatMessage;
import io.voiceagent.core.stt.SpeechToText;
import io.voiceagent.core.vad.VadOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two agents in one conversation (seed 003's "AI duet"): agents A and B, each with a name,
 * instructions, a language and a voice ({@link DuetAgent}), each an {@link AgentSession} on a
 * transport of its own (an in-memory one behind a WebSocket, a pool lease in an RTC channel). After
 * {@link #start()} they alternate: A speaks, B answers what A said, A answers B, and so on, until the
 * turn limit, the stop phrase or {@link #stop()}. A user listens and may join in: their words (typed,
 * {@link #userText}, or spoken to the listening agent's transport) cut the current speaker off, enter
 * both histories, and the next speaker answers them.
 *
 * <pre>{@code
 * Duet duet = Duet.builder()
 *         .agent(DuetRole.A, DuetAgent.of("Ana", "A cheerful baker.", "es"))
 *         .agent(DuetRole.B, DuetAgent.of("Ben", "A grumpy astronomer.", "en"))
 *         .llm(new OpenAiChatClient(openAi))      // or ScriptedDuetResponder.create(): no key
 *         .voices(VoiceCatalog.espeakNg())
 *         .stt(stt)
 *         .transports(role -> InMemoryTransport.create(...))
 *         .listener(events)
 *         .open();                                 // both sessions run; the duet is idle
 * duet.start();                                    // A speaks first
 * ...
 * duet.close();
 * }</pre>
 *
 * <p><b>The guarantee: one speaker at a time.</b> The duet is an actor on its own
 * {@link SessionExecutor}; the sessions post their events to it. It asks an agent to speak only when
 * no turn is live: after the previous turn's round has ended, which a session reports only once its
 * audio has finished playing, or after it was cut off and the other session has dropped its audio
 * from its output and its transport's buffer (the interrupt has run there). So the two agents' audio
 * never overlaps on the wire, and a {@link DuetListener#speakerInterrupted} always precedes the next
 * turn's events and audio.
 *
 * <p><b>Histories.</b> Each agent's session keeps its own history (bounded, default 40 messages):
 * its own turns as the assistant's, the other agent's and the user's as user messages prefixed with
 * the speaker's name ({@code "Ben: ..."}, {@code "User: ..."}). What enters is what was heard: a cut
 * turn enters both histories up to where its audio stopped.
 *
 * <p><b>What the agents hear of each other.</b> The text of each other's turns, as far as it was
 * heard (a cut turn up to where its audio stopped), not their audio: recognizing synthetic speech
 * would only add latency, cost and errors. DESIGN.md's "two sessions that hear each other" holds for
 * the user's voice, which reaches the sessions through their transports.
 *
 * <p><b>The user's voice.</b> The listening agent's session (A by default) hears the remote users of
 * its transport (never the other agent's user ids, {@link Builder#ignoredUsers}); B's hears no one.
 * Its VAD cuts its own turn at the start of the user's speech (voice activation, no
 * false-interruption recovery), the duet cuts B's, and the recognized words become a user turn; an
 * utterance with no words resumes the duet.
 *
 * <p>Thread-safe: every method may be called from any thread, a listener included; commands return
 * a future completed on the duet's executor.
 */
public final class Duet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Duet.class);
    private static final AtomicLong SERIAL = new AtomicLong();
    /** The prefix of the user's lines in the agents' histories. */
    public static final String USER_LABEL = "User";

    /** Where the duet is. */
    public enum State {
        /** Not alternating: before {@link #start()}, after {@link #stop()} or an end (a user turn still gets an answer). */
        IDLE,
        /** The agents alternate. */
        RUNNING,
        /** Running, but waiting for the user ({@link #interrupt()} or the user started speaking). */
        HELD,
        /** Closed. */
        CLOSED
    }

    private final String name;
    private final SessionExecutor executor;
    private final boolean ownsExecutor;
    private final VoiceCatalog voices;
    private final int maxTurns;
    private final String stopPhrase;
    private final String opening;
    private final DuetRole listening;
    private final List<DuetListener> listeners;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Map<DuetRole, Agent> agents = new EnumMap<>(DuetRole.class);
    private volatile State publicState = State.IDLE;
    private volatile Map<DuetRole, DuetAgent> specs;

    // ---- confined to the duet's executor ----
    private State state = State.IDLE;
    private Turn current;            // the live turn, or null
    private boolean heldByVoice;     // HELD because the user started speaking (an empty transcript resumes)
    private long turnSeq;
    private long epoch;              // bumped by reset: late events of older turns touch no history
    private int completedTurns;      // since the last start from IDLE
    private DuetRole nextSpeaker = DuetRole.A;
    private String lastLine;         // the last line heard ("Name: text"), what the next speaker answers
    private boolean replyPending;    // the user's words wait for the speaker's cut before they are answered
    private final ArrayDeque<Runnable> userQueue = new ArrayDeque<>(); // the user's later words, in order

    /** One turn in flight: bound to its session's round when the session reports it. */
    private static final class Turn {
        final DuetTurn info;
        final long epoch;
        long roundId;
        boolean cut;
        boolean deferred; // waiting for the other agent's cut audio to be dropped before it is sent

        Turn(DuetTurn info, long epoch) {
            this.info = info;
            this.epoch = epoch;
        }
    }

    /** One agent: its spec, session, voice switch and the turns its session has not reported yet. */
    private final class Agent {
        final DuetRole role;
        DuetAgent spec;
        final VoiceSwitch voice;
        AgentSession session;
        final ArrayDeque<Turn> unbound = new ArrayDeque<>();
        final Map<Long, Turn> byRound = new HashMap<>();
        /** The session's interrupt of this agent's last cut turn: done once its audio is dropped. */
        CompletableFuture<Boolean> cutting;

        Agent(DuetRole role, DuetAgent spec) {
            this.role = role;
            this.spec = spec;
            this.voice = new VoiceSwitch(spec.voice(), voices.tts(spec.voice()));
        }
    }

    private Duet(Builder b) {
        this.name = b.name != null ? b.name : "duet-" + SERIAL.incrementAndGet();
        this.voices = b.voices;
        this.maxTurns = b.maxTurns;
        this.stopPhrase = b.stopPhrase == null ? null : normalize(b.stopPhrase);
        this.opening = b.opening;
        this.listening = b.listening;
        this.listeners = List.copyOf(b.listeners);
        this.ownsExecutor = b.executor == null;
        this.executor = b.executor != null ? b.executor : SessionExecutor.onPool(name, IoExecutors.shared());
        Map<DuetRole, DuetAgent> s = new EnumMap<>(DuetRole.class);
        for (DuetRole r : DuetRole.values()) {
            DuetAgent spec = voices.resolve(b.agents.get(r));
            agents.put(r, new Agent(r, spec));
            s.put(r, spec);
        }
        this.specs = Map.copyOf(s);
    }

    /** A builder; see {@link Builder} for what must be set. */
    public static Builder builder() {
        return new Builder();
    }

    // =====================================================================================
    // Public API: any thread
    // =====================================================================================

    /**
     * Starts (or resumes) the alternation: the next speaker (A at first) answers the last line heard,
     * or opens the conversation. Completes with false if the duet was already running.
     */
    public CompletableFuture<Boolean> start() {
        return submit(() -> {
            if (state == State.RUNNING) {
                return false;
            }
            if (state == State.IDLE) {
                completedTurns = 0;
            }
            setState(State.RUNNING);
            heldByVoice = false;
            emit(DuetListener::duetStarted);
            if (current == null) {
                continueConversation();
            }
            return true;
        });
    }

    /** Stops the alternation and cuts the current speaker off. Completes with whether a turn was cut. */
    public CompletableFuture<Boolean> stop() {
        return submit(() -> {
            boolean cut = cut(current);
            endDuet(DuetEndReason.STOPPED);
            return cut;
        });
    }

    /**
     * Cuts the current speaker off and holds the duet until the user speaks ({@link #userText}, or by
     * voice) or {@link #start()} resumes it. Completes with whether a turn was cut.
     */
    public CompletableFuture<Boolean> interrupt() {
        return submit(() -> {
            if (state == State.RUNNING) {
                setState(State.HELD); // before the cut's event: a listener sees the duet held
                heldByVoice = false;
            }
            return cut(current);
        });
    }

    /**
     * The user's typed words: they cut the current speaker off, enter both histories, and the next
     * speaker (the one who was not cut off; the next in turn if nobody spoke) answers them. A running
     * or held duet goes on alternating after the answer; an idle one answers once.
     *
     * @throws IllegalArgumentException if {@code text} is null or blank
     */
    public CompletableFuture<DuetTurn> userText(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text must be a non-blank text; got "
                    + (text == null ? "null" : "'" + text + "'"));
        }
        CompletableFuture<DuetTurn> answer = new CompletableFuture<>();
        submit(() -> {
            userWords(text.strip(), false, answer);
            return null;
        }).exceptionally(e -> {
            answer.completeExceptionally(e);
            return null;
        });
        return answer;
    }

    /**
     * Changes {@code role}'s agent: {@code change} maps its current spec to the new one (for example
     * {@code a -> a.withLanguage("fr")}). The new instructions, name and language reach both agents'
     * prompts now; the voice and language are used from the agent's next turn. The future fails with
     * an {@link IllegalArgumentException} (and nothing changes) if the language has no voice or the
     * voice is not one of the language's.
     */
    public CompletableFuture<DuetAgent> setAgent(DuetRole role, UnaryOperator<DuetAgent> change) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(change, "change");
        return submit(() -> {
            Agent a = agents.get(role);
            DuetAgent updated = voices.resolve(Objects.requireNonNull(change.apply(a.spec), "the changed agent"));
            a.spec = updated;
            publishSpecs();
            for (Agent x : agents.values()) {
                x.session.setInstructions(systemPrompt(x.role));
            }
            emit(l -> l.agentUpdated(role, updated));
            return updated;
        });
    }

    /**
     * A new conversation: cuts the current speaker off, stops the alternation, clears both histories
     * (the instructions stay); the next {@link #start()} opens with A again.
     */
    public CompletableFuture<Void> reset() {
        return submit(() -> {
            cut(current);
            endDuet(DuetEndReason.STOPPED);
            epoch++;
            for (Agent a : agents.values()) {
                a.session.clearHistory();
            }
            lastLine = null;
            nextSpeaker = DuetRole.A;
            completedTurns = 0;
            emit(DuetListener::historyCleared);
            return null;
        });
    }

    /** Where the duet is, as of its last change. Never blocks. */
    public State state() {
        return publicState;
    }

    /** The agents' current specs (voices resolved). Never blocks. */
    public Map<DuetRole, DuetAgent> agents() {
        return specs;
    }

    /** {@code role}'s agent session (its history, its state). */
    public AgentSession session(DuetRole role) {
        return agents.get(Objects.requireNonNull(role, "role")).session;
    }

    /** The languages and voices the agents may use. */
    public VoiceCatalog voices() {
        return voices;
    }

    /** The duet's executor (its events run there). */
    public SessionExecutor executor() {
        return executor;
    }

    public String name() {
        return name;
    }

    /**
     * Closes both agents' sessions (and so their transports) and, if the duet made it, its executor.
     * Idempotent. Waits for the sessions to close (see {@link AgentSession#close()}).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        publicState = State.CLOSED;
        for (Agent a : agents.values()) {
            if (a.session != null) {
                a.session.close();
            }
        }
        if (ownsExecutor) {
            executor.close();
        }
        log.info("{} closed", name);
    }

    @Override
    public String toString() {
        return "Duet[" + name + ", " + publicState + "]";
    }

    // =====================================================================================
    // Sessions
    // =====================================================================================

    private void open(Function<DuetRole, AgentTransport> transports, Builder b) {
        try {
            for (DuetRole r : DuetRole.values()) {
                Agent a = agents.get(r);
                AgentTransport t = Objects.requireNonNull(transports.apply(r), "the transport of agent " + r);
                Set<String> ignored = Set.copyOf(b.ignoredUsers);
                boolean ear = r == listening;
                TurnTap tap = new TurnTap(t, b.holdTurns, user -> ear && !ignored.contains(user),
                        (roundId, text, pcm, format) -> post(() -> onTurnReady(r, roundId, text, pcm, format)));
                AgentSession.Builder sb = AgentSession.builder()
                        .name(name + "-" + r)
                        .llm(b.llms.get(r))
                        .tts(a.voice)
                        .stt(b.stt)
                        .vad(b.vad)
                        .interruptMode(InterruptMode.VOICE_ACTIVATION)
                        .minInterruptDuration(Duration.ZERO)
                        .falseInterruptionTimeout(Duration.ZERO)
                        .autoRespond(false)
                        .maxHistoryMessages(b.maxHistoryMessages)
                        .instructions(systemPrompt(r))
                        .listener(tap)
                        .listener(new SessionEvents(r));
                a.session = sb.build().start(tap);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("{} open: A {} / B {}, {} turns max{}", name, specs.get(DuetRole.A), specs.get(DuetRole.B), maxTurns,
                stopPhrase == null ? "" : ", stop phrase '" + stopPhrase + "'");
    }

    /** An agent session's events -> the duet's executor. Runs on the session's executor: posts only. */
    private final class SessionEvents implements AgentSessionListener {
        private final DuetRole role;

        SessionEvents(DuetRole role) {
            this.role = role;
        }

        @Override
        public void roundStarted(long roundId) {
            post(() -> onRoundStarted(role, roundId));
        }

        @Override
        public void roundEnded(RoundResult result) {
            post(() -> onRoundEnded(role, result));
        }

        @Override
        public void userSpeechStarted(String userId) {
            post(Duet.this::onUserSpeechStarted);
        }

        @Override
        public void userTranscript(String userId, String text) {
            post(() -> onUserTranscript(text));
        }

        @Override
        public void turnFailed(String userId, Throwable error) {
            post(() -> {
                emit(l -> l.userSpeechFailed(error));
                onUserTranscript("");
            });
        }
    }

    // =====================================================================================
    // Turns: the duet's executor only
    // =====================================================================================

    /** The next speaker answers the last line heard, or opens the conversation. */
    private void continueConversation() {
        String line = lastLine != null ? lastLine
                : opening.replace("{other}", agents.get(nextSpeaker.other()).spec.name());
        speak(nextSpeaker, line);
    }

    /** Asks {@code role} to answer {@code line} (which enters its history as a user message). */
    private DuetTurn speak(DuetRole role, String line) {
        Agent a = agents.get(role);
        if (!a.spec.voice().equals(a.voice.voice())) {
            a.voice.use(a.spec.voice(), voices.tts(a.spec.voice()));
        }
        DuetTurn info = new DuetTurn(++turnSeq, role, a.spec.name(), a.spec.language(), a.spec.voice());
        Turn t = new Turn(info, epoch);
        current = t;
        emit(l -> l.turnStarted(info));
        CompletableFuture<Boolean> otherCut = agents.get(role.other()).cutting;
        if (otherCut == null || otherCut.isDone()) {
            send(a, t, line);
        } else {
            // The other agent's cut audio is being dropped on its executor: speak once it is gone, so the
            // two never overlap on the wire.
            t.deferred = true;
            otherCut.whenComplete((x, e) -> post(() -> {
                t.deferred = false;
                if (!t.cut) {
                    send(a, t, line);
                }
            }));
        }
        return info;
    }

    /** Hands {@code line} to {@code a}'s session as turn {@code t}. */
    private void send(Agent a, Turn t, String line) {
        a.unbound.add(t);
        a.session.sendText(line).exceptionally(e -> {
            post(() -> {
                a.unbound.remove(t);
                emit(l -> l.turnFailed(t.info, e));
                if (current == t) {
                    current = null;
                    endDuet(DuetEndReason.FAILED);
                }
            });
            return null;
        });
    }

    private void onRoundStarted(DuetRole role, long roundId) {
        Agent a = agents.get(role);
        Turn t = a.unbound.poll();
        if (t == null) {
            log.warn("{}: agent {} started round {} that the duet did not ask for", name, role, roundId);
            return;
        }
        t.roundId = roundId;
        a.byRound.put(roundId, t);
    }

    private void onTurnReady(DuetRole role, long roundId, String text, byte[] pcm, PcmFormat format) {
        Turn t = agents.get(role).byRound.get(roundId);
        if (t == null || t != current || t.cut) {
            return; // cut off before its speech was complete: nothing of it is handed out
        }
        emit(l -> l.agentSpoke(t.info, text, pcm, format));
    }

    private void onRoundEnded(DuetRole role, RoundResult r) {
        Agent a = agents.get(role);
        Turn t = a.byRound.remove(r.roundId());
        if (t == null) {
            return;
        }
        String heard = r.heard() == null ? "" : r.heard().strip();
        boolean interrupted = r.reason() == RoundEndReason.INTERRUPTED;
        String line = heard.isEmpty() ? null : t.info.name() + ": " + heard;
        if (r.reason() == RoundEndReason.FAILED && r.failure() != null) {
            emit(l -> l.turnFailed(t.info, r.failure()));
        }
        boolean isCurrent = t == current;
        if (isCurrent) {
            current = null;
        }
        if (interrupted && isCurrent && !t.cut) {
            // The listening agent's own VAD cut it off: the user is speaking.
            t.cut = true;
            holdForVoice();
            emit(l -> l.speakerInterrupted(t.info));
        }
        boolean continues = isCurrent && !interrupted && state == State.RUNNING;
        if (line != null && t.epoch == epoch) {
            lastLine = line;
            nextSpeaker = role.other();
            if (!continues) {
                agents.get(role.other()).session.addMessage(ChatMessage.user(line));
            }
        }
        emit(l -> l.turnEnded(t.info, heard, interrupted));
        if (!continues) {
            return;
        }
        if (line == null) {
            endDuet(DuetEndReason.FAILED);
            return;
        }
        completedTurns++;
        if (stopPhrase != null && normalize(heard).contains(stopPhrase)) {
            endDuet(DuetEndReason.STOP_PHRASE);
        } else if (completedTurns >= maxTurns) {
            endDuet(DuetEndReason.TURN_LIMIT);
        } else {
            speak(role.other(), line);
        }
    }

    /** Cuts {@code t} off (its session drops its audio); no-op for null. Whether it was live. */
    private boolean cut(Turn t) {
        if (t == null || t.cut) {
            return false;
        }
        t.cut = true;
        if (current == t) {
            current = null;
        }
        nextSpeaker = t.info.role().other();
        Agent a = agents.get(t.info.role());
        a.cutting = a.session.interrupt();
        emit(l -> l.speakerInterrupted(t.info));
        if (t.deferred) {
            emit(l -> l.turnEnded(t.info, "", true)); // cut before it reached its session: no round reports it
        }
        return true;
    }

    private void onUserSpeechStarted() {
        holdForVoice();
        cut(current);
        emit(DuetListener::userSpeechStarted);
    }

    private void holdForVoice() {
        if (state == State.RUNNING) {
            setState(State.HELD);
            heldByVoice = true;
        }
    }

    private void onUserTranscript(String text) {
        if (text != null && !text.isBlank()) {
            userWords(text.strip(), true, null);
        } else if (state == State.HELD && heldByVoice && current == null) {
            setState(State.RUNNING); // a cough, an "mm": the duet goes on
            heldByVoice = false;
            continueConversation();
        }
    }

    /**
     * The user's words: cut the speaker, then (once its session has dropped its audio and reported what
     * was heard, so that line enters the histories first) the next speaker answers them.
     */
    private void userWords(String text, boolean spoken, CompletableFuture<DuetTurn> answer) {
        if (replyPending) {
            // The previous words wait for a cut: these follow them, in order.
            userQueue.add(() -> userWords(text, spoken, answer));
            return;
        }
        Turn t = current;
        DuetRole next = t != null ? t.info.role().other() : nextSpeaker;
        boolean goOn = state != State.IDLE;
        long asOf = epoch;
        emit(l -> l.userText(text, spoken));
        Runnable reply = () -> {
            replyPending = false;
            try {
                if (closed.get()) {
                    return;
                }
                if (epoch != asOf) {
                    if (answer != null) {
                        answer.cancel(false); // a reset came first: the words went with the old histories
                    }
                    return;
                }
                if (current != null) {
                    cut(current); // a turn started meanwhile (a resume): the user's words come first
                }
                setState(goOn ? State.RUNNING : State.IDLE);
                heldByVoice = false;
                String line = USER_LABEL + ": " + text;
                lastLine = line;
                agents.get(next.other()).session.addMessage(ChatMessage.user(line));
                DuetTurn turn = speak(next, line);
                if (answer != null) {
                    answer.complete(turn);
                }
            } finally {
                Runnable queued = userQueue.poll();
                if (queued != null) {
                    queued.run();
                }
            }
        };
        if (t != null && cut(t)) {
            // The interrupt cut() queued on the session completes once it has run and reported the
            // round's end to us: what was heard of it enters the histories before the user's words.
            replyPending = true;
            agents.get(t.info.role()).cutting.whenComplete((x, e) -> post(reply));
        } else {
            reply.run();
        }
    }

    private void endDuet(DuetEndReason reason) {
        if (state == State.RUNNING || state == State.HELD) {
            setState(State.IDLE);
            heldByVoice = false;
            emit(l -> l.duetEnded(reason));
        }
    }

    private void setState(State s) {
        state = s;
        if (!closed.get()) {
            publicState = s;
        }
    }

    private void publishSpecs() {
        Map<DuetRole, DuetAgent> s = new EnumMap<>(DuetRole.class);
        agents.forEach((r, a) -> s.put(r, a.spec));
        specs = Map.copyOf(s);
    }

    /** The system prompt of {@code role}: its instructions, who it talks with, its language. */
    private String systemPrompt(DuetRole role) {
        DuetAgent me = agents.get(role).spec;
        DuetAgent other = agents.get(role.other()).spec;
        String language = voices.language(me.language()).displayName();
        return (me.instructions().isEmpty() ? "" : me.instructions() + "\n\n")
                + "You are " + me.name() + ", in a spoken conversation with " + other.name()
                + ". A user listens and may join in; their lines start with \"" + USER_LABEL + ":\". "
                + "Answer the last line in one or two short sentences, with no lists or markup. "
                + "Always answer in " + language + " (language code " + me.language() + ").";
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[\\p{Punct}\\s]+", " ").strip();
    }

    // =====================================================================================
    // Posting and events
    // =====================================================================================

    private <T> CompletableFuture<T> submit(Supplier<T> command) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (closed.get()) {
            f.completeExceptionally(new IllegalStateException(this + " is closed"));
            return f;
        }
        executor.execute(() -> {
            if (closed.get()) {
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

    private void post(Runnable task) {
        if (!closed.get()) {
            executor.execute(() -> {
                if (!closed.get()) {
                    task.run();
                }
            });
        }
    }

    private void emit(Consumer<DuetListener> event) {
        io.voiceagent.core.concurrent.Listeners.emit(listeners, event, log, name);
    }

    // =====================================================================================
    // Builder
    // =====================================================================================

    /**
     * Builder of a {@link Duet}; not thread-safe. Required: both {@link #agent agents}, an
     * {@link #llm}, {@link #voices}, an {@link #stt} (for the user's voice) and {@link #transports}.
     * {@link #open()} checks the combination, builds both sessions and starts them on their transports.
     */
    public static final class Builder {
        private final Map<DuetRole, DuetAgent> agents = new EnumMap<>(DuetRole.class);
        private final Map<DuetRole, ChatClient> llms = new EnumMap<>(DuetRole.class);
        private VoiceCatalog voices;
        private SpeechToText stt;
        private VadOptions vad = VadOptions.defaults();
        private Function<DuetRole, AgentTransport> transports;
        private SessionExecutor executor;
        private int maxTurns = 20;
        private String stopPhrase;
        private int maxHistoryMessages = 40;
        private String opening = "Please start the conversation with {other}.";
        private boolean holdTurns;
        private DuetRole listening = DuetRole.A;
        private final Set<String> ignoredUsers = new java.util.LinkedHashSet<>();
        private final List<DuetListener> listeners = new ArrayList<>();
        private String name;

        private Builder() {
        }

        /** Who agent {@code role} is. */
        public Builder agent(DuetRole role, DuetAgent agent) {
            agents.put(Objects.requireNonNull(role, "role"), Objects.requireNonNull(agent, "agent"));
            return this;
        }

        /** The chat LLM of both agents (each request carries that agent's own history). */
        public Builder llm(ChatClient llm) {
            Objects.requireNonNull(llm, "llm");
            llms.put(DuetRole.A, llm);
            llms.put(DuetRole.B, llm);
            return this;
        }

        /** The chat LLM of agent {@code role} only. */
        public Builder llm(DuetRole role, ChatClient llm) {
            llms.put(Objects.requireNonNull(role, "role"), Objects.requireNonNull(llm, "llm"));
            return this;
        }

        /** The languages, voices and TTS engines the agents may use. */
        public Builder voices(VoiceCatalog voices) {
            this.voices = Objects.requireNonNull(voices, "voices");
            return this;
        }

        /** Speech recognition of the user's voice (the listening agent's session uses it). */
        public Builder stt(SpeechToText stt) {
            this.stt = Objects.requireNonNull(stt, "stt");
            return this;
        }

        /** Turn detection of the user's voice (default {@link VadOptions#defaults()}). */
        public Builder vad(VadOptions vad) {
            this.vad = Objects.requireNonNull(vad, "vad");
            return this;
        }

        /**
         * Makes each agent's transport (called once per role in {@link #open()}; the agent's session owns
         * it from then on). The transports' executors must run on the same clock as the duet's.
         */
        public Builder transports(Function<DuetRole, AgentTransport> transports) {
            this.transports = Objects.requireNonNull(transports, "transports");
            return this;
        }

        /** The duet's own executor (default: one on the shared I/O pool, closed with the duet). Not closed by the duet. */
        public Builder executor(SessionExecutor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Turns (A's and B's together) after which a running duet ends; 1..10000, default 20. */
        public Builder maxTurns(int maxTurns) {
            this.maxTurns = maxTurns;
            return this;
        }

        /**
         * A phrase that ends the duet when an agent says it (case and punctuation ignored), such as
         * {@code "goodbye"}; null (the default) for none.
         */
        public Builder stopPhrase(String stopPhrase) {
            this.stopPhrase = stopPhrase;
            return this;
        }

        /** How many messages each agent's history keeps (oldest forgotten first); 2..10000, default 40. */
        public Builder maxHistoryMessages(int maxHistoryMessages) {
            this.maxHistoryMessages = maxHistoryMessages;
            return this;
        }

        /**
         * What the first speaker is asked (a user message with no speaker label) when there is nothing
         * to answer yet; {@code {other}} stands for the other agent's name. Default "Please start the conversation with {other}."
         */
        public Builder opening(String opening) {
            this.opening = opening;
            return this;
        }

        /**
         * Whether a turn's audio reaches the transport only once its whole speech is synthesized (true:
         * the playback timeline then starts when {@link DuetListener#agentSpoke} hands the whole turn out,
         * as a client that plays one WAV per turn needs), or streams as it is synthesized (false, the
         * default: an RTC channel).
         */
        public Builder holdTurns(boolean holdTurns) {
            this.holdTurns = holdTurns;
            return this;
        }

        /** The agent whose session hears the user (default A); the other hears no one. */
        public Builder listeningAgent(DuetRole role) {
            this.listening = Objects.requireNonNull(role, "role");
            return this;
        }

        /** Remote user ids that are not the user: the agents' own ids in an RTC channel. */
        public Builder ignoredUsers(Set<String> userIds) {
            ignoredUsers.clear();
            ignoredUsers.addAll(Objects.requireNonNull(userIds, "userIds"));
            return this;
        }

        /** Adds a listener (any number; called in the order added). */
        public Builder listener(DuetListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The name in logs (default {@code duet-N}); the sessions are named NAME-A and NAME-B. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Checks the configuration, builds both agents' sessions and starts them on their transports.
         * The duet is {@link State#IDLE} until {@link Duet#start()}.
         *
         * @throws IllegalArgumentException naming the parameter that is missing or out of range
         */
        public Duet open() {
            for (DuetRole r : DuetRole.values()) {
                if (!agents.containsKey(r)) {
                    throw new IllegalArgumentException("agent " + r + " must be set: agent(DuetRole." + r + ", ...)");
                }
                if (!llms.containsKey(r)) {
                    throw new IllegalArgumentException("llm must be set (for agent " + r + ")");
                }
            }
            if (voices == null) {
                throw new IllegalArgumentException("voices must be set: the agents' languages and voices");
            }
            if (stt == null) {
                throw new IllegalArgumentException("stt must be set: it recognizes the user's voice");
            }
            if (transports == null) {
                throw new IllegalArgumentException("transports must be set: each agent speaks on a transport");
            }
            if (maxTurns < 1 || maxTurns > 10_000) {
                throw new IllegalArgumentException("maxTurns must be in 1..10000; got " + maxTurns);
            }
            if (maxHistoryMessages < 2 || maxHistoryMessages > 10_000) {
                throw new IllegalArgumentException("maxHistoryMessages must be in 2..10000; got " + maxHistoryMessages);
            }
            if (stopPhrase != null && normalize(stopPhrase).isEmpty()) {
                throw new IllegalArgumentException("stopPhrase must be null or contain a word; got '" + stopPhrase + "'");
            }
            if (opening == null || opening.isBlank()) {
                throw new IllegalArgumentException("opening must not be blank; got " + opening);
            }
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank; got '" + name + "'");
            }
            Duet d = new Duet(this); // resolves the voices: IllegalArgumentException for a language with none
            d.open(transports, this);
            return d;
        }
    }
}
