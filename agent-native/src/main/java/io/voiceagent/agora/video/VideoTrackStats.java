package io.voiceagent.agora.video;

/**
 * A snapshot of a video track's sending statistics ({@code local_video_track_stats}; only the fields
 * that mean something for a custom track).
 *
 * @param framesEncoded frames the SDK accepted and encoded
 * @param bytesSent bytes of the major stream
 * @param inputFrameRate frames per second arriving at the track
 * @param encodeFrameRate frames per second the encoder produces
 * @param width encoded width of the last frame
 * @param height encoded height of the last frame
 * @param targetBitrateBps the encoder's target bitrate
 * @param streams 1, or 2 with a simulcast low stream
 */
public record VideoTrackStats(long framesEncoded, long bytesSent, int inputFrameRate, int encodeFrameRate, int width,
        int height, int targetBitrateBps, long streams) {
}
