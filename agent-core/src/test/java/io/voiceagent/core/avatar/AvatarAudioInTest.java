package io.voiceagent.core.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker's queue on a fake clock: every message, in and out of order, malformed ones too. */
class AvatarAudioInTest {
    private static final int FRAME = PcmFormat.MONO_16K.bytesPerFrame();

    private final FakeTicker ticker = new FakeTicker();
    private final List<String> acks = new ArrayList<>();
    private int interruptCalls;
    private final AvatarAudioIn in = AvatarAudioIn.builder().ticker(ticker).ackSink(acks::add)
            .onInterrupt(() -> interruptCalls++).build();

    /** {@code frames} 10 ms frames whose samples are all {@code value}. */
    private static byte[] pcm(int frames, int value) {
        byte[] b = new byte[frames * FRAME];
        for (int i = 0; i < b.length; i += 2) {
            b[i] = (byte) value;
            b[i + 1] = (byte) (value >> 8);
        }
        return b;
    }

    private int pollAll() {
        int n = 0;
        while (in.poll() != null) {
            n++;
        }
        return n;
    }

    private static AvatarProtocol.StreamEnded ack(String s) {
        return (AvatarProtocol.StreamEnded) AvatarProtocol.parse(s);
    }

    @Test
    void aSegmentIsPlayedFrameByFrameAndAckedWithItsRealPosition() {
        byte[] audio = pcm(25, 1000);
        in.onBinary(audio, 0, 1000);          // chunks that do not align with frames
        in.onBinary(audio, 1000, audio.length - 1000);
        in.onText(AvatarProtocol.SEGMENT_END);
        assertThat(in.queuedFrames()).isEqualTo(25);
        assertThat(in.peekLevel(4)).isCloseTo(1000 / 32768.0, org.assertj.core.data.Offset.offset(1e-6));
        byte[] first = in.poll();
        assertThat(first).hasSize(FRAME);
        assertThat(first[0]).isEqualTo((byte) 1000);
        assertThat(pollAll()).isEqualTo(24);
        assertThat(acks).hasSize(1);
        assertThat(ack(acks.get(0))).isEqualTo(new AvatarProtocol.StreamEnded(Duration.ofMillis(250), false));
        assertThat(in.stats().framesPlayed()).isEqualTo(25);
    }

    @Test
    void aPartialTrailingFrameIsPaddedAtSegmentEnd() {
        in.onBinary(pcm(2, 5), 0, FRAME + 100);   // 1 frame + 100 bytes
        in.segmentEnd();
        assertThat(pollAll()).isEqualTo(2);
        assertThat(ack(acks.get(0)).playbackPosition()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void audioAfterSegmentEndIsTheNextSegmentQueuedBehind() {
        in.onBinary(pcm(3, 1), 0, 3 * FRAME);
        in.segmentEnd();
        in.onBinary(pcm(5, 2), 0, 5 * FRAME);   // arrives while segment 1 still plays
        in.segmentEnd();
        List<Integer> tags = new ArrayList<>();
        byte[] f;
        while ((f = in.poll()) != null) {
            tags.add((int) f[0]);
        }
        assertThat(tags).containsExactly(1, 1, 1, 2, 2, 2, 2, 2);
        assertThat(acks).extracting(a -> ack(a).playbackPosition()).containsExactly(Duration.ofMillis(30),
                Duration.ofMillis(50));
    }

    @Test
    void interruptClearsTheQueueAcksWhatWasPlayedAndDropsAudioDuringTheCooldown() {
        in.onBinary(pcm(50, 3), 0, 50 * FRAME);
        for (int i = 0; i < 12; i++) {
            in.poll();
        }
        in.onText("INTERRUPT");
        assertThat(in.queuedFrames()).isZero();
        assertThat(in.poll()).as("silent at once").isNull();
        assertThat(acks).hasSize(1);
        assertThat(ack(acks.get(0))).isEqualTo(new AvatarProtocol.StreamEnded(Duration.ofMillis(120), true));
        assertThat(interruptCalls).isEqualTo(1);

        ticker.advanceMillis(299);
        in.onBinary(pcm(10, 4), 0, 10 * FRAME);   // late audio of the interrupted turn
        assertThat(in.poll()).isNull();
        assertThat(in.stats().framesDroppedInCooldown()).isEqualTo(10);
        in.onText("INTERRUPT");                    // a second interrupt (say, over the data stream too)
        assertThat(in.stats().interruptsInCooldown()).isEqualTo(1);
        assertThat(acks).hasSize(1);
        assertThat(interruptCalls).isEqualTo(1);

        ticker.advanceMillis(1);                   // cooldown over: the next turn plays
        in.onBinary(pcm(2, 5), 0, 2 * FRAME);
        in.segmentEnd();
        assertThat(pollAll()).isEqualTo(2);
        assertThat(acks).hasSize(2);
        assertThat(ack(acks.get(1))).isEqualTo(new AvatarProtocol.StreamEnded(Duration.ofMillis(20), false));
    }

    @Test
    void everySegmentWithAudioGetsExactlyOneAckEvenWhenCutBeforeItPlays() {
        in.onBinary(pcm(4, 1), 0, 4 * FRAME);
        in.segmentEnd();
        in.onBinary(pcm(4, 2), 0, 4 * FRAME);
        in.segmentEnd();
        in.onBinary(pcm(4, 3), 0, 4 * FRAME);   // a third, not yet ended
        in.poll();
        in.interrupt();
        assertThat(acks).extracting(AvatarAudioInTest::ack).containsExactly(
                new AvatarProtocol.StreamEnded(Duration.ofMillis(10), true),
                new AvatarProtocol.StreamEnded(Duration.ZERO, true),
                new AvatarProtocol.StreamEnded(Duration.ZERO, true));
        assertThat(in.stats().segmentsInterrupted()).isEqualTo(3);
    }

    @Test
    void anInterruptWithNothingPlayingCutsNothingAndAcksNothing() {
        in.onBinary(pcm(2, 1), 0, 2 * FRAME);
        in.segmentEnd();
        pollAll();
        in.interrupt();   // the segment had already finished (and was acked)
        assertThat(acks).hasSize(1);
        assertThat(in.stats().idleInterrupts()).isEqualTo(1);
        assertThat(in.inCooldown()).isTrue();
    }

    @Test
    void garbageAndOutOfOrderMessagesAreCountedAndChangeNothing() {
        in.onBinary(pcm(3, 7), 0, 3 * FRAME);
        in.onText("{this is not json");
        in.onText("{\"type\":\"dance\"}");
        in.onText(AvatarProtocol.streamEnded(Duration.ofSeconds(1), false)); // the worker's own message, echoed
        in.onText("");
        in.segmentEnd();
        in.segmentEnd();                          // a duplicate segment_end: no audio before it
        assertThat(pollAll()).isEqualTo(3);
        assertThat(acks).hasSize(1);
        AvatarAudioIn.Stats s = in.stats();
        assertThat(s.malformedMessages()).isEqualTo(2);
        assertThat(s.unknownMessages()).isEqualTo(2);
        assertThat(s.emptySegmentEnds()).isEqualTo(1);
        in.onText(AvatarProtocol.SEGMENT_END);   // segment_end before any audio
        assertThat(in.stats().emptySegmentEnds()).isEqualTo(2);
    }

    @Test
    void theQueueIsBoundedAndSaysWhatItDropped() {
        AvatarAudioIn small = AvatarAudioIn.builder().ticker(ticker).maxQueued(Duration.ofMillis(50)).build();
        small.onBinary(pcm(8, 1), 0, 8 * FRAME);
        assertThat(small.queuedFrames()).isEqualTo(5);
        assertThat(small.stats().framesOverflowed()).isEqualTo(3);
    }
}
