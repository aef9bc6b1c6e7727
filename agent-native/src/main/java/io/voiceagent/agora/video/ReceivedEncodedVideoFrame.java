package io.voiceagent.agora.video;

/**
 * A remote user's encoded video access unit, copied out of the SDK's memory (for an H.264 stream:
 * Annex-B bytes that can be appended to a {@code .h264} file as they come).
 *
 * @param uid the SDK's numeric uid of the sender ({@code uid_t}, unsigned)
 * @param data the access unit; this object's, not copied again
 * @param info codec, size, frame type and timing the sender gave
 */
public record ReceivedEncodedVideoFrame(long uid, byte[] data, EncodedVideoFrameInfo info) {
    @Override
    public String toString() {
        return "ReceivedEncodedVideoFrame[uid " + uid + ", " + data.length + " bytes, " + info + "]";
    }
}
