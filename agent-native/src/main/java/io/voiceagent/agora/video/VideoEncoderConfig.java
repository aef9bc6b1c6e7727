package io.voiceagent.agora.video;

import java.util.Objects;

/**
 * How a {@link LocalVideoTrack} is encoded ({@code video_encoder_config}, reference §4.1). Built and
 * validated by {@link #builder(int, int)}; immutable.
 *
 * @param codec the codec (default H.264, as Agora's YUV sample; {@link VideoCodec#NONE} lets the SDK pick)
 * @param width encoded width in pixels, 1..4096
 * @param height encoded height in pixels, 1..4096
 * @param frameRate frames per second, 1..60 (default 15, the Python default)
 * @param bitrateKbps target bitrate; 0 (default) for the SDK's standard bitrate. The unit is not
 *     confirmed for the pinned build (header: Kbps; Go multiplies by 1000): leave 0 unless verified
 * @param minBitrateKbps minimum bitrate; 0 (default) for the SDK's choice
 * @param orientation how the encoder orients frames (default adaptive)
 * @param degradation what the encoder gives up under poor bandwidth (default maintain quality)
 * @param mirror mirror mode (default auto)
 * @param encodeAlpha whether the alpha plane of the frames is encoded (default false; frames' alpha is
 *     dropped without it)
 */
public record VideoEncoderConfig(VideoCodec codec, int width, int height, int frameRate, int bitrateKbps,
        int minBitrateKbps, OrientationMode orientation, DegradationPreference degradation, MirrorMode mirror,
        boolean encodeAlpha) {

    /** ORIENTATION_MODE. */
    public enum OrientationMode {
        ADAPTIVE(0), FIXED_LANDSCAPE(1), FIXED_PORTRAIT(2);

        private final int value;

        OrientationMode(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }
    }

    /** DEGRADATION_PREFERENCE. */
    public enum DegradationPreference {
        MAINTAIN_QUALITY(0), MAINTAIN_FRAMERATE(1), MAINTAIN_BALANCED(2), MAINTAIN_RESOLUTION(3), DISABLED(100);

        private final int value;

        DegradationPreference(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }
    }

    /** VIDEO_MIRROR_MODE. */
    public enum MirrorMode {
        AUTO(0), ENABLED(1), DISABLED(2);

        private final int value;

        MirrorMode(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }
    }

    /** Checks every field; see the parameter list. */
    public VideoEncoderConfig {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(orientation, "orientation");
        Objects.requireNonNull(degradation, "degradation");
        Objects.requireNonNull(mirror, "mirror");
        if (width < 1 || width > VideoFrame.MAX_DIMENSION) {
            throw new IllegalArgumentException("width must be in 1.." + VideoFrame.MAX_DIMENSION + "; got " + width);
        }
        if (height < 1 || height > VideoFrame.MAX_DIMENSION) {
            throw new IllegalArgumentException("height must be in 1.." + VideoFrame.MAX_DIMENSION + "; got " + height);
        }
        if (frameRate < 1 || frameRate > 60) {
            throw new IllegalArgumentException("frameRate must be in 1..60 fps; got " + frameRate);
        }
        if (bitrateKbps < 0) {
            throw new IllegalArgumentException("bitrateKbps must be >= 0 (0 = the SDK's standard bitrate); got "
                    + bitrateKbps);
        }
        if (minBitrateKbps < 0) {
            throw new IllegalArgumentException("minBitrateKbps must be >= 0; got " + minBitrateKbps);
        }
    }

    /** A builder for {@code width x height}: H.264, 15 fps, SDK bitrate, no alpha. */
    public static Builder builder(int width, int height) {
        return new Builder(width, height);
    }

    /** Builder of a {@link VideoEncoderConfig}; not thread-safe. */
    public static final class Builder {
        private final int width;
        private final int height;
        private VideoCodec codec = VideoCodec.H264;
        private int frameRate = 15;
        private int bitrateKbps;
        private int minBitrateKbps;
        private OrientationMode orientation = OrientationMode.ADAPTIVE;
        private DegradationPreference degradation = DegradationPreference.MAINTAIN_QUALITY;
        private MirrorMode mirror = MirrorMode.AUTO;
        private boolean encodeAlpha;

        private Builder(int width, int height) {
            this.width = width;
            this.height = height;
        }

        public Builder codec(VideoCodec codec) {
            this.codec = codec;
            return this;
        }

        public Builder frameRate(int fps) {
            this.frameRate = fps;
            return this;
        }

        public Builder bitrateKbps(int kbps) {
            this.bitrateKbps = kbps;
            return this;
        }

        public Builder minBitrateKbps(int kbps) {
            this.minBitrateKbps = kbps;
            return this;
        }

        public Builder orientation(OrientationMode orientation) {
            this.orientation = orientation;
            return this;
        }

        public Builder degradation(DegradationPreference degradation) {
            this.degradation = degradation;
            return this;
        }

        public Builder mirror(MirrorMode mirror) {
            this.mirror = mirror;
            return this;
        }

        public Builder encodeAlpha(boolean encodeAlpha) {
            this.encodeAlpha = encodeAlpha;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad parameter and value */
        public VideoEncoderConfig build() {
            return new VideoEncoderConfig(codec, width, height, frameRate, bitrateKbps, minBitrateKbps, orientation,
                    degradation, mirror, encodeAlpha);
        }
    }
}
