package io.voiceagent.agora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.voiceagent.agora.loopback.LoopbackDiagnostics;
import io.voiceagent.agora.loopback.LoopbackFaults;
import io.voiceagent.core.audio.PcmFormat;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The loopback receiver's adaptive jitter buffer, seen through {@link LoopbackDiagnostics}: frames
 * lost mid-spurt deepen it (jitter), and 5 s without jitter make it shallower again, while a sender
 * that clears its buffer on barge-in and starts the next answer soon after begins a new talk spurt:
 * that neither deepens the buffer nor restarts the count towards shrinking it. The
 * interrupt benchmarks rest on this: the frames in the buffer at an interrupt are the receiver's
 * share of interrupt-to-silence.
 */
@ExtendWith(NativeLeakExtension.class)
class LoopbackJitterBufferTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static byte[] frames(long seed, int n) {
        return TestNative.pcm(seed, F.bytesPerFrame() * n);
    }

    @Test
    void reportsTheDepthPerRemoteUserAndMinusOneForAStranger() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("jb-depth");
        try (RtcConnection listener = s.createConnection();
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack()) {
            listener.connect("", channel, "listener");
            speaker.connect("", channel, "speaker");
            speaker.localUser().publishAudio(track);
            assertThat(TestNative.await(() -> LoopbackDiagnostics.jitterBufferTarget(listener, "speaker") >= 0, WAIT))
                    .as("the speaker is a remote user of the listener").isTrue();
            assertThat(LoopbackDiagnostics.jitterBufferTarget(listener, "speaker")).isEqualTo(2);
            assertThat(LoopbackDiagnostics.jitterBufferQueued(listener, "speaker")).isZero();
            assertThat(LoopbackDiagnostics.jitterBufferTarget(listener, "nobody")).isEqualTo(-1);
            assertThat(LoopbackDiagnostics.jitterBufferQueued(listener, "nobody")).isEqualTo(-1);
            assertThatThrownBy(() -> LoopbackDiagnostics.jitterBufferTarget(listener, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("userId");
        }
    }

    @Test
    void framesLostMidSpurtDeepenTheBuffer() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("jb-loss");
        try (RtcConnection listener = s.createConnection();
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(400))) {
            listener.localUser().setRemoteAudioListener((c, from, frame) -> { });
            listener.connect("", channel, "listener");
            try (var faults = LoopbackDiagnostics.injectFaults(LoopbackFaults.none().withLossPercent(30))) {
                speaker.connect("", channel, "speaker"); // the speaker's sends lose 30 % of frames
            }
            speaker.localUser().publishAudio(track);
            track.sender().send(frames(7, 300), F);
            assertThat(TestNative.await(() -> LoopbackDiagnostics.framesSent(track) >= 300, WAIT)).isTrue();
            assertThat(LoopbackDiagnostics.underruns(listener)).as("lost frames starve the receiver").isPositive();
            assertThat(LoopbackDiagnostics.jitterBufferTarget(listener, "speaker"))
                    .as("late (here: lost) frames mid-spurt are jitter").isGreaterThan(2);
        }
    }

    @Test
    void aDeepenedBufferShrinksBackWhileTheSenderIsInterruptedEveryFewSeconds() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("jb-shrink");
        try (RtcConnection listener = s.createConnection();
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(400))) {
            listener.localUser().setRemoteAudioListener((c, from, frame) -> { });
            listener.connect("", channel, "listener");
            speaker.connect("", channel, "speaker");
            speaker.localUser().publishAudio(track);
            LoopbackDiagnostics.setLossPercent(speaker, 30); // a lossy second, then a clean network
            track.sender().send(frames(3, 100), F);
            assertThat(TestNative.await(() -> LoopbackDiagnostics.framesSent(track) >= 100, WAIT)).isTrue();
            TestNative.await(() -> false, Duration.ofMillis(100));
            LoopbackDiagnostics.setLossPercent(speaker, 0);
            int deepened = LoopbackDiagnostics.jitterBufferTarget(listener, "speaker");
            assertThat(deepened).as("the lossy second deepened the buffer").isGreaterThan(2);
            // Four answers of 2.6 s, each cut by a barge-in 0.1 s before its end: no jitter, only clears.
            for (int i = 0; i < 4; i++) {
                long sent = LoopbackDiagnostics.framesSent(track);
                track.sender().send(frames(10 + i, 270), F);
                assertThat(TestNative.await(() -> LoopbackDiagnostics.framesSent(track) >= sent + 260, WAIT)).isTrue();
                track.clearSenderBuffer();
                TestNative.await(() -> false, Duration.ofMillis(60));
            }
            assertThat(LoopbackDiagnostics.jitterBufferTarget(listener, "speaker"))
                    .as("1,040 frames played without jitter (500 per step), cleared every 260").isLessThan(deepened);
            assertThatThrownBy(() -> LoopbackDiagnostics.setLossPercent(speaker, 101))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101");
        }
    }

    @Test
    void aClearedSenderThatSoonResumesStartsANewSpurtWithoutDeepeningTheBuffer() {
        AgoraService s = TestNative.service();
        String channel = TestNative.channel("jb-clear");
        try (RtcConnection listener = s.createConnection();
                RtcConnection speaker = s.createConnection();
                LocalAudioTrack track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(400))) {
            listener.localUser().setRemoteAudioListener((c, from, frame) -> { });
            listener.connect("", channel, "listener");
            speaker.connect("", channel, "speaker");
            speaker.localUser().publishAudio(track);
            int cycles = 8;
            for (int i = 0; i < cycles; i++) {
                long sent = LoopbackDiagnostics.framesSent(track);
                track.sender().send(frames(i, 100), F); // an answer of 1 s
                assertThat(TestNative.await(() -> LoopbackDiagnostics.framesSent(track) >= sent + 20, WAIT)).isTrue();
                track.clearSenderBuffer();                   // barge-in: the stream stops mid-spurt
                TestNative.await(() -> false, Duration.ofMillis(60)); // the tail plays out; then the next answer
            }
            long underruns = LoopbackDiagnostics.underruns(listener);
            assertThat(underruns).as("each cleared answer ran the receiver dry mid-spurt").isGreaterThanOrEqualTo(cycles);
            assertThat(LoopbackDiagnostics.jitterBufferTarget(listener, "speaker"))
                    .as("audio that resumes after a clear starts a new talk spurt: no jitter").isEqualTo(2);
        }
    }
}
