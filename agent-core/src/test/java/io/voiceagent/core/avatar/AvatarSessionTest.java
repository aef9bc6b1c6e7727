package io.voiceagent.core.avatar;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.agent.AgentInput;
import io.voiceagent.core.agent.AgentSession;
import io.voiceagent.core.agent.AgentSessionListener;
import io.voiceagent.core.agent.AgentTransport;
import io.voiceagent.core.agent.SessionExecutor;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.testing.FakeClock;
import io.voiceagent.testing.RecordingSessionListener;
import io.voiceagent.testing.ScriptedTts;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole avatar loop on one fake clock: a session speaks through {@link AvatarAudioOut}, a link
 * with 15 ms of latency each way carries it to an {@link AvatarAudioIn} that a 10 ms playout clock
 * drains, and the worker's acks come back as session events. Exact, nothing sleeps.
 */
class AvatarSessionTest {
    private static final Duration LATENCY = Duration.ofMillis(15);

    private FakeClock clock;
    private FakeLink link;
    private AvatarAudioIn worker;
    private AvatarAudioOut out;
    private final RecordingSessionListener events = new RecordingSessionListener();
    private final List<String> playback = new ArrayList<>();
    /** What the worker played: one tag per 10 ms frame, with its clock time. */
    private final List<Integer> played = new ArrayList<>();
    private final List<Long> playedAt = new ArrayList<>();
    private final List<Long> interruptsReceivedAt = new ArrayList<>();

    /** A link whose messages arrive {@link #LATENCY} later, in order; undelivered binaries can be dropped. */
    final class FakeLink implements AvatarLink {
        private final ArrayDeque<Object> inFlight = new ArrayDeque<>();
        private Consumer<String> receiver;
        final List<String> textsSent = new ArrayList<>();
        int binariesAfterLastInterrupt;
        boolean open = true;

        @Override
        public void sendBinary(byte[] data, int offset, int length) {
            byte[] copy = java.util.Arrays.copyOfRange(data, offset, offset + length);
            binariesAfterLastInterrupt++;
            carry(copy);
        }

        @Override
        public void sendText(String text) {
            textsSent.add(text);
            if (text.equals(AvatarProtocol.INTERRUPT)) {
                binariesAfterLastInterrupt = 0;
            }
            carry(text);
        }

        private void carry(Object m) {
            inFlight.addLast(m);
            clock.schedule(LATENCY, () -> {
                if (inFlight.isEmpty()) {
                    return; // dropped meanwhile
                }
                Object o = inFlight.pollFirst();
                if (o instanceof byte[] b) {
                    worker.onBinary(b, 0, b.length);
                } else {
                    String t = (String) o;
                    if (t.equals(AvatarProtocol.INTERRUPT)) {
                        interruptsReceivedAt.add(clock.nanoTime());
                    }
                    worker.onText(t);
                }
            });
        }

        @Override
        public long dropQueuedBinary() {
            return 0; // what is in flight is on the wire already
        }

        @Override
        public void onText(Consumer<String> r) {
            receiver = r;
        }

        void fromWorker(String ack) {
            clock.schedule(LATENCY, () -> receiver.accept(ack));
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private void playoutTick() {
        byte[] f = worker.poll();
        if (f != null) {
            played.add(ScriptedTts.tagOf(f, 0));
            playedAt.add(clock.nanoTime());
        }
        clock.schedule(Duration.ofMillis(10), this::playoutTick);
    }

    @BeforeEach
    void setUp() {
        clock = new FakeClock();
        link = new FakeLink();
        worker = AvatarAudioIn.builder().ticker(clock.ticker()).ackSink(a -> link.fromWorker(a)).build();
        out = AvatarAudioOut.over(link, clock.pacer(), PcmFormat.MONO_16K, AudioConsumerConfig.defaults());
        clock.schedule(Duration.ofMillis(3), this::playoutTick);
    }

    private AgentSession session() {
        SessionExecutor executor = clock.newExecutor("avatar");
        AgentTransport transport = new AgentTransport() {
            @Override
            public SessionExecutor executor() {
                return executor;
            }

            @Override
            public AvatarAudioOut output() {
                return out;
            }

            @Override
            public void start(AgentInput input) {
            }

            @Override
            public void close() {
                out.close();
                executor.close();
            }
        };
        ScriptedTts tts = new ScriptedTts(clock.scheduler(), Duration.ofMillis(50), Duration.ofMillis(20),
                Duration.ofMillis(100), t -> Duration.ofMillis(20L * t.length()), t -> t.contains("two") ? 2 : 1);
        return AgentSession.builder().llm(new io.voiceagent.testing.ScriptedChat(m -> List.of("x"), clock.scheduler(),
                        Duration.ZERO, Duration.ZERO))
                .stt(new io.voiceagent.testing.ScriptedStt(clock.scheduler(), Duration.ZERO)).tts(tts)
                .listener(events).listener(new AgentSessionListener() {
                    @Override
                    public void agentPlaybackEnded(long roundId, Duration p, boolean interrupted) {
                        playback.add(roundId + " " + p.toMillis() + " " + interrupted);
                    }
                }).build().start(transport);
    }

    private long count(int tag) {
        return played.stream().filter(t -> t == tag).count();
    }

    @Test
    void aFinishedAnswerIsAckedWithEverythingPlayedAndReportedForItsRound() {
        AgentSession s = session();
        s.say("This is round one.");  // 18 characters: 360 ms of speech
        clock.advance(Duration.ofSeconds(2));
        assertThat(count(1)).isEqualTo(36);
        assertThat(link.textsSent).containsExactly(AvatarProtocol.SEGMENT_END);
        assertThat(playback).containsExactly("1 360 false");
        assertThat(events.events()).contains("round-ended 1 COMPLETED");
        assertThat(out.acksReceived()).isEqualTo(1);
        clock.close(s);
    }

    @Test
    void bargeInSilencesTheWorkerAndTheAckSaysHowMuchTheUserHeard() {
        AgentSession s = session();
        s.say("This round one is long enough to be cut off in the middle of it.");  // 1.3 s
        clock.advance(Duration.ofMillis(600));
        long interruptAt = clock.nanoTime();
        s.interrupt();
        clock.advance(Duration.ofSeconds(2));

        assertThat(link.textsSent).containsExactly(AvatarProtocol.INTERRUPT);
        assertThat(link.binariesAfterLastInterrupt).as("no audio of the round after INTERRUPT").isZero();
        long heard = count(1);
        assertThat(heard).isBetween(40L, 60L);
        // The worker went silent as soon as the interrupt arrived (one link latency later).
        long lastFrameAt = playedAt.get(playedAt.size() - 1);
        assertThat(interruptsReceivedAt).hasSize(1);
        assertThat(lastFrameAt).isLessThan(interruptsReceivedAt.get(0));
        assertThat(Duration.ofNanos(interruptsReceivedAt.get(0) - interruptAt)).isEqualTo(LATENCY);
        // The ack reports what was actually played, within +-20 ms (here: exactly).
        assertThat(playback).hasSize(1);
        String[] p = playback.get(0).split(" ");
        assertThat(p[0]).isEqualTo("1");
        assertThat(p[2]).isEqualTo("true");
        assertThat(Math.abs(Long.parseLong(p[1]) - heard * 10)).isLessThanOrEqualTo(20);
        assertThat(events.events()).containsSubsequence("interrupted 1 EXPLICIT", "round-ended 1 INTERRUPTED EXPLICIT");

        // The next answer plays after the cooldown and is reported for round 2.
        s.say("Now round two.");
        clock.advance(Duration.ofSeconds(2));
        assertThat(count(2)).isEqualTo(28);
        assertThat(playback).containsExactly(playback.get(0), "2 280 false");
        clock.close(s);
    }

    @Test
    void garbageFromTheWorkerIsCountedAndIgnored() {
        AgentSession s = session();
        link.fromWorker("{oops");
        link.fromWorker("{\"type\":\"stream_ended\",\"data\":{}}");
        clock.advance(Duration.ofMillis(100));
        assertThat(out.malformedMessages()).isEqualTo(2);
        assertThat(playback).isEmpty();
        s.say("Still fine.");
        clock.advance(Duration.ofSeconds(1));
        assertThat(playback).containsExactly("1 220 false");
        clock.close(s);
    }
}
