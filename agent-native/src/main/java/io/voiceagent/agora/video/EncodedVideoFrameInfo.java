package io.voiceagent.agora.video;

import java.util.Objects;

/**
 * What describes one encoded video access unit ({@code encoded_video_frame_info}, reference §3.3).
 *
 * @param codec the codec of the bytes (must be the track's, when the track names one)
 * @param width coded width in pixels, 1..4096
 * @param height coded height in pixels, 1..4096
 * @param framesPerSecond the stream's frame rate, 0..120; 0 makes the SDK use real timestamps
 * @param frameType key or delta frame
 * @param rotation how the picture is rotated
 * @param captureTimeMs capture time in milliseconds, 0 if unknown
 * @param streamType high or low stream (receivers see it; a sender uses {@link VideoStreamType#HIGH})
 */
public record EncodedVideoFrameInfo(VideoCodec codec, int width, int height, int framesPerSecond,
        VideoFrameType frameType, VideoRotation rotation, long captureTimeMs, VideoStreamType streamType) {

    /** Checks every field; see the parameter list. */
    public EncodedVideoFrameInfo {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(frameType, "frameType");
        Objects.requireNonNull(rotation, "rotation");
        Objects.requireNonNull(streamType, "streamType");
        if (codec == VideoCodec.NONE) {
            throw new IllegalArgumentException("codec must name the codec of the bytes; got NONE");
        }
        if (width < 1 || width > VideoFrame.MAX_DIMENSION || height < 1 || height > VideoFrame.MAX_DIMENSION) {
            throw new IllegalArgumentException("width and height must be in 1.." + VideoFrame.MAX_DIMENSION + "; got "
                    + width + " x " + height);
        }
        if (framesPerSecond < 0 || framesPerSecond > 120) {
            throw new IllegalArgumentException("framesPerSecond must be in 0..120; got " + framesPerSecond);
        }
    }

    /** A frame of {@code codec} at {@code width x height}, {@code fps}: no rotation, capture time 0, high stream. */
    public static EncodedVideoFrameInfo of(VideoCodec codec, int width, int height, int fps, VideoFrameType type) {
        return new EncodedVideoFrameInfo(codec, width, height, fps, type, VideoRotation.NONE, 0, VideoStreamType.HIGH);
    }
}
