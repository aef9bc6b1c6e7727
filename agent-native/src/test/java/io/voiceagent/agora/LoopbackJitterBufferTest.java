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

    /** A listener and a speaker in one channel, the speaker publishing {@code track}; closes all three. */
    private static final class Link implements AutoCloseable {
        final RtcConnection listener;
        final RtcConnection speaker;
        final LocalAudioTrack track;

        /** Connects both; {@code speakerFaults} (may be none) apply to the speaker's connection. */
        Link(String name, LoopbackFaults speakerFaults) {
            AgoraService s = TestNative.service();
            String channel = TestNative.channel(name);
            listener = s.createConnection();
            speaker = s.createConnection();
            track = s.createAudioTrack(AudioTrackOptions.defaults().withMaxBufferedFrames(400));
            listener.localUser().setRemoteAudioListener((c, from, frame) -> { });
            listener.connect("", channel, "listener");
            try (var faults = LoopbackDiagnostics.injectFaults(speakerFaults)) {
                speaker.connect("", channel, "speaker");
            }
            speaker.localUser().publishAudio(track);
        }

        int target() {
            return LoopbackDiagnostics.jitterBufferTarget(listener, "speaker");
        }

        /** Queues {@code n} frames and waits until the track has sent {@code sentAtLeast} of them. */
        void sendAndWait(long seed, int n, int sentAtLeast) {
            long sent = LoopbackDiagnostics.framesSent(track);
            track.sender().send(frames(seed, n), F);
            assertThat(TestNative.await(() -> LoopbackDiagnostics.framesSent(track) >= sent + sentAtLeast, WAIT))
                    .as("the track sent %d frames", sentAtLeast).isTrue();
        }

        @Override
        public void close() {
            track.close();
            speaker.close();
            listener.close();
        }
    }

    @Test
    void reportsTheDepthPerRemoteUserAndMinusOneForAStranger() {
        try (Link l = new Link("jb-depth", LoopbackFaults.none())) {
            assertThat(TestNative.await(() -> l.target() >= 0, WAIT))
                    .as("the speaker is a remote user of the listener").isTrue();
            assertThat(l.target()).isEqualTo(2);
            assertThat(LoopbackDiagnostics.jitterBufferQueued(l.listener, "speaker")).isZero();
            assertThat(LoopbackDiagnostics.jitterBufferTarget(l.listener, "nobody")).isEqualTo(-1);
            assertThat(LoopbackDiagnostics.jitterBufferQueued(l.listener, "nobody")).isEqualTo(-1);
            assertThatThrownBy(() -> LoopbackDiagnostics.jitterBufferTarget(l.listener, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("userId");
        }
    }

    @Test
    void framesLostMidSpurtDeepenTheBuffer() {
        try (Link l = new Link("jb-loss", LoopbackFaults.none().withLossPercent(30))) { // 30 % of sends lost
            l.sendAndWait(7, 300, 300);
            assertThat(LoopbackDiagnostics.underruns(l.listener)).as("lost frames starve the receiver").isPositive();
            assertThat(l.target()).as("late (here: lost) frames mid-spurt are jitter").isGreaterThan(2);
        }
    }

    @Test
    void aDeepenedBufferShrinksBackWhileTheSenderIsInterruptedEveryFewSeconds() {
        try (Link l = new Link("jb-shrink", LoopbackFaults.none())) {
            LoopbackDiagnostics.setLossPercent(l.speaker, 30); // a lossy second, then a clean network
            l.sendAndWait(3, 100, 100);
            TestNative.await(() -> false, Duration.ofMillis(100));
            LoopbackDiagnostics.setLossPercent(l.speaker, 0);
            int deepened = l.target();
            assertThat(deepened).as("the lossy second deepened the buffer").isGreaterThan(2);
            // Four answers of 2.7 s, each cut by a barge-in 0.1 s before its end: no jitter, only clears.
            for (int i = 0; i < 4; i++) {
                l.sendAndWait(10 + i, 270, 260);
                l.track.clearSenderBuffer();
                TestNative.await(() -> false, Duration.ofMillis(60));
            }
            assertThat(l.target()).as("1,040 frames played without jitter (500 per step), cleared every 260")
                    .isLessThan(deepened);
            assertThatThrownBy(() -> LoopbackDiagnostics.setLossPercent(l.speaker, 101))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("101");
        }
    }

    @Test
    void aClearedSenderThatSoonResumesStartsANewSpurtWithoutDeepeningTheBuffer() {
        try (Link l = new Link("jb-clear", LoopbackFaults.none())) {
            int cycles = 8;
            for (int i = 0; i < cycles; i++) {
                l.sendAndWait(i, 100, 20);                         // an answer of 1 s, 0.2 s of it sent
                l.track.clearSenderBuffer();                        // barge-in: the stream stops mid-spurt
                TestNative.await(() -> false, Duration.ofMillis(60)); // the tail plays out; then the next answer
            }
            assertThat(LoopbackDiagnostics.underruns(l.listener))
                    .as("each cleared answer ran the receiver dry mid-spurt").isGreaterThanOrEqualTo(cycles);
            assertThat(l.target()).as("audio that resumes after a clear starts a new talk spurt: no jitter")
                    .isEqualTo(2);
        }
    }
}
