package io.voiceagent.core.agent;

import io.voiceagent.core.audio.PcmFormat;

/**
 * Where a session's speech goes: a paced audio output of a transport (an Agora track, a WebSocket,
 * an in-memory sink). The session is its only writer and calls it only from the session's executor;
 * the output sends on its own thread (the pacer) and reports what it sent through the
 * {@link Listener}.
 *
 * <p><b>The barge-in contract.</b> {@link #clear()} drops everything written and not yet played out
 * on this side, <i>including the transport's own send buffer</i> (the SDK's sender buffer, a socket
 * queue the transport controls), and returns only when no send of dropped audio is in flight. So when
 * it returns, no byte written before it can reach the remote side. This is how the session keeps
 * "no byte of an interrupted round reaches the channel after the interrupt".
 *
 * <p>Implementations must be thread-safe, never block on the pace of the channel in {@link #write},
 * and never call the session (or any listener but their own {@link Listener}) while holding a lock.
 * {@link PacedOutput} is the ready-made one over an {@link io.voiceagent.core.pacing.AudioConsumer}.
 */
public interface AgentOutput extends AutoCloseable {

    /** The format of every {@link #write}: what TTS must produce. */
    PcmFormat format();

    /**
     * Queues {@code length} bytes of PCM16 in {@link #format()}; any length; copies them.
     *
     * @throws io.voiceagent.core.pacing.AudioBufferFullException if more than the output's buffer would wait
     * @throws IllegalStateException if the output is closed
     */
    void write(byte[] pcm, int offset, int length);

    /** Ends an utterance: a trailing partial frame is padded and sent; a pause after it is not an underrun. */
    void endSegment();

    /**
     * Drops everything not yet played out, here and in the transport's buffer (see the class comment).
     *
     * @return bytes dropped on this side (the transport's buffer not counted)
     */
    long clear();

    /** Bytes written and not yet handed to the channel (a partial frame and padding included). */
    long pendingBytes();

    /**
     * When the last audio handed to the channel finishes playing, on the session executor's ticker.
     * In the past when nothing is playing.
     */
    long playoutEndNanos();

    /**
     * Stops playback without dropping it, for a barge-in that may turn out false: nothing more is sent,
     * audio handed to the channel but not yet played (by the output's play-out schedule) is taken back
     * (and the transport's buffer cleared), so {@link #resume()} continues from the first frame the
     * user has not heard. Writes are still accepted. An output that cannot pause returns false and
     * does nothing (the session then clears instead).
     *
     * @return whether the output paused
     */
    default boolean pause() {
        return false;
    }

    /** Continues after {@link #pause()}. No-op when not paused. */
    default void resume() {
    }

    /**
     * Bytes of audio the user has heard so far by the output's play-out schedule (monotonic; audio
     * dropped by {@link #clear()} or taken back by {@link #pause()} before it played does not count),
     * or -1 if the output cannot tell. The session reads it to know exactly what was heard of an
     * interrupted answer.
     */
    default long playedBytes() {
        return -1;
    }

    /** Sets who receives the send reports (the session, when it starts); null for none. */
    void setListener(Listener listener);

    /** Stops the output: drops what is queued and releases what it owns. Idempotent. */
    @Override
    void close();

    /**
     * Reports of an {@link AgentOutput}, called on the output's sending thread (the process-wide
     * pacer thread), never with a lock held. Implementations must only record or post and return: no
     * blocking, no listener calls, no session state.
     */
    interface Listener {

        /** Frames were handed to the channel at {@code sentNanos} (the ticker's reading at the send). */
        void framesSent(long sentNanos);

        /**
         * The output has sent everything written so far; the last frame finishes playing at
         * {@code playoutEndNanos}. Reported after the {@link #framesSent} of that send.
         */
        void drained(long playoutEndNanos);

        /**
         * The far end reported where playback of a segment stopped: {@code played} of it was played,
         * and it was {@code interrupted} (cut off by {@link #clear()}) or played to its end. One
         * report per segment (an {@link #endSegment()}, or a {@link #clear()} that cut one), in order.
         * Only outputs that play through a remote player report it (an avatar worker's
         * {@code stream_ended} acks); called on the output's receiving thread. Default: ignored.
         */
        default void playbackEnded(java.time.Duration played, boolean interrupted) {}
    }
}
