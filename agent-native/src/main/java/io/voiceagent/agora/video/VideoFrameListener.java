package io.voiceagent.agora.video;

import io.voiceagent.agora.RtcConnection;

/**
 * Receives remote users' video from a {@link VideoReceiver}. Called on the connection's event
 * executor (never on an SDK thread), one call at a time, in arrival order, in order with the
 * connection's other events. Implementations must be fast: a frame of 640 x 480 arrives 25 times a
 * second per user, and a listener that falls behind fills the connection's bounded event queue
 * (later events are dropped and counted in {@link RtcConnection#droppedEvents()}). An exception is
 * logged and later frames still arrive.
 */
public interface VideoFrameListener {

    /** A decoded frame (raw receivers). */
    default void onFrame(RtcConnection connection, ReceivedVideoFrame frame) {}

    /** An encoded access unit (encoded receivers). */
    default void onEncodedFrame(RtcConnection connection, ReceivedEncodedVideoFrame frame) {}
}
