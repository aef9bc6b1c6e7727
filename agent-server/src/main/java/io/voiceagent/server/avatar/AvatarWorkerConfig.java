package io.voiceagent.server.avatar;

import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.video.ColorSpace;
import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link AvatarWorker} joins, draws and listens. Immutable; built and checked by {@link #builder}.
 *
 * @param channel the channel to join (the user's)
 * @param userId the worker's user id in it (default {@code avatar})
 * @param token the RTC token, {@code ""} for none; never logged
 * @param width video width (default 640)
 * @param height video height (default 480)
 * @param fps video frames per second (default 25)
 * @param backgroundRgb the solid background colour, 0xRRGGBB (default 0x00B140, a keying green)
 * @param colorSpace how the encoder converts the RGBA frames (default BT.709 full range, which keeps a
 *     solid background exact, as seed 001 describes)
 * @param host interface of the worker's WebSocket (default 127.0.0.1)
 * @param port its port, 0 for an ephemeral one (default 0)
 * @param path its path (default {@code /avatar})
 * @param audioFormat what the agent sends and the worker publishes (default 16 kHz mono)
 * @param cooldown how long audio is dropped after INTERRUPT (default 300 ms)
 * @param audioLeadFrames 10 ms frames handed to the SDK at once when a talk spurt starts, so its send
 *     buffer never runs dry (default 2)
 * @param videoDelay how far behind the audio the mouth is drawn, so that it meets the audio at the
 *     receiver: audio waits in the SDK's send buffer (the lead) and the receiver's jitter buffer,
 *     video does not (default 30 ms, measured on the loopback library: BENCHMARKS.md, avatar-sync)
 */
public record AvatarWorkerConfig(String channel, String userId, String token, int width, int height, int fps,
        int backgroundRgb, ColorSpace colorSpace, String host, int port, String path, PcmFormat audioFormat,
        Duration cooldown, int audioLeadFrames, Duration videoDelay) {

    /** Checks every field. */
    public AvatarWorkerConfig {
        RtcConnection.validateChannel(channel);
        RtcConnection.validateUserId(userId);
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(colorSpace, "colorSpace");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(audioFormat, "audioFormat");
        Objects.requireNonNull(cooldown, "cooldown");
        Objects.requireNonNull(videoDelay, "videoDelay");
        if (width < 64 || height < 64 || width > 1920 || height > 1080 || (width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("width x height must be even and within 64 x 64 .. 1920 x 1080; got "
                    + width + " x " + height);
        }
        if (fps < 1 || fps > 50 || 1000 % fps != 0 || (1000 / fps) % 10 != 0) {
            throw new IllegalArgumentException("fps must make a frame a whole number of 10 ms audio frames"
                    + " (10, 20, 25, 50); got " + fps);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535; got " + port);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /; got '" + path + "'");
        }
        if (audioLeadFrames < 0 || audioLeadFrames > 10) {
            throw new IllegalArgumentException("audioLeadFrames must be in 0..10; got " + audioLeadFrames);
        }
        if (videoDelay.isNegative() || videoDelay.toMillis() > 200 || videoDelay.toMillis() % 10 != 0) {
            throw new IllegalArgumentException("videoDelay must be 0..200 ms in steps of 10 ms; got " + videoDelay);
        }
    }

    public static Builder builder(String channel) {
        return new Builder(channel);
    }

    /** Milliseconds per video frame. */
    public int frameMillis() {
        return 1000 / fps;
    }

    @Override
    public String toString() {
        return "AvatarWorkerConfig[" + channel + "/" + userId + ", " + width + "x" + height + "@" + fps + ", ws "
                + host + ":" + port + path + ", " + audioFormat + "]";
    }

    /** Builder of an {@link AvatarWorkerConfig}; not thread-safe. */
    public static final class Builder {
        private final String channel;
        private String userId = "avatar";
        private String token = "";
        private int width = 640;
        private int height = 480;
        private int fps = 25;
        private int backgroundRgb = 0x00B140;
        private ColorSpace colorSpace = ColorSpace.BT709_FULL;
        private String host = "127.0.0.1";
        private int port;
        private String path = "/avatar";
        private PcmFormat audioFormat = PcmFormat.MONO_16K;
        private Duration cooldown = Duration.ofMillis(300);
        private int audioLeadFrames = 2;
        private Duration videoDelay = Duration.ofMillis(30);

        private Builder(String channel) {
            this.channel = channel;
        }

        public Builder userId(String v) { userId = v; return this; }

        public Builder token(String v) { token = v; return this; }

        public Builder size(int w, int h) { width = w; height = h; return this; }

        public Builder fps(int v) { fps = v; return this; }

        public Builder backgroundRgb(int v) { backgroundRgb = v; return this; }

        public Builder colorSpace(ColorSpace v) { colorSpace = v; return this; }

        public Builder host(String v) { host = v; return this; }

        public Builder port(int v) { port = v; return this; }

        public Builder path(String v) { path = v; return this; }

        public Builder audioFormat(PcmFormat v) { audioFormat = v; return this; }

        public Builder cooldown(Duration v) { cooldown = v; return this; }

        public Builder audioLeadFrames(int v) { audioLeadFrames = v; return this; }

        public Builder videoDelay(Duration v) { videoDelay = v; return this; }

        /** @throws IllegalArgumentException naming the bad parameter and value */
        public AvatarWorkerConfig build() {
            return new AvatarWorkerConfig(channel, userId, token, width, height, fps, backgroundRgb, colorSpace, host,
                    port, path, audioFormat, cooldown, audioLeadFrames, videoDelay);
        }
    }
}
