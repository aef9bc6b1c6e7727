package io.voiceagent.agora;

import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.loopback.LoopbackFaults;
import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.agora.internal.LoopbackLibrary;
import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two connections in one process, joined to one channel, exchange audio through the real JNA path. */
@ExtendWith(NativeLeakExtension.class)
class AudioExchangeTest {

    /** Collects one remote user's frames as bytes, and the threads listeners ran on. */
    static final class Collector implements RemoteAudioListener {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final String fromUser;
        volatile int frames;
        volatile PcmFormat lastFormat;

        Collector(String fromUser) {
            this.fromUser = fromUser;
        }

        @Override
        public void onAudioFrame(RtcConnection connection, String userId, AudioFrame frame) {
            if (!userId.equals(fromUser)) {
                return;
            }
            synchronized (bytes) {
                bytes.write(frame.data(), 0, frame.data().length);
            }
            lastFormat = frame.format();
            if (frames % 50 == 0) {
                threads.add(Thread.currentThread().getName());
            }
            frames++;
        }

        byte[] received() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }
    }

    @Test
    void twoConnectionsInOneProcessExchangeAudioByteExactly() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("exchange");
        byte[] pcm = TestNative.pcm(42, PcmFormat.MONO_16K.bytesPerFrame() * 150); // 1.5 s
        Collector collector = new Collector("speaker");
        List<String> joined = new CopyOnWriteArrayList<>();
        try (RtcConnection listener = s.createConnection();
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(200))) {
            listener.addListener(new RtcConnectionListener() {
                @Override
                public void onUserJoined(RtcConnection c, String userId) {
                    joined.add(userId);
                }
            });
            listener.localUser().setRemoteAudioListener(collector);
            listener.connect("", channel, "listener");
            speaker.connect("", channel, "speaker");
            speaker.localUser().publishAudio(track);
            assertThat(TestNative.await(() -> joined.contains("speaker"), Duration.ofSeconds(2))).isTrue();

            track.sender().send(pcm, PcmFormat.MONO_16K);
            assertThat(track.sender().framesSent()).isEqualTo(150);
            assertThat(TestNative.await(() -> collector.frames >= 150, Duration.ofSeconds(5)))
                    .as("frames received: %d", collector.frames).isTrue();
            assertThat(collector.received()).isEqualTo(pcm);
            assertThat(collector.lastFormat).isEqualTo(PcmFormat.MONO_16K);
            assertThat(collector.threads).allSatisfy(t -> assertThat(t).startsWith("agora-events-"));
            LoopbackLibrary lb = TestNative.loopback();
            assertThat(lb.loopback_track_frames_sent(track.handle().getPointer())).isEqualTo(150);
            assertThat(lb.loopback_conn_frames_delivered(listener.handle().getPointer())).isEqualTo(150);
            assertThat(lb.loopback_conn_frames_lost(listener.handle().getPointer())).isZero();
            assertThat(listener.droppedEvents()).isZero();
            assertThat(listener.malformedFrames()).isZero();
        }
    }

    @Test
    void receivedAudioIsDeliveredInTheRequestedFormat() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("resample");
        PcmFormat sendFormat = PcmFormat.of(48000, 2);
        Collector collector = new Collector("tts");
        RtcConnectionConfig receive16k = RtcConnectionConfig.builder().receiveFormat(PcmFormat.MONO_16K).build();
        try (RtcConnection listener = s.createConnection(receive16k);
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(100))) {
            listener.localUser().setRemoteAudioListener(collector);
            listener.connect("", channel, "asr");
            speaker.connect("", channel, "tts");
            speaker.localUser().publishAudio(track);
            track.sender().send(TestNative.pcm(7, sendFormat.bytesPerFrame() * 50), sendFormat);
            assertThat(TestNative.await(() -> collector.frames >= 50, Duration.ofSeconds(5))).isTrue();
            assertThat(collector.lastFormat).isEqualTo(PcmFormat.MONO_16K);
            assertThat(collector.received()).hasSize(PcmFormat.MONO_16K.bytesPerFrame() * 50);
        }
    }

    @Test
    void clearSenderBufferDropsQueuedAudio() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("clear");
        Collector collector = new Collector("speaker");
        try (RtcConnection listener = s.createConnection();
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(500))) {
            listener.localUser().setRemoteAudioListener(collector);
            listener.connect("", channel, "listener");
            speaker.connect("", channel, "speaker");
            speaker.localUser().publishAudio(track);
            track.sender().send(TestNative.pcm(1, PcmFormat.MONO_16K.bytesPerFrame() * 300), PcmFormat.MONO_16K);
            assertThat(TestNative.await(() -> collector.frames >= 10, Duration.ofSeconds(3))).isTrue();
            track.clearSenderBuffer();
            long sentAtClear = TestNative.loopback().loopback_track_frames_sent(track.handle().getPointer());
            assertThat(TestNative.loopback().loopback_track_frames_queued(track.handle().getPointer())).isZero();
            assertThat(TestNative.loopback().loopback_track_frames_cleared(track.handle().getPointer()))
                    .isEqualTo(300 - sentAtClear);
            // Nothing queued before the clear is transmitted afterwards.
            TestNative.await(() -> false, Duration.ofMillis(200));
            assertThat(TestNative.loopback().loopback_track_frames_sent(track.handle().getPointer()))
                    .isEqualTo(sentAtClear);
            assertThat(sentAtClear).isLessThan(300);
        }
    }

    @Test
    void injectedFrameLossAndDelayAreVisibleToTheReceiver() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("lossy");
        Collector collector = new Collector("speaker");
        LoopbackDiagnostics.injectFaults(LoopbackFaults.none().withLossPercent(20).withDelay(Duration.ofMillis(150)));
        try (RtcConnection listener = s.createConnection();
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(200))) {
            listener.localUser().setRemoteAudioListener(collector);
            listener.connect("", channel, "listener");
            speaker.connect("", channel, "speaker");
            speaker.localUser().publishAudio(track);
            long t0 = System.nanoTime();
            track.sender().send(TestNative.pcm(9, PcmFormat.MONO_16K.bytesPerFrame() * 200), PcmFormat.MONO_16K);
            assertThat(TestNative.await(() -> collector.frames > 0, Duration.ofSeconds(2))).isTrue();
            long firstFrameMs = (System.nanoTime() - t0) / 1_000_000;
            TestNative.await(() -> TestNative.loopback().loopback_track_frames_sent(track.handle().getPointer()) >= 200,
                    Duration.ofSeconds(4));
            TestNative.await(() -> false, Duration.ofMillis(400));
            long lost = TestNative.loopback().loopback_conn_frames_lost(listener.handle().getPointer());
            assertThat(firstFrameMs).as("first frame held back by the injected delay").isGreaterThanOrEqualTo(140);
            assertThat(collector.frames).as("about 80 %% of 200 frames arrive").isBetween(120, 190);
            assertThat(lost).as("sequence gaps counted").isPositive();
        } finally {
            LoopbackDiagnostics.clearFaults();
        }
    }

    @Test
    void userSendingNothingProducesNoFrames() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("silent");
        Collector collector = new Collector("quiet");
        try (RtcConnection listener = s.createConnection();
                RtcConnection quiet = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack()) {
            listener.localUser().setRemoteAudioListener(collector);
            listener.connect("", channel, "listener");
            quiet.connect("", channel, "quiet");
            quiet.localUser().publishAudio(track);
            TestNative.await(() -> false, Duration.ofMillis(300));
            assertThat(collector.frames).isZero();
        }
    }
}
