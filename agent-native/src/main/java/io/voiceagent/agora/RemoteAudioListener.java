package io.voiceagent.agora;

import io.voiceagent.core.audio.AudioFrame;

/**
 * Receives each remote user's audio, one 10 ms {@link AudioFrame} per user per call, in the
 * connection's {@link RtcConnectionConfig#receiveFormat()}. Frames are private copies and may be kept.
 *
 * <p>Called on the connection's event executor (never on an SDK thread), one call at a time per
 * connection, in arrival order. Must be fast (it delays every later event of the connection) and
 * should not throw; an exception is logged and does not stop later frames.
 */
@FunctionalInterface
public interface RemoteAudioListener {
    void onAudioFrame(RtcConnection connection, String userId, AudioFrame frame);
}
