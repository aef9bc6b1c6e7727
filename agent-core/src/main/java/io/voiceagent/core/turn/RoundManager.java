package io.voiceagent.core.turn;

import io.voiceagent.core.time.Ticker;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rounds of one conversation (one remote user on one connection): opens round N+1 at each
 * end of user speech, and interrupts the agent when the user barges in, according to the
 * {@link InterruptMode}.
 *
 * <p><b>The guarantee.</b> All audio of all rounds goes through {@link Round#writeAudio}, which
 * forwards it to the {@link RoundAudioOutput} under the manager's lock only while the round is
 * open. An interrupt takes the same lock, closes the round and calls
 * {@link RoundAudioOutput#clear()} before releasing it. So when {@link #interrupt()} (or
 * {@link Round#cancel()}, {@link #onSpeechStarted()}, {@link #onRecognizedText}, {@link #startRound})
 * returns, no byte of the interrupted round is queued, none is in flight (the output's
 * {@code clear()} waits for a send in progress), and none can be written later. Then the round's
 * owned work ({@link Round#own}) is cancelled, before the call returns.
 *
 * <p><b>Wiring</b> (done by the connection layer):
 * <ul>
 * <li>VAD speech start: {@link #onSpeechStarted()} (interrupts in VOICE_ACTIVATION mode; in
 *     ASR_ACTIVATION mode marks the round that the coming text may interrupt);</li>
 * <li>recognized text (partial or final): {@link #onRecognizedText(String)};</li>
 * <li>end of user speech: {@link #startRound(long)} with the VAD's end time, then run the round's
 *     pipeline (STT, LLM, TTS) writing audio with {@link Round#writeAudio};</li>
 * <li>the pacer's frames-sent callback: {@link #audioFramesSent(long)} (latency figure).</li>
 * </ul>
 *
 * <p><b>Threads.</b> Every method may be called from any thread. State is guarded by one lock
 * (the <i>gate</i>), held briefly: round bookkeeping, writes into the output and the output's
 * clear. A second, leaf lock guards round states and latency figures so that
 * {@link #audioFramesSent} (called on the pacer thread, which {@code clear()} may wait for) never
 * waits for the gate. Owned work is cancelled and listener events delivered outside both locks.
 * Round ids increase by one from 1 and are never reused.
 *
 * <p><b>Ownership.</b> The manager does not own the output (the connection does) and does not
 * close it. {@link #close()} interrupts the current round and rejects new rounds; idempotent.
 */
public final class RoundManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RoundManager.class);

    private final RoundManagerConfig config;
    private final RoundAudioOutput output;
    private final RoundListener listener;
    final Ticker ticker;

    private final ReentrantLock gate = new ReentrantLock();
    /** Leaf lock: round states, latency figures, owned lists, event order. Never held while calling out. */
    final Object stateLock = new Object();

    // Guarded by gate.
    private long nextId = 1;
    private Round current;            // the newest round (may have ended)
    private boolean outputDirty;      // written since the last clear
    private Round asrTarget;          // ASR mode: the round the coming text may interrupt
    private boolean closed;

    // Written under gate, read without a lock by audioFramesSent.
    private volatile Round lastWriter;

    private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean dispatching = new AtomicBoolean();

    /**
     * @param output receives the audio of every round; called with the manager's lock held
     * @param listener events (see {@link RoundListener}); use {@code new RoundListener() {}} for none
     * @param ticker the clock of the latency figures; must be the pacer's ticker if
     *     {@link #audioFramesSent(long)} is fed the pacer's times
     */
    public RoundManager(RoundManagerConfig config, RoundAudioOutput output, RoundListener listener, Ticker ticker) {
        this.config = Objects.requireNonNull(config, "config");
        this.output = Objects.requireNonNull(output, "output");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    public RoundManagerConfig config() {
        return config;
    }

    /** {@link #startRound(long)} with the current ticker reading as the end of user speech. */
    public Round startRound() {
        return startRound(ticker.nanoTime());
    }

    /**
     * Opens the next round. A previous round still open is interrupted
     * ({@link InterruptTrigger#NEW_ROUND}: its work cancelled, its audio dropped); a previous round
     * that completed and waits for its first frame ends {@link RoundEndReason#COMPLETED} and its
     * audio plays on, followed by the new round's.
     *
     * @param userSpeechEndedNanos when the user stopped speaking, on this manager's ticker; the
     *     origin of the round's latency figures
     * @throws IllegalStateException if the manager is closed
     */
    public Round startRound(long userSpeechEndedNanos) {
        List<Cancellable> toCancel = List.of();
        Round round;
        gate.lock();
        try {
            if (closed) {
                throw new IllegalStateException("RoundManager is closed");
            }
            Round prev = current;
            if (prev != null && prev.state == Round.State.OPEN) {
                toCancel = interruptLocked(prev, InterruptTrigger.NEW_ROUND).toCancel();
            } else if (prev != null && prev.state == Round.State.DRAINING) {
                synchronized (stateLock) {
                    endLocked(prev, RoundEndReason.COMPLETED, null, null);
                }
            }
            round = new Round(this, nextId++, userSpeechEndedNanos);
            current = round;
            asrTarget = null;
            long id = round.id();
            synchronized (stateLock) {
                events.add(() -> listener.roundStarted(id));
            }
        } finally {
            gate.unlock();
        }
        cancelAll(toCancel);
        dispatch();
        return round;
    }

    /**
     * The VAD reports the start of user speech. In {@link InterruptMode#VOICE_ACTIVATION}
     * interrupts the current round (see {@link #interrupt()}); in
     * {@link InterruptMode#ASR_ACTIVATION} remembers the current round as the one that
     * {@link #onRecognizedText} may interrupt (rounds started later are never interrupted by that
     * text).
     *
     * @return whether a round was interrupted or audio dropped
     */
    public boolean onSpeechStarted() {
        if (config.interruptMode() == InterruptMode.VOICE_ACTIVATION) {
            return interruptCurrent(InterruptTrigger.VOICE_ACTIVATION);
        }
        gate.lock();
        try {
            asrTarget = current;
        } finally {
            gate.unlock();
        }
        return false;
    }

    /**
     * Speech recognition returned text (partial or final) for the user's current speech. In
     * {@link InterruptMode#ASR_ACTIVATION}, if the text has at least
     * {@link RoundManagerConfig#minInterruptLetters()} letters or digits, interrupts the round
     * that was current at the last {@link #onSpeechStarted()} (once). Otherwise a no-op.
     *
     * @return whether a round was interrupted or audio dropped
     */
    public boolean onRecognizedText(String text) {
        if (config.interruptMode() != InterruptMode.ASR_ACTIVATION || text == null
                || countLettersOrDigits(text) < config.minInterruptLetters()) {
            return false;
        }
        List<Cancellable> toCancel = List.of();
        boolean cut = false;
        gate.lock();
        try {
            Round target = asrTarget;
            asrTarget = null;
            if (target != null) {
                Interruption i = interruptLocked(target, InterruptTrigger.ASR_ACTIVATION);
                toCancel = i.toCancel();
                cut = i.cut();
            }
        } finally {
            gate.unlock();
        }
        cancelAll(toCancel);
        dispatch();
        return cut;
    }

    /**
     * Interrupts the current round ({@link InterruptTrigger#EXPLICIT}): if it is open or waiting for
     * its first frame, it ends {@link RoundEndReason#INTERRUPTED} and its owned work is cancelled;
     * in any case the queued audio (of this round or an earlier completed one) is dropped. See the
     * class comment for what is guaranteed when this returns. Any thread; idempotent.
     *
     * @return whether a round was interrupted or audio dropped
     */
    public boolean interrupt() {
        return interruptCurrent(InterruptTrigger.EXPLICIT);
    }

    /** The newest round (possibly ended), or null before the first {@link #startRound}. */
    public Round currentRound() {
        gate.lock();
        try {
            return current;
        } finally {
            gate.unlock();
        }
    }

    /**
     * The output reports that frames were sent to the channel at {@code sentNanos} (this
     * manager's ticker): records the first-frame-sent figure of the round that last wrote audio,
     * and ends that round if it completed and was waiting for it. Takes no lock the output's
     * {@code clear()} could be waiting on, so it is safe to call from the pacer's send callback
     * ({@code AudioConsumerListener.framesSent}). Frames still playing from an earlier completed
     * round may be attributed to the newest writer; this affects only the latency figure.
     */
    public void audioFramesSent(long sentNanos) {
        Round r = lastWriter;
        if (r == null) {
            return;
        }
        synchronized (stateLock) {
            if (r.state == Round.State.ENDED || !r.recordFrameSentLocked(sentNanos)) {
                return;
            }
            if (r.state == Round.State.DRAINING) {
                endLocked(r, RoundEndReason.COMPLETED, null, null);
            }
        }
        dispatch();
    }

    /** Interrupts the current round ({@link InterruptTrigger#CLOSE}) and rejects new rounds. Idempotent. */
    @Override
    public void close() {
        gate.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            gate.unlock();
        }
        interruptCurrent(InterruptTrigger.CLOSE);
    }

    public boolean isClosed() {
        gate.lock();
        try {
            return closed;
        } finally {
            gate.unlock();
        }
    }

    // --- round operations ---

    boolean interrupt(Round round, InterruptTrigger trigger) {
        List<Cancellable> toCancel;
        boolean cut;
        gate.lock();
        try {
            Interruption i = interruptLocked(round, trigger);
            toCancel = i.toCancel();
            cut = i.cut();
        } finally {
            gate.unlock();
        }
        cancelAll(toCancel);
        dispatch();
        return cut;
    }

    private boolean interruptCurrent(InterruptTrigger trigger) {
        Round target;
        gate.lock();
        try {
            target = current;
        } finally {
            gate.unlock();
        }
        // If a newer round starts in between, it is not affected: the interrupt applies to the
        // round that was current when it was requested.
        return target != null && interrupt(target, trigger);
    }

    private record Interruption(List<Cancellable> toCancel, boolean cut) {
    }

    /**
     * Ends {@code target} if it is still live and drops the queued audio if it is {@code target}'s
     * or older. Queues the events; returns the owned work to cancel after unlocking.
     */
    private Interruption interruptLocked(Round target, InterruptTrigger trigger) {
        List<Cancellable> toCancel = List.of();
        boolean cutLive = false;
        synchronized (stateLock) {
            if (target.state != Round.State.ENDED) {
                toCancel = target.takeOwnedLocked();
                long id = target.id();
                events.add(() -> listener.interrupted(id, trigger));
                endLocked(target, RoundEndReason.INTERRUPTED, trigger, null);
                cutLive = true;
            }
        }
        Round writer = lastWriter;
        if (outputDirty && writer != null && writer.id() <= target.id()) {
            outputDirty = false;
            long dropped;
            try {
                dropped = output.clear();
            } catch (RuntimeException | Error e) {
                cancelAll(toCancel);
                throw e;
            }
            if (!cutLive && dropped > 0) {
                long id = writer.id();
                synchronized (stateLock) {
                    events.add(() -> listener.interrupted(id, trigger));
                }
                return new Interruption(toCancel, true);
            }
        }
        return new Interruption(toCancel, cutLive);
    }

    boolean write(Round round, byte[] pcm, int offset, int length) {
        gate.lock();
        try {
            if (round.state != Round.State.OPEN) {
                return false;
            }
            long now = ticker.nanoTime();
            output.write(round.id(), pcm, offset, length);
            outputDirty = true;
            lastWriter = round;
            synchronized (stateLock) {
                round.recordAudioLocked(now);
            }
        } finally {
            gate.unlock();
        }
        dispatch(); // events an output callback may have queued
        return true;
    }

    boolean endSegment(Round round) {
        gate.lock();
        try {
            if (round.state != Round.State.OPEN) {
                return false;
            }
            output.endSegment(round.id());
            return true;
        } finally {
            gate.unlock();
        }
    }

    boolean complete(Round round) {
        gate.lock();
        try {
            if (round.state != Round.State.OPEN) {
                return false;
            }
            synchronized (stateLock) {
                if (!round.wroteAudio || round.hasFrameSentLocked()) {
                    endLocked(round, RoundEndReason.COMPLETED, null, null);
                } else {
                    round.state = Round.State.DRAINING;
                }
            }
        } finally {
            gate.unlock();
        }
        dispatch();
        return true;
    }

    boolean fail(Round round, Throwable cause) {
        List<Cancellable> toCancel;
        gate.lock();
        try {
            synchronized (stateLock) {
                if (round.state == Round.State.ENDED) {
                    return false;
                }
                toCancel = round.takeOwnedLocked();
                endLocked(round, RoundEndReason.FAILED, null, cause);
            }
        } finally {
            gate.unlock();
        }
        cancelAll(toCancel);
        dispatch();
        return true;
    }

    /** With stateLock held (and the gate, if the round was OPEN). */
    private void endLocked(Round round, RoundEndReason reason, InterruptTrigger trigger, Throwable failure) {
        if (reason == RoundEndReason.COMPLETED) {
            round.takeOwnedLocked(); // finished work: released, not cancelled
        }
        round.state = Round.State.ENDED;
        round.endReason = reason;
        round.trigger = trigger;
        round.failure = failure;
        RoundResult result = round.resultLocked();
        events.add(() -> listener.roundEnded(result));
    }

    // --- helpers ---

    private static void cancelAll(List<Cancellable> tasks) {
        for (Cancellable c : tasks) {
            cancelQuietly(c);
        }
    }

    static void cancelQuietly(Cancellable c) {
        try {
            c.cancel();
        } catch (Throwable t) {
            log.warn("Cancellable {} threw on cancel; ignored", c, t);
        }
    }

    /** Delivers queued events in order, one at a time, on whichever caller gets here first. */
    private void dispatch() {
        if (gate.isHeldByCurrentThread()) {
            return; // the outermost call delivers after unlocking
        }
        while (!events.isEmpty()) {
            if (!dispatching.compareAndSet(false, true)) {
                return; // the thread dispatching now will see our events
            }
            try {
                Runnable e;
                while ((e = events.poll()) != null) {
                    try {
                        e.run();
                    } catch (Throwable t) {
                        log.warn("RoundListener threw; ignored", t);
                    }
                }
            } finally {
                dispatching.set(false);
            }
        }
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

    @Override
    public String toString() {
        Round r = currentRound();
        return "RoundManager[" + config.interruptMode() + ", current=" + r + "]";
    }
}
