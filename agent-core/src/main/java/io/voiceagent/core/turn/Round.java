package io.voiceagent.core.turn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One conversation round (user turn -> LLM -> TTS -> audio out), created by
 * {@link RoundManager#startRound}. Like OkHttp's {@code Call}: single use, and {@link #cancel()}
 * from any thread, idempotent, cascades to everything the round owns.
 *
 * <p><b>Lifecycle.</b> A round is <i>open</i> (accepting audio) until its producer calls
 * {@link #complete()} or {@link #fail(Throwable)}, or it is interrupted ({@link #cancel()},
 * {@link RoundManager#interrupt()}, a voice/ASR activation, or the next {@link RoundManager#startRound}).
 * After {@link #complete()} it ends {@link RoundEndReason#COMPLETED} as soon as its first audio
 * frame has been reported sent (at once if it wrote no audio), so the latency figures are
 * complete; its queued audio keeps playing until a later interrupt drops it.
 *
 * <p><b>What cancelling cascades to:</b> every {@link Cancellable} registered with {@link #own}
 * (the LLM request, the TTS stream, tasks), and the round's queued audio in the
 * {@link RoundAudioOutput}. When {@link #cancel()} returns, every later {@link #writeAudio} of this
 * round returns {@code false} without reaching the output, and no byte it wrote before will be
 * sent (the output has been cleared).
 *
 * <p>Thread-safe: producers on I/O threads write audio while the connection's thread interrupts.
 */
public final class Round {

    enum State { OPEN, DRAINING, ENDED }

    private final RoundManager manager;
    private final long id;
    private final long speechEndedNanos;

    // Transitions out of OPEN hold the manager's gate and stateLock; DRAINING -> ENDED holds
    // stateLock. Volatile for the lock-free is*() readers.
    volatile State state = State.OPEN;

    // Guarded by manager.stateLock.
    private final List<Cancellable> owned = new ArrayList<>();
    RoundEndReason endReason;
    InterruptTrigger trigger;
    Throwable failure;
    boolean wroteAudio;
    private boolean hasLlmToken;
    private long firstLlmTokenNanos;
    private boolean hasAudio;
    private long firstAudioNanos;
    private boolean hasFrameSent;
    private long firstFrameSentNanos;

    Round(RoundManager manager, long id, long speechEndedNanos) {
        this.manager = manager;
        this.id = id;
        this.speechEndedNanos = speechEndedNanos;
    }

    /** The round id: 1 for the manager's first round, then increasing by one. */
    public long id() {
        return id;
    }

    /** Whether the round still accepts audio (not completed, failed or interrupted). */
    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Whether the round has ended (its {@link RoundListener#roundEnded} event is queued or delivered). */
    public boolean isEnded() {
        return state == State.ENDED;
    }

    /** Whether the round was interrupted ({@link RoundEndReason#INTERRUPTED}). */
    public boolean isCancelled() {
        synchronized (manager.stateLock) {
            return endReason == RoundEndReason.INTERRUPTED;
        }
    }

    /**
     * Registers work to cancel if this round is interrupted or fails. If the round has already
     * ended that way, cancels {@code task} at once.
     *
     * @return {@code false} if the round had already ended (the task was cancelled unless the round completed)
     */
    public boolean own(Cancellable task) {
        Objects.requireNonNull(task, "task");
        boolean cancelNow;
        synchronized (manager.stateLock) {
            if (state != State.ENDED) {
                owned.add(task);
                return true;
            }
            cancelNow = endReason != RoundEndReason.COMPLETED;
        }
        if (cancelNow) {
            RoundManager.cancelQuietly(task);
        }
        return false;
    }

    /** {@link #writeAudio(byte[], int, int)} of the whole array. */
    public boolean writeAudio(byte[] pcm) {
        return writeAudio(pcm, 0, pcm.length);
    }

    /**
     * Queues PCM of this round on the manager's {@link RoundAudioOutput}, if the round is open.
     * The check and the write are atomic with respect to interrupts. The first accepted write
     * records the first-audio latency figure.
     *
     * @return {@code true} if written; {@code false} if the round is no longer open (the bytes are
     *     dropped; a producer should stop)
     * @throws RuntimeException whatever the output throws (for example a full buffer)
     */
    public boolean writeAudio(byte[] pcm, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, pcm.length);
        return manager.write(this, pcm, offset, length);
    }

    /**
     * Ends the current utterance on the output (its trailing partial frame is padded and sent),
     * if the round is open.
     *
     * @return whether the round was open
     */
    public boolean endAudioSegment() {
        return manager.endSegment(this);
    }

    /** Records the first-LLM-token latency figure (the first call counts; later ones are ignored). */
    public void markFirstLlmToken() {
        long now = manager.ticker.nanoTime();
        synchronized (manager.stateLock) {
            if (!hasLlmToken && state != State.ENDED) {
                hasLlmToken = true;
                firstLlmTokenNanos = now;
            }
        }
    }

    /**
     * The producer finished: no more audio will be written. The round ends
     * {@link RoundEndReason#COMPLETED} once its first frame is reported sent (at once if it wrote
     * nothing or that already happened). Idempotent.
     *
     * @return whether the round was open
     */
    public boolean complete() {
        return manager.complete(this);
    }

    /**
     * The producer failed: ends the round {@link RoundEndReason#FAILED} and cancels what it owns.
     * Audio already queued is not dropped. No-op if the round already ended.
     *
     * @return whether this call ended the round
     */
    public boolean fail(Throwable cause) {
        return manager.fail(this, Objects.requireNonNull(cause, "cause"));
    }

    /**
     * Interrupts this round ({@link InterruptTrigger#EXPLICIT}): see the class comment. Any thread;
     * idempotent; a round that already ended is not affected, but if its audio is still the
     * newest queued audio, that audio is dropped.
     *
     * @return whether a live round was cancelled or queued audio dropped
     */
    public boolean cancel() {
        return manager.interrupt(this, InterruptTrigger.EXPLICIT);
    }

    /** A snapshot of the latency figures reached so far. */
    public RoundLatency latency() {
        synchronized (manager.stateLock) {
            return latencyLocked();
        }
    }

    // --- called by the manager with stateLock held ---

    RoundLatency latencyLocked() {
        return new RoundLatency(hasLlmToken ? since(firstLlmTokenNanos) : null, hasAudio ? since(firstAudioNanos) : null,
                hasFrameSent ? since(firstFrameSentNanos) : null);
    }

    private Duration since(long nanos) {
        return Duration.ofNanos(Math.max(0, nanos - speechEndedNanos));
    }

    void recordAudioLocked(long now) {
        wroteAudio = true;
        if (!hasAudio) {
            hasAudio = true;
            firstAudioNanos = now;
        }
    }

    /** @return whether this was the first frame-sent report */
    boolean recordFrameSentLocked(long sentNanos) {
        if (hasFrameSent || !wroteAudio) {
            return false;
        }
        hasFrameSent = true;
        firstFrameSentNanos = sentNanos;
        return true;
    }

    boolean hasFrameSentLocked() {
        return hasFrameSent;
    }

    List<Cancellable> takeOwnedLocked() {
        List<Cancellable> copy = List.copyOf(owned);
        owned.clear();
        return copy;
    }

    RoundResult resultLocked() {
        return new RoundResult(id, endReason, trigger, failure, latencyLocked());
    }

    @Override
    public String toString() {
        return "Round[" + id + ", " + state + "]";
    }
}
