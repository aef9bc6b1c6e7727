package io.voiceagent.agora;

import io.voiceagent.agora.internal.CallbackSupport;
import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Listeners that throw neither crash the JVM nor stop later callbacks; SDK callbacks come on native threads. */
@ExtendWith(NativeLeakExtension.class)
class CallbackRobustnessTest {

    @Test
    void throwingListenersDoNotStopLaterCallbacks() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("throw");
        AtomicInteger frameCalls = new AtomicInteger();
        AtomicInteger joinCalls = new AtomicInteger();
        AtomicInteger healthyListenerJoins = new AtomicInteger();
        long nativeBefore = CallbackSupport.nativeThreadEvents();
        try (RtcConnection listener = s.createConnection();
                RtcConnection speaker1 = s.createConnection();
                RtcConnection speaker2 = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(100))) {
            listener.localUser().setRemoteAudioListener((c, user, frame) -> {
                frameCalls.incrementAndGet();
                throw new IllegalStateException("listener bug on every frame");
            });
            listener.addListener(new RtcConnectionListener() {
                @Override
                public void onUserJoined(RtcConnection c, String userId) {
                    joinCalls.incrementAndGet();
                    throw new RuntimeException("listener bug on join");
                }
            });
            listener.addListener(new RtcConnectionListener() {
                @Override
                public void onUserJoined(RtcConnection c, String userId) {
                    healthyListenerJoins.incrementAndGet();
                }
            });
            listener.connect("", channel, "listener");
            speaker1.connect("", channel, "s1");
            speaker2.connect("", channel, "s2");
            speaker1.localUser().publishAudio(track);
            track.sender().send(new byte[PcmFormat.MONO_16K.bytesPerFrame() * 50], PcmFormat.MONO_16K);
            assertThat(TestNative.await(() -> frameCalls.get() >= 50, Duration.ofSeconds(3)))
                    .as("frames after throwing listener: %d", frameCalls.get()).isTrue();
            assertThat(TestNative.await(() -> joinCalls.get() == 2 && healthyListenerJoins.get() == 2,
                    Duration.ofSeconds(2))).isTrue();
        }
        assertThat(CallbackSupport.nativeThreadEvents() - nativeBefore).isGreaterThanOrEqualTo(50);
    }

    @Test
    void fullEventQueueDropsAndCountsInsteadOfBlockingTheSdkThread() throws Exception {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("full");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger frames = new AtomicInteger();
        RtcConnectionConfig tiny = RtcConnectionConfig.builder().eventQueueCapacity(16).build();
        try (RtcConnection listener = s.createConnection(tiny);
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(100))) {
            listener.localUser().setRemoteAudioListener((c, user, frame) -> {
                frames.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            listener.connect("", channel, "listener");
            speaker.connect("", channel, "speaker");
            speaker.localUser().publishAudio(track);
            track.sender().send(new byte[PcmFormat.MONO_16K.bytesPerFrame() * 60], PcmFormat.MONO_16K);
            // The SDK keeps delivering while the listener is stuck: the queue overflows and counts.
            assertThat(TestNative.await(() -> listener.droppedEvents() > 0, Duration.ofSeconds(3))).isTrue();
            assertThat(TestNative.await(() -> TestNative.loopback().loopback_conn_frames_delivered(
                    listener.handle().getPointer()) >= 60, Duration.ofSeconds(3))).isTrue();
            release.countDown();
            assertThat(TestNative.await(() -> frames.get() + listener.droppedEvents() >= 60, Duration.ofSeconds(3)))
                    .isTrue();
        }
    }
}
