package io.voiceagent.core.pacing;

import io.voiceagent.core.audio.PcmFormat;

/**
 * Where paced PCM goes: a channel's audio sender. {@code agent-native}'s {@code AudioPcmSender}
 * implements it; tests implement it to record what was sent and when.
 *
 * <p>Called from the pacer thread only; implementations must not block for long (a native send
 * copies the bytes into the SDK's send buffer and returns).
 *
 * <p>The array is the pacer's reusable send buffer: it is valid only during the call, and an
 * implementation that keeps the audio must copy it. One pacer thread serves many streams, so time
 * spent here delays every other stream's frames.
 */
public interface PcmSink {

    /**
     * Sends {@code length} bytes of {@code data} starting at {@code offset}, which is a whole number
     * (at least one) of 10 ms frames in {@code format}.
     *
     * @throws RuntimeException if the send failed; the caller reports it and stops the stream
     */
    void sendFrames(byte[] data, int offset, int length, PcmFormat format);
}
