package io.voiceagent.agora;

import io.voiceagent.agora.audio.AudioOutput;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.core.audio.AudioFrame;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioPacer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Barge-in through the real native path: after clear() returns, nothing queued before it plays. */
@ExtendWith(NativeLeakExtension.class)
class AudioOutputTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;

    /** Counts frames from the speaker and remembers when the last one arrived. */
    static final class Arrivals implements RemoteAudioListener {
        final AtomicLong frames = new AtomicLong();
        volatile long lastNanos;
        volatile long firstNanos;

        @Override
        public void onAudioFrame(RtcConnection c, String userId, AudioFrame frame) {
            long now = System.nanoTime();
            if (frames.getAndIncrement() == 0) {
                firstNanos = now;
            }
            lastNanos = now;
        }
    }

    private static byte[] tone(int frames) {
        byte[] b = new byte[F.bytesPerFrame() * frames];
        for (int i = 0; i < b.length / 2; i++) {
            short v = (short) (6000 * Math.sin(i * 0.1));
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        return b;
    }

    @Test
    void pacedOutputStopsAtOnceOnInterrupt() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("interrupt");
        Arrivals arrivals = new Arrivals();
        try (AudioPacer pacer = AudioPacer.start();
                RtcConnection listener = s.createConnection();
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack()) {
            listener.localUser().setRemoteAudioListener(arrivals);
            listener.connect("", channel, "listener");
            speaker.connect("", channel, "speaker");
            speaker.localUser().publishAudio(track);
            AudioOutput out = AudioOutput.paced(track, pacer, F);
            assertThat(out.isDirect()).isFalse();
            out.write(tone(500)); // 5 s of answer
            assertThat(TestNative.await(() -> arrivals.frames.get() >= 50, Duration.ofSeconds(3))).isTrue();
            long dropped = out.clear();
            long interruptedAt = System.nanoTime();
            long sentAtInterrupt = TestNative.loopback().loopback_track_frames_sent(track.handle().getPointer());
            assertThat(dropped).isGreaterThan(F.bytesPerFrame() * 300L);
            assertThat(TestNative.loopback().loopback_track_frames_queued(track.handle().getPointer())).isZero();
            TestNative.await(() -> false, Duration.ofMillis(300));
            assertThat(TestNative.loopback().loopback_track_frames_sent(track.handle().getPointer()))
                    .as("frames transmitted after clear() returned").isEqualTo(sentAtInterrupt);
            long silenceMs = Math.max(0, arrivals.lastNanos - interruptedAt) / 1_000_000;
            System.out.println("paced interrupt-to-silence: " + silenceMs + " ms");
            assertThat(silenceMs).as("frames already in the receiver's jitter buffer only").isLessThan(100);
            assertThat(arrivals.frames.get()).isLessThan(200);
            out.close();
        }
    }

    @Test
    void directOutputLetsTheSdkPaceAndStillInterrupts() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("direct");
        Arrivals arrivals = new Arrivals();
        try (RtcConnection listener = s.createConnection();
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(3000))) {
            listener.localUser().setRemoteAudioListener(arrivals);
            listener.connect("", channel, "listener");
            speaker.connect("", channel, "speaker");
            speaker.localUser().publishAudio(track);
            AudioOutput out = AudioOutput.direct(track, F);
            assertThat(out.isDirect()).isTrue();
            byte[] answer = tone(300);
            out.write(answer, 0, 1000);           // not a whole frame: kept until more arrives
            out.write(answer, 1000, answer.length - 1000 - 100);
            assertThat(TestNative.loopback().loopback_track_frames_queued(track.handle().getPointer()))
                    .as("whole frames are in the SDK buffer at once").isGreaterThan(250);
            out.write(answer, answer.length - 100, 100);
            out.endSegment();
            assertThat(out.isPushToRtcCompleted()).isFalse();
            assertThat(TestNative.await(() -> arrivals.frames.get() >= 100, Duration.ofSeconds(3))).isTrue();
            // The SDK paced it: 100 frames took about a second, not a burst.
            assertThat((arrivals.lastNanos - arrivals.firstNanos) / 1_000_000).isGreaterThan(800);
            out.clear();
            long sentAtInterrupt = TestNative.loopback().loopback_track_frames_sent(track.handle().getPointer());
            TestNative.await(() -> false, Duration.ofMillis(200));
            assertThat(TestNative.loopback().loopback_track_frames_sent(track.handle().getPointer()))
                    .isEqualTo(sentAtInterrupt);
            assertThat(sentAtInterrupt).isLessThan(300);
            assertThat(out.isPushToRtcCompleted()).isTrue();
            out.close();
            assertThatThrownBy(() -> out.write(new byte[320])).isInstanceOf(IllegalStateException.class);
        }
    }
}
