package io.voiceagent.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.pacing.PcmSink;
import io.voiceagent.testing.ScriptedChat;
import io.voiceagent.testing.ScriptedStt;
import io.voiceagent.testing.ScriptedTts;
import io.voiceagent.testing.Scheduler;
import io.voiceagent.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Several sessions on one real pacer, barge-in loops racing round ends, and listeners that call back
 * into their session ({@code toString}, queries, {@code interrupt}) and block briefly; thousands of
 * rounds on real threads (pool executors, I/O threads for the scripted LLM and TTS, the pacer
 * thread). A {@link Watchdog} fails the test with a thread dump on a deadlock or when audio stops
 * flowing, instead of hanging.
 *
 * <p>This is the scenario that froze the previous design within seconds: round events ran on
 * whichever thread drove the change (the pacer thread included) and the consumer called its
 * listener while holding its send lock, so a listener reading the agent waited for the round
 * manager's lock while a barge-in holding that lock waited for the send lock. Every agent of the
 * process went silent (a port of this scenario to that code deadlocked after about 1,700 rounds,
 * with the pacer thread parked in {@code RoundManager.toString}).
 *
 * <p>Checked: every event of a session ran on that session's executor and on no other thread; each
 * round started once and ended once; no frame of an interrupted round reached its remote side after
 * the interrupt (the frame count is read in {@code interrupted}, which runs right after the drop);
 * audio of uninterrupted rounds did play; every session closes.
 */
class AgentSessionStressTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;
    private static final int SESSIONS = 6;
    private static final long TARGET_ROUNDS = 3000;
    private static final Pattern TAG = Pattern.compile("#(\\d+)");

    /** The remote side of one session: a tag per frame, in send order. */
    static final class Heard implements PcmSink {
        private final List<Integer> tags = new ArrayList<>();

        @Override
        public synchronized void sendFrames(byte[] data, int offset, int length, PcmFormat format) {
            for (int off = offset; off < offset + length; off += format.bytesPerFrame()) {
                tags.add(ScriptedTts.tagOf(data, off));
            }
        }

        synchronized int frames() {
            return tags.size();
        }

        synchronized List<Integer> snapshot() {
            return List.copyOf(tags);
        }
    }

    /** One session under test, with what its listener saw. */
    static final class Subject implements AgentSessionListener {
        final int index;
        final Heard heard = new Heard();
        final Random random;
        volatile AgentSession session;
        volatile InMemoryTransport transport;
        final Map<Long, Integer> tagOfRound = new ConcurrentHashMap<>();
        final Map<Long, Integer> heardAtInterrupt = new ConcurrentHashMap<>();
        final Map<Long, AtomicLong> starts = new ConcurrentHashMap<>();
        final Map<Long, AtomicLong> ends = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final AtomicLong ended = new AtomicLong();
        final AtomicLong completed = new AtomicLong();

        Subject(int index) {
            this.index = index;
            this.random = new Random(0xC0FFEE + index);
        }

        /** Every event: on the session's executor only, and it may read the session and block a little. */
        private void onEvent(String what) {
            if (!transport.executor().inExecutor()) {
                violations.add(what + " ran on " + Thread.currentThread().getName());
            }
            String s = session.toString();
            if (!s.contains(session.name())) {
                violations.add("toString " + s);
            }
            session.history();
            session.currentRoundId();
            if ((what.hashCode() & 7) == 0) {
                LockSupport.parkNanos(200_000); // a listener that blocks briefly
            }
        }

        @Override
        public void roundStarted(long roundId) {
            onEvent("roundStarted");
            starts.computeIfAbsent(roundId, id -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void agentTextDelta(long roundId, String delta) {
            onEvent("agentTextDelta");
            Matcher m = TAG.matcher(delta);
            if (m.find()) {
                tagOfRound.put(roundId, Integer.parseInt(m.group(1)));
            }
        }

        @Override
        public void agentSpeechStarted(long roundId) {
            onEvent("agentSpeechStarted");
        }

        @Override
        public void interrupted(long roundId, InterruptTrigger trigger) {
            heardAtInterrupt.put(roundId, heard.frames());
            onEvent("interrupted");
        }

        @Override
        public void roundEnded(RoundResult result) {
            onEvent("roundEnded");
            ends.computeIfAbsent(result.roundId(), id -> new AtomicLong()).incrementAndGet();
            if (result.reason() == RoundEndReason.COMPLETED) {
                completed.incrementAndGet();
            }
            ended.incrementAndGet();
            if (result.roundId() % 5 == 0) {
                session.interrupt(); // a listener that calls a command: queued, runs after this event
            }
        }
    }

    @Test
    void sessionsOnOnePacerSurviveBargeInLoopsAndReentrantBlockingListeners() throws Exception {
        ExecutorService sessionPool = Executors.newFixedThreadPool(4, DaemonThreads.named("stress-session-"));
        ScheduledExecutorService io = Executors.newScheduledThreadPool(4, DaemonThreads.named("stress-io-"));
        List<Subject> subjects = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> drivers = new ArrayList<>();
        try (AudioPacer pacer = AudioPacer.builder().threadName("stress-pacer").build()) {
            Scheduler scheduler = Scheduler.onThreads(io);
            // "Reply #<turn>." streamed in two pieces; each piece of text is 60-150 ms of speech tagged <turn>.
            ScriptedChat chat = new ScriptedChat(m -> {
                String turn = m.get(m.size() - 1).content().replace("turn ", "");
                return List.of("Reply #" + turn + ".", " More of #" + turn + " here.");
            }, scheduler, Duration.ofMillis(1), Duration.ofMillis(2));
            for (int i = 0; i < SESSIONS; i++) {
                Subject s = new Subject(i);
                ScriptedTts tts = new ScriptedTts(scheduler, Duration.ofMillis(1), Duration.ofMillis(5),
                        Duration.ofMillis(20), t -> Duration.ofMillis(60 + 10L * (t.length() % 10)), t -> {
                            Matcher m = TAG.matcher(t);
                            return m.find() ? Integer.parseInt(m.group(1)) : 1;
                        });
                s.transport = InMemoryTransport.create(SessionExecutor.onPool("stress-" + i, sessionPool), pacer, F,
                        s.heard);
                s.session = AgentSession.builder().name("stress-" + i).stt(new ScriptedStt(scheduler, Duration.ZERO))
                        .llm(chat).tts(tts).maxHistoryMessages(10).listener(s).build().start(s.transport);
                subjects.add(s);
            }
            for (Subject s : subjects) {
                Thread t = new Thread(() -> drive(s, stop), "stress-driver-" + s.index);
                t.setDaemon(true);
                drivers.add(t);
            }
            Watchdog.limit(Duration.ofSeconds(120))
                    .progress("frames heard", () -> subjects.stream().mapToLong(s -> s.heard.frames()).sum(),
                            Duration.ofSeconds(5))
                    .progress("rounds ended", () -> subjects.stream().mapToLong(s -> s.ended.get()).sum(),
                            Duration.ofSeconds(5))
                    .run(() -> {
                        drivers.forEach(Thread::start);
                        while (subjects.stream().mapToLong(s -> s.ended.get()).sum() < TARGET_ROUNDS) {
                            Thread.sleep(20);
                        }
                        stop.set(true);
                        for (Thread t : drivers) {
                            t.join();
                        }
                        for (Subject s : subjects) {
                            s.session.close();
                            assertThat(s.session.closeFuture()).succeedsWithin(Duration.ofSeconds(10));
                        }
                    });
            assertThat(pacer.consumerCount()).as("every session's output closed").isZero();
        } finally {
            stop.set(true);
            sessionPool.shutdownNow();
            io.shutdownNow();
        }

        long rounds = 0;
        long completed = 0;
        long interrupts = 0;
        for (Subject s : subjects) {
            assertThat(s.violations).as("session %d", s.index).isEmpty();
            // Paired: every round started once and ended once.
            assertThat(s.starts.keySet()).isEqualTo(s.ends.keySet());
            assertThat(s.starts.values()).allMatch(n -> n.get() == 1);
            assertThat(s.ends.values()).allMatch(n -> n.get() == 1);
            List<Integer> heard = s.heard.snapshot();
            for (Map.Entry<Long, Integer> cut : s.heardAtInterrupt.entrySet()) {
                Integer tag = s.tagOfRound.get(cut.getKey());
                if (tag != null) {
                    assertThat(heard.subList(cut.getValue(), heard.size()))
                            .as("session %d: frames of interrupted round %d (tag %d) after its interrupt", s.index,
                                    cut.getKey(), tag)
                            .doesNotContain(tag);
                }
            }
            rounds += s.ended.get();
            completed += s.completed.get();
            interrupts += s.heardAtInterrupt.size();
        }
        assertThat(rounds).isGreaterThanOrEqualTo(TARGET_ROUNDS);
        assertThat(completed).as("some rounds played to the end").isPositive();
        assertThat(interrupts).as("and many were cut off").isGreaterThan(rounds / 4);
        System.out.printf("stress: %d rounds, %d completed, %d interrupted, over %d sessions%n", rounds, completed,
                interrupts, SESSIONS);
    }

    /** A user who types, talks over the agent, interrupts and lets some answers finish, at random. */
    private static void drive(Subject s, AtomicBoolean stop) {
        int turn = 1000 * (s.index + 1);
        while (!stop.get()) {
            int what = s.random.nextInt(10);
            if (what < 6) {
                s.session.sendText("turn " + (turn++));
            } else if (what < 8) {
                s.session.interrupt();
            } else {
                s.session.say("Saying #" + (turn++) + " now.");
            }
            long pause = s.random.nextInt(5) == 0 ? 80 + s.random.nextInt(80) : s.random.nextInt(15);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
        }
    }
}
