package io.voiceagent.core.pacing;

/**
 * Events of one {@link AudioConsumer}, for metrics, benchmarks and error handling.
 *
 * <p>All methods are called on the pacer thread, which drives every consumer of the pacer, and never
 * with a lock of the consumer held. They must be fast, must not block and should not throw (a
 * throwable is caught and logged): time spent here delays every other stream of the pacer. The
 * intended use is to record a figure or to post a fact to the thread that owns the stream (an agent
 * session's executor) and return. They may call {@link AudioConsumer#push},
 * {@link AudioConsumer#clear()} or {@link AudioConsumer#close()}.
 * All methods have no-op defaults. Times are readings of the pacer's
 * {@link io.voiceagent.core.time.Ticker} in nanoseconds.
 */
public interface AudioConsumerListener {

    /**
     * {@code frameCount} 10 ms frames were handed to the sink in one call.
     *
     * @param deadlineNanos when the first (earliest-due) frame of this call was due: its send
     *     deadline (play-out time minus lead), or the time its audio was pushed if that was later.
     *     The other frames of the call were due later, so {@code sentNanos - deadlineNanos} is the
     *     worst lateness in the call.
     * @param sentNanos the ticker reading just before the sink was called
     */
    default void framesSent(AudioConsumer consumer, int frameCount, long deadlineNanos, long sentNanos) {}

    /**
     * The send just reported by {@link #framesSent} took the last whole frame that was waiting: the
     * consumer has nothing more to send until the next push. Called right after that
     * {@code framesSent}.
     *
     * @param playoutEndNanos when the last frame sent finishes playing (its play-out time plus 10 ms)
     */
    default void drained(AudioConsumer consumer, long playoutEndNanos) {}

    /**
     * The receiver ran out of audio in the middle of a segment: audio arrived (or the pacer got to
     * it) after everything sent before had finished playing. The consumer restarted its timeline
     * with a fresh lead. Gaps after {@link AudioConsumer#endSegment()} are not underruns.
     *
     * @param silentNanos how long the receiver had nothing to play
     */
    default void underrun(AudioConsumer consumer, long silentNanos) {}

    /**
     * The sink threw; the consumer has stopped, dropped its buffered audio and rejects further
     * pushes. Other consumers of the pacer are unaffected.
     */
    default void sinkFailed(AudioConsumer consumer, Throwable error) {}
}
