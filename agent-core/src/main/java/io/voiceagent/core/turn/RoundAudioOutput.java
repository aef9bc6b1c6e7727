package io.voiceagent.core.turn;

/**
 * Where the audio of rounds goes: the connection's paced audio queue (an
 * {@code io.voiceagent.core.pacing.AudioConsumer}) in front of the SDK's sender. The
 * {@link RoundManager} is its only caller and calls it <b>with the manager's lock held</b>: writes
 * of a round that has been interrupted never reach it, and {@link #clear()} happens atomically with
 * the interrupt, which is how "no byte of round N reaches the channel after the interrupt returns"
 * is enforced.
 *
 * <p>Implementations must therefore not call back into the {@link RoundManager} or its rounds
 * (except {@link RoundManager#audioFramesSent(long)}, which takes no lock), must not block for long
 * and must not wait for a thread that waits for the manager. A typical adapter:
 *
 * <pre>{@code
 * RoundAudioOutput out = new RoundAudioOutput() {
 *     public void write(long roundId, byte[] pcm, int off, int len) { consumer.push(pcm, off, len); }
 *     public void endSegment(long roundId) { consumer.markSegmentComplete(); }
 *     public long clear() {
 *         long dropped = consumer.clear();   // returns only when no send of dropped audio is in flight
 *         track.clearSenderBuffer();         // what the SDK already holds (up to the pacer's lead)
 *         return dropped;
 *     }
 * };
 * }</pre>
 */
public interface RoundAudioOutput {

    /**
     * Queues PCM of round {@code roundId} (in the format the output was built for). The bytes must
     * be copied if kept. An exception (for example a full buffer) propagates to the writer.
     */
    void write(long roundId, byte[] pcm, int offset, int length);

    /** The round finished an utterance (pad and flush the trailing partial frame). */
    default void endSegment(long roundId) {}

    /**
     * Drops all queued audio, including what the RTC sender buffers, so that when it returns no
     * byte written before it will be sent. Must be idempotent.
     *
     * @return the number of bytes dropped (0 if nothing was queued), for the
     *     {@link RoundListener#interrupted} event
     */
    long clear();
}
