package io.voiceagent.core.agent;

import io.voiceagent.core.audio.AudioFrame;

/**
 * The session's side of a transport: what the transport delivers. Implemented by
 * {@link AgentSession}; every method may be called from any thread, never blocks and only posts the
 * fact to the session's executor (an audio frame is admitted if fewer than the session's
 * {@link AgentSession.Builder#maxQueuedFrames(int) maxQueuedFrames} wait, else dropped and counted).
 */
public interface AgentInput {

    /**
     * One 10 ms frame of {@code userId}'s audio (any supported rate, mono or stereo). The frame is
     * the session's from now on: the transport must not modify it.
     */
    void audioFrame(String userId, AudioFrame frame);

    /**
     * {@code userId} is in the channel (joined, or was there when the transport started). A transport
     * that knows who is present reports each user once before their {@link #userLeft}; the default
     * does nothing, for transports that only know users by their audio.
     */
    default void userJoined(String userId) {}

    /** {@code userId} left the channel (or the client disconnected): their turn state is released. */
    void userLeft(String userId);
}
