package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.agora.internal.MediaAccess;
import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.video.AlphaMode;
import io.voiceagent.agora.video.ColorSpace;
import io.voiceagent.agora.video.EncodedAudioFrameInfo;
import io.voiceagent.agora.video.EncodedAudioTrack;
import io.voiceagent.agora.video.EncodedVideoFrameInfo;
import io.voiceagent.agora.video.EncodedVideoOptions;
import io.voiceagent.agora.video.EncodedVideoTrack;
import io.voiceagent.agora.video.LocalVideoTrack;
import io.voiceagent.agora.video.ReceivedEncodedVideoFrame;
import io.voiceagent.agora.video.ReceivedVideoFrame;
import io.voiceagent.agora.video.VideoCodec;
import io.voiceagent.agora.video.VideoEncoderConfig;
import io.voiceagent.agora.video.VideoFrame;
import io.voiceagent.agora.video.VideoFrameListener;
import io.voiceagent.agora.video.VideoFrameType;
import io.voiceagent.agora.video.VideoPixelFormat;
import io.voiceagent.agora.video.VideoReceiver;
import io.voiceagent.agora.video.VideoRotation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The video binding end to end on the loopback library: send, receive, convert, publish, release. */
@ExtendWith(NativeLeakExtension.class)
class VideoTrackTest {
    private static final Duration WAIT = Duration.ofSeconds(3);

    /** Records what a receiver delivers and the video events of its connection. */
    static final class Inbox implements VideoFrameListener, RtcConnectionListener {
        final List<ReceivedVideoFrame> frames = new CopyOnWriteArrayList<>();
        final List<ReceivedEncodedVideoFrame> encoded = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onFrame(RtcConnection c, ReceivedVideoFrame f) {
            threads.add(Thread.currentThread().getName());
            frames.add(f);
        }

        @Override
        public void onEncodedFrame(RtcConnection c, ReceivedEncodedVideoFrame f) {
            encoded.add(f);
        }

        @Override
        public void onVideoPublished(RtcConnection c) {
            events.add("published");
        }

        @Override
        public void onVideoUnpublished(RtcConnection c) {
            events.add("unpublished");
        }

        @Override
        public void onRemoteVideoSubscribed(RtcConnection c, String userId) {
            events.add("subscribed:" + userId);
        }
    }

    /** Connections joined to one new channel, as alice, bob, ... in order; closed together (in reverse). */
    static final class Room implements AutoCloseable {
        final RtcConnection[] members;

        Room(AgoraService s, String prefix, int size) {
            String channel = TestNative.channel(prefix);
            String[] names = {"alice", "bob", "carol"};
            members = new RtcConnection[size];
            for (int i = 0; i < size; i++) {
                members[i] = s.createConnection();
                members[i].connect("", channel, names[i]);
            }
        }

        RtcConnection get(int i) {
            return members[i];
        }

        @Override
        public void close() {
            for (int i = members.length - 1; i >= 0; i--) {
                members[i].close();
            }
        }
    }

    /** A value the loopback recorded for the native track behind {@code track}. */
    static String recorded(io.voiceagent.agora.video.MediaTrack track, String key) {
        com.sun.jna.Pointer p = MediaAccess.get().withTrackHandle(track, h -> h);
        return TestNative.recorded(p, key);
    }

    private static byte[] i420(int w, int h, int seed) {
        byte[] b = new byte[w * h * 3 / 2];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b[y * w + x] = (byte) (x + 3 * y + seed);
            }
        }
        java.util.Arrays.fill(b, w * h, w * h + w * h / 4, (byte) (64 + seed));
        java.util.Arrays.fill(b, w * h + w * h / 4, b.length, (byte) (192 - seed));
        return b;
    }

    @Test
    void i420FramesArriveByteForByteWithMetadataRotationAndEvents() {
        AgoraService s = TestNative.videoService();
        Inbox sender = new Inbox();
        Inbox inbox = new Inbox();
        try (Room room = new Room(s, "video", 2);
                LocalVideoTrack track = LocalVideoTrack.create(s, VideoEncoderConfig.builder(64, 48).frameRate(25)
                        .build())) {
            RtcConnection ca = room.get(0);
            RtcConnection cb = room.get(1);
            ca.addListener(sender);
            cb.addListener(inbox);
            try (VideoReceiver video = VideoReceiver.open(cb, inbox)) {
                track.publish(ca);
                track.publish(ca); // again on the same connection: no-op
                assertThat(track.publisher()).contains(ca);
                assertThat(TestNative.await(() -> sender.events.contains("published"), WAIT)).isTrue();
                assertThat(recorded(track, "vtrack.encoder_config"))
                        .isEqualTo("2,64x48,25,0,0,0,0,0,0");
                byte[] picture = i420(64, 48, 1);
                byte[] meta = "hello metadata".getBytes(StandardCharsets.UTF_8);
                track.send(VideoFrame.builder(VideoPixelFormat.I420, 64, 48, picture).rotation(VideoRotation.CW_90)
                        .timestampMs(1234).metadata(meta).build());
                assertThat(TestNative.await(() -> inbox.frames.size() == 1, WAIT)).isTrue();
                ReceivedVideoFrame f = inbox.frames.get(0);
                assertThat(f.userId()).isEqualTo("alice");
                assertThat(f.width()).isEqualTo(64);
                assertThat(f.height()).isEqualTo(48);
                assertThat(f.rotation()).isEqualTo(VideoRotation.CW_90);
                assertThat(f.i420()).isEqualTo(picture);
                assertThat(f.metadata()).isEqualTo(meta);
                assertThat(f.alpha()).isNull();
                assertThat(inbox.threads).allSatisfy(t -> assertThat(t).startsWith("agora-events-"));
                assertThat(TestNative.await(() -> inbox.events.contains("subscribed:alice"), WAIT)).isTrue();
                assertThat(track.framesSent()).isEqualTo(1);
                assertThat(LoopbackDiagnostics.framesSent(track)).isEqualTo(1);
                assertThat(LoopbackDiagnostics.videoFramesDelivered(cb)).isEqualTo(1);
                assertThat(video.framesReceived()).isEqualTo(1);
                assertThat(track.statistics().framesEncoded()).isEqualTo(1);
                assertThat(track.statistics().width()).isEqualTo(64);

                track.unpublish();
                assertThat(TestNative.await(() -> sender.events.contains("unpublished"), WAIT)).isTrue();
                assertThat(track.publisher()).isEmpty();
            }
        }
    }

    @Test
    void solidColourRgbaSurvivesWhenBothSidesUseTheSameColourSpace() {
        AgoraService s = TestNative.videoService();
        Inbox inbox = new Inbox();
        int r = 20;
        int g = 180;
        int b = 90;
        byte[] rgba = new byte[64 * 48 * 4];
        byte[] bgra = new byte[rgba.length];
        for (int i = 0; i < 64 * 48; i++) {
            rgba[4 * i] = (byte) r;
            rgba[4 * i + 1] = (byte) g;
            rgba[4 * i + 2] = (byte) b;
            rgba[4 * i + 3] = (byte) 255;
            bgra[4 * i] = (byte) b;
            bgra[4 * i + 1] = (byte) g;
            bgra[4 * i + 2] = (byte) r;
            bgra[4 * i + 3] = (byte) 255;
        }
        try (Room room = new Room(s, "colour", 2); LocalVideoTrack track = LocalVideoTrack.create(s)) {
            RtcConnection ca = room.get(0);
            RtcConnection cb = room.get(1);
            try (VideoReceiver video = VideoReceiver.open(cb, inbox)) {
                track.publish(ca);
                track.send(VideoFrame.builder(VideoPixelFormat.RGBA, 64, 48, rgba).colorSpace(ColorSpace.BT709_FULL)
                        .build());
                // BGRA from a direct buffer (passed without a copy): the same colour
                ByteBuffer direct = ByteBuffer.allocateDirect(bgra.length).put(bgra).flip();
                track.send(VideoFrame.builder(VideoPixelFormat.BGRA, 64, 48, direct).colorSpace(ColorSpace.BT709_FULL)
                        .build());
                track.send(VideoFrame.builder(VideoPixelFormat.RGBA, 64, 48, rgba).build());
                assertThat(TestNative.await(() -> inbox.frames.size() == 3, WAIT)).isTrue();
                for (int i = 0; i < 2; i++) {
                    int px = inbox.frames.get(i).toArgb(ColorSpace.BT709_FULL)[64 * 20 + 30];
                    assertThat(new int[] {px >> 16 & 0xff, px >> 8 & 0xff, px & 0xff}).as("frame %d", i)
                            .satisfies(c -> assertThat(Math.abs(c[0] - r) + Math.abs(c[1] - g) + Math.abs(c[2] - b))
                                    .isLessThanOrEqualTo(6));
                }
                // The default tuple is encoded differently (BT.601 limited here): decoding it as BT.709 full is off.
                ReceivedVideoFrame def = inbox.frames.get(2);
                int wrong = def.toArgb(ColorSpace.BT709_FULL)[100];
                assertThat(Math.abs((wrong >> 8 & 0xff) - g)).isGreaterThan(10);
                int right = def.toArgb(ColorSpace.BT601_LIMITED)[100];
                assertThat(Math.abs((right >> 8 & 0xff) - g)).isLessThanOrEqualTo(3);
                assertThat(recorded(track, "vtrack.color_space"))
                        .isEqualTo("0,0,0,0");
            }
        }
    }

    @Test
    void strideCropsAndAlphaTravelOnlyWhenEncoded() {
        AgoraService s = TestNative.videoService();
        Inbox inbox = new Inbox();
        int stride = 72; // 8 padding pixels per row that must not show
        byte[] rgba = new byte[stride * 32 * 4];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < stride; x++) {
                int i = (y * stride + x) * 4;
                boolean pad = x >= 64;
                rgba[i] = (byte) (pad ? 255 : 0);
                rgba[i + 1] = (byte) (pad ? 0 : 255);
                rgba[i + 2] = 0;
                rgba[i + 3] = (byte) (x < 32 ? 0 : 255); // left half transparent
            }
        }
        try (Room room = new Room(s, "alpha", 2); LocalVideoTrack track = LocalVideoTrack.create(s)) {
            RtcConnection ca = room.get(0);
            RtcConnection cb = room.get(1);
            try (VideoReceiver video = VideoReceiver.open(cb, inbox)) {
                track.publish(ca);
                VideoFrame frame = VideoFrame.builder(VideoPixelFormat.RGBA, 64, 32, rgba).stride(stride)
                        .alphaFromPixels().alphaMode(AlphaMode.NONE).colorSpace(ColorSpace.BT709_FULL).build();
                track.send(frame); // no encodeAlpha yet: alpha is dropped
                track.setEncoderConfig(VideoEncoderConfig.builder(64, 32).encodeAlpha(true).build());
                track.send(frame);
                assertThat(TestNative.await(() -> inbox.frames.size() == 2, WAIT)).isTrue();
                ReceivedVideoFrame plain = inbox.frames.get(0);
                ReceivedVideoFrame withAlpha = inbox.frames.get(1);
                assertThat(plain.width()).isEqualTo(64);
                assertThat(plain.alpha()).isNull();
                int px = plain.toArgb(ColorSpace.BT709_FULL)[63];
                assertThat(px >> 16 & 0xff).as("red of the padding must not leak into the last column").isLessThan(20);
                assertThat(withAlpha.alpha()).hasSize(64 * 32);
                assertThat(withAlpha.alpha()[0]).isEqualTo((byte) 0);
                assertThat(withAlpha.alpha()[40]).isEqualTo((byte) 255);
                assertThat(recorded(track, "vtrack.alpha_ignored"))
                        .isEqualTo("1");
            }
        }
    }

    @Test
    void badFramesAndStatesGetClearErrors() {
        AgoraService s = TestNative.videoService();
        assertThatThrownBy(() -> VideoFrame.builder(VideoPixelFormat.I420, 63, 48, new byte[5000]).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width").hasMessageContaining("63");
        assertThatThrownBy(() -> VideoFrame.builder(VideoPixelFormat.RGBA, 64, 48, new byte[100]).build())
                .hasMessageContaining("12288").hasMessageContaining("100");
        assertThatThrownBy(() -> VideoFrame.builder(VideoPixelFormat.I420, 64, 48, new byte[4608]).alphaFromPixels()
                .build()).hasMessageContaining("alphaFromPixels");
        assertThatThrownBy(() -> VideoFrame.builder(VideoPixelFormat.I420, 64, 48, new byte[4608])
                .metadata(new byte[1025]).build()).hasMessageContaining("1025");
        assertThatThrownBy(() -> VideoEncoderConfig.builder(640, 480).frameRate(0).build())
                .hasMessageContaining("frameRate").hasMessageContaining("0");
        assertThatThrownBy(() -> new ColorSpace(1, 1, 3, 2)).hasMessageContaining("matrixId 3");
        try (LocalVideoTrack track = LocalVideoTrack.create(s)) {
            track.setEnabled(false);
            VideoFrame f = VideoFrame.builder(VideoPixelFormat.I420, 64, 48, new byte[4608]).build();
            assertThatThrownBy(() -> track.send(f)).isInstanceOfSatisfying(AgoraException.class, e -> {
                assertThat(e.function()).isEqualTo("agora_video_frame_sender_send");
                assertThat(e.error()).isEqualTo(AgoraError.NOT_READY);
            });
            track.setEnabled(true);
            track.send(f);
            track.close();
            assertThatThrownBy(() -> track.send(f)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        AgoraService audioOnly = TestNative.restartService(AgoraServiceConfig.builder().appId(TestNative.APP_ID).build());
        assertThatThrownBy(() -> LocalVideoTrack.create(audioOnly)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("enableVideo(true)");
    }

    @Test
    void encodedH264MovesUnchangedToEncodedReceivers() {
        AgoraService s = TestNative.videoService();
        Inbox raw = new Inbox();
        Inbox enc = new Inbox();
        byte[] keyFrame = {0, 0, 0, 1, 0x67, 0x42, 0, 0x1f, 0, 0, 0, 1, 0x68, 1, 0, 0, 0, 1, 0x65, (byte) 0x88, 9};
        try (Room room = new Room(s, "h264", 3);
                EncodedVideoTrack track = EncodedVideoTrack.create(s, EncodedVideoOptions.h264())) {
            RtcConnection ca = room.get(0);
            RtcConnection cb = room.get(1);
            RtcConnection cc = room.get(2);
            try (VideoReceiver encoded = VideoReceiver.open(cb, VideoReceiver.Kind.ENCODED, enc);
                    VideoReceiver decoded = VideoReceiver.open(cc, raw)) {
                track.publish(ca);
                EncodedVideoFrameInfo info = EncodedVideoFrameInfo.of(VideoCodec.H264, 352, 288, 30, VideoFrameType.KEY);
                track.send(keyFrame, info);
                assertThat(TestNative.await(() -> enc.encoded.size() == 1, WAIT)).isTrue();
                ReceivedEncodedVideoFrame f = enc.encoded.get(0);
                assertThat(f.data()).isEqualTo(keyFrame);
                assertThat(f.info().codec()).isEqualTo(VideoCodec.H264);
                assertThat(f.info().width()).isEqualTo(352);
                assertThat(f.info().frameType()).isEqualTo(VideoFrameType.KEY);
                assertThat(track.framesSent()).isEqualTo(1);
                assertThat(LoopbackDiagnostics.framesSent(track)).isEqualTo(1);
                byte[] avcc = {0, 0, 0, 5, 0x65, 1, 2, 3, 4};
                assertThatThrownBy(() -> track.send(avcc, info)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("Annex-B").hasMessageContaining("00 00 00 05");
                assertThatThrownBy(() -> track.send(keyFrame, EncodedVideoFrameInfo.of(VideoCodec.VP8, 352, 288, 30,
                        VideoFrameType.KEY))).hasMessageContaining("H264");
                TestNative.await(() -> false, Duration.ofMillis(60));
                assertThat(raw.frames).as("the loopback does not decode: raw receivers get nothing").isEmpty();
            }
        }
    }

    @Test
    void encodedAudioIsCheckedAndCounted() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("aac");
        try (RtcConnection ca = s.createConnection(); EncodedAudioTrack track = EncodedAudioTrack.create(s)) {
            ca.connect("", channel, "alice");
            track.publish(ca);
            byte[] aac = {0x21, 0x10, 0x05, 0x00, (byte) 0xa0, 0x19};
            track.send(aac, EncodedAudioFrameInfo.aac(16000, 1));
            track.send(aac, new EncodedAudioFrameInfo(io.voiceagent.agora.video.AudioCodec.OPUS, 48000, 2, 0, true,
                    true));
            assertThat(track.framesSent()).isEqualTo(2);
            assertThat(LoopbackDiagnostics.framesSent(track)).isEqualTo(2);
            String samples = recorded(track, "atrack.samples");
            assertThat(samples).isEqualTo("1984"); // 1024 + Opus's default 960
            assertThat(recorded(track, "atrack.mix_mode"))
                    .isEqualTo("1");
            assertThatThrownBy(() -> new EncodedAudioFrameInfo(io.voiceagent.agora.video.AudioCodec.AAC_LC, 11025, 1,
                    1024, false, true)).hasMessageContaining("11025");
        }
    }

    @Test
    void closingTheConnectionFirstUnpublishesAndUnregistersInAgorasOrder() {
        AgoraService s = TestNative.videoService();
        String channel = TestNative.channel("order");
        int before = TestNative.loopback().loopback_order_violations();
        Inbox inbox = new Inbox();
        LocalVideoTrack track = LocalVideoTrack.create(s);
        EncodedAudioTrack audio = EncodedAudioTrack.create(s);
        RtcConnection ca = s.createConnection();
        RtcConnection cb = s.createConnection();
        ca.connect("", channel, "alice");
        cb.connect("", channel, "bob");
        VideoReceiver video = VideoReceiver.open(cb, inbox);
        track.publish(ca);
        audio.publish(ca);
        ca.close();
        cb.close();
        assertThat(track.publisher()).isEmpty();
        assertThat(audio.publisher()).isEmpty();
        assertThat(video.isClosed()).isTrue();
        video.close(); // idempotent
        track.close();
        audio.close();
        assertThat(TestNative.loopback().loopback_order_violations()).isEqualTo(before);
        // The service closes a video track still open when it closes.
        LocalVideoTrack leaked = LocalVideoTrack.create(s);
        TestNative.restartService(AgoraServiceConfig.builder().appId(TestNative.APP_ID).enableVideo(true).build());
        assertThat(leaked.isClosed()).isTrue();
    }
}
