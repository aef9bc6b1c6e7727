package io.voiceagent.agora;

import io.voiceagent.agora.loopback.LoopbackDiagnostics;

/**
 * Instrumentation of a {@link VoiceAgent}'s audio output, for benchmarks and tests that measure
 * barge-in on the wire (for example with {@link LoopbackDiagnostics#framesSent(LocalAudioTrack)}).
 *
 * <p>Called <b>with the round manager's lock held</b>, synchronously with the write or the clear it
 * reports, so a reading taken here is exact: nothing of an interrupted round can be written between
 * {@link #afterClear} and the next {@link #beforeWrite}. Implementations must be fast (a counter
 * read, a timestamp), must not block, must not call the agent or its rounds, and should not throw
 * (a throwable propagates to the writer or the interrupt). All methods have no-op defaults.
 */
public interface AgentAudioObserver {

    /** Round {@code roundId} is about to queue {@code length} bytes. */
    default void beforeWrite(long roundId, int length) {}

    /** An interrupt is about to drop the queued audio. */
    default void beforeClear() {}

    /**
     * The queued audio and the track's send buffer were dropped; nothing written before can be sent.
     *
     * @param droppedBytes bytes dropped on the Java side (the SDK's buffer not counted)
     */
    default void afterClear(long droppedBytes) {}
}
