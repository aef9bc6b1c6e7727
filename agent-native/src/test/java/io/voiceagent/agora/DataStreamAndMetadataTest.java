package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NativeLeakExtension.class)
class DataStreamAndMetadataTest {

    static final class Inbox implements RtcConnectionListener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> metadata = new CopyOnWriteArrayList<>();
        final List<List<AudioVolumeInfo>> volumes = new CopyOnWriteArrayList<>();
        final List<String> joined = new CopyOnWriteArrayList<>();
        final List<String> left = new CopyOnWriteArrayList<>();

        @Override
        public void onStreamMessage(RtcConnection c, String userId, int streamId, byte[] data) {
            messages.add(userId + "#" + streamId + ":" + new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void onAudioMetadata(RtcConnection c, String userId, byte[] data) {
            metadata.add(userId + ":" + new String(data, StandardCharsets.UTF_8));
        }

        @Override
        public void onAudioVolumeIndication(RtcConnection c, List<AudioVolumeInfo> speakers, int totalVolume) {
            if (!speakers.isEmpty()) {
                volumes.add(speakers);
            }
        }

        @Override
        public void onUserJoined(RtcConnection c, String userId) {
            joined.add(userId);
        }

        @Override
        public void onUserLeft(RtcConnection c, String userId, UserOfflineReason reason) {
            left.add(userId + ":" + reason);
        }
    }

    @Test
    void orderedMessagesArriveInOrderAtOthersOnly() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("data");
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        try (RtcConnection ca = s.createConnection(); RtcConnection cb = s.createConnection()) {
            ca.addListener(a);
            cb.addListener(b);
            ca.connect("", channel, "alice");
            cb.connect("", channel, "bob");
            assertThat(TestNative.await(() -> a.joined.contains("bob") && b.joined.contains("alice"),
                    Duration.ofSeconds(2))).isTrue();
            DataStream stream = ca.createDataStream(true, true);
            assertThat(stream.id()).isPositive();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 50; i++) {   // within Agora's 60 packets/s per stream
                stream.send("m" + i);
                expected.add("alice#" + stream.id() + ":m" + i);
            }
            assertThat(TestNative.await(() -> b.messages.size() >= 50, Duration.ofSeconds(3))).isTrue();
            assertThat(b.messages).containsExactlyElementsOf(expected);
            assertThat(a.messages).isEmpty();

            byte[] binary = {0, 1, 2, (byte) 0xff, 0, 7};
            stream.send(binary);
            assertThat(TestNative.await(() -> b.messages.size() == 51, Duration.ofSeconds(2))).isTrue();

            assertThatThrownBy(() -> stream.send(new byte[DataStream.MAX_MESSAGE_BYTES + 1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1025");
            assertThatThrownBy(() -> stream.send(new byte[0])).isInstanceOf(IllegalArgumentException.class);

            cb.disconnect();
            assertThat(TestNative.await(() -> a.left.contains("bob:QUIT"), Duration.ofSeconds(2))).isTrue();
        }
    }

    /** Agora's documented limits: 60 packets/s per stream, 30 KB/s per client over all its streams. */
    @Test
    void agorasDataStreamRateLimitsAreEnforced() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("limits");
        try (RtcConnection ca = s.createConnection(); RtcConnection cb = s.createConnection()) {
            ca.connect("", channel, "alice");
            cb.connect("", channel, "bob");
            DataStream small = ca.createDataStream(true, true);
            for (int i = 0; i < 60; i++) {
                small.send("ctl" + i);
            }
            assertThatThrownBy(() -> small.send("one too many")).isInstanceOfSatisfying(AgoraException.class, e -> {
                assertThat(e.function()).isEqualTo("agora_rtc_conn_send_stream_message");
                assertThat(e.error()).isEqualTo(AgoraError.TOO_OFTEN);
            });
            // One second of 16 kHz PCM (32000 bytes) in 1 KB messages on another stream: the client's
            // 30 KB/s budget runs out before the end, so audio cannot be carried this way.
            DataStream audio = ca.createDataStream(false, true);
            byte[] pcm = TestNative.pcm(9, 1024);
            int sent = 0;
            AgoraException refused = null;
            for (int i = 0; i < 32 && refused == null; i++) {
                try {
                    audio.send(pcm);
                    sent++;
                } catch (AgoraException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("a 32 KB/s stream of data-stream messages must be refused").isNotNull();
            assertThat(refused.error()).isEqualTo(AgoraError.BITRATE_LIMIT);
            assertThat(sent).isLessThan(31);
            assertThat(io.voiceagent.agora.loopback.LoopbackDiagnostics.streamMessagesRejected(ca)).isEqualTo(2);
        }
    }

    @Test
    void binaryPayloadsSurviveTheBoundary() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("binary");
        List<byte[]> received = new CopyOnWriteArrayList<>();
        try (RtcConnection ca = s.createConnection(); RtcConnection cb = s.createConnection()) {
            cb.addListener(new RtcConnectionListener() {
                @Override
                public void onStreamMessage(RtcConnection c, String userId, int streamId, byte[] data) {
                    received.add(data);
                }
            });
            ca.connect("", channel, "alice");
            cb.connect("", channel, "bob");
            DataStream stream = ca.createDataStream(true, true);
            byte[] payload = TestNative.pcm(3, DataStream.MAX_MESSAGE_BYTES);
            payload[10] = 0; // embedded NUL must not truncate
            stream.send(payload);
            assertThat(TestNative.await(() -> received.size() == 1, Duration.ofSeconds(2))).isTrue();
            assertThat(received.get(0)).isEqualTo(payload);
        }
    }

    @Test
    void audioMetadataAndVolumeIndicationArrive() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("meta");
        Inbox b = new Inbox();
        try (RtcConnection ca = s.createConnection();
                RtcConnection cb = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(200))) {
            cb.addListener(b);
            cb.localUser().enableVolumeIndication(Duration.ofMillis(100), 3, true);
            ca.connect("", channel, "alice");
            cb.connect("", channel, "bob");
            ca.localUser().publishAudio(track);
            ca.localUser().sendAudioMetadata("caption:hello".getBytes(StandardCharsets.UTF_8));
            assertThat(TestNative.await(() -> b.metadata.contains("alice:caption:hello"), Duration.ofSeconds(2)))
                    .isTrue();
            // Loud audio, so the volume indication reports alice speaking.
            byte[] loud = new byte[io.voiceagent.core.audio.PcmFormat.MONO_16K.bytesPerFrame() * 100];
            for (int i = 0; i < loud.length; i += 4) {
                loud[i + 1] = 0x40;
                loud[i + 3] = (byte) 0xC0;
            }
            track.sender().send(loud, io.voiceagent.core.audio.PcmFormat.MONO_16K);
            assertThat(TestNative.await(() -> !b.volumes.isEmpty(), Duration.ofSeconds(3))).isTrue();
            AudioVolumeInfo first = b.volumes.get(0).get(0);
            assertThat(first.userId()).isEqualTo("alice");
            assertThat(first.volume()).isBetween(1, 255);
            assertThatThrownBy(() -> ca.localUser().sendAudioMetadata(new byte[1025]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1025");
        }
    }
}
