package io.voiceagent.core.duet;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.core.agent.InMemoryTransport;
import io.voiceagent.core.agent.SessionExecutor;
import io.voiceagent.core.audio.PcmFormat;
import io.voiceagent.core.pacing.AudioConsumerConfig;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.pacing.PcmSink;
import io.voiceagent.testing.Scheduler;
import io.voiceagent.testing.ScriptedChat;
import io.voiceagent.testing.ScriptedStt;
import io.voiceagent.testing.ScriptedTts;
import io.voiceagent.testing.Watchdog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Duets on real threads (pooled executors, the real pacer, providers answering on an I/O pool) while
 * seeded "users" on three threads type, interrupt, stop, restart, reset and change voices at random,
 * and a listener calls back into the duet from its events. A {@link Watchdog} fails the test with a
 * thread dump on a deadlock or when the audio stops moving. On each duet's wire (a listener's
 * timeline: each frame plays after the previous one of its agent; a clear forgets what was not
 * played) no frame of one agent ever starts while a frame of the other is playing.
 */
class DuetStressTest {
    private static final PcmFormat F = PcmFormat.MONO_16K;
    private static final long FRAME = 10_000_000L;

    /** One duet's wire; counts frames that start while the other agent's frame plays. */
    static final class Wire {
        private final long[] end = {Long.MIN_VALUE, Long.MIN_VALUE};
        long overlaps;
        long frames;

        PcmSink sink(int role) {
            return (data, off, len, format) -> played(role, len / format.bytesPerFrame());
        }

        synchronized void played(int role, int n) {
            long now = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long start = Math.max(now, end[role]);
                if (end[1 - role] > start) {
                    overlaps++;
                }
                end[role] = start + FRAME;
                frames++;
            }
        }

        synchronized void cleared(int role) {
            end[role] = Math.min(end[role], System.nanoTime());
        }

        synchronized long frames() {
            return frames;
        }
    }

    @Test
    void usersOnThreeThreadsNeverMakeTheAgentsTalkAtOnce() throws Exception {
        int duets = 6;
        AudioPacer pacer = AudioPacer.start();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        ScheduledExecutorService io = Executors.newScheduledThreadPool(3);
        Scheduler scheduler = Scheduler.onThreads(io);
        VoiceCatalog voices = VoiceCatalog.builder().language("en", "English", "en-us", "en-gb")
                .language("es", "Spanish", "es").engine(v -> new ScriptedTts(scheduler, Duration.ofMillis(15),
                        Duration.ofMillis(5), Duration.ofMillis(100), t -> Duration.ofMillis(400), t -> 1000))
                .build();
        List<Duet> all = new ArrayList<>();
        List<Wire> wires = new ArrayList<>();
        AtomicLong callbacks = new AtomicLong();
        try {
            for (int i = 0; i < duets; i++) {
                Wire w = new Wire();
                wires.add(w);
                String name = "stress-" + i;
                Duet[] self = new Duet[1];
                Duet d = Duet.builder().name(name)
                        .agent(DuetRole.A, DuetAgent.of("Ana", "", "en"))
                        .agent(DuetRole.B, DuetAgent.of("Ben", "", "es"))
                        .llm(ScriptedChat.replying(scheduler, Duration.ofMillis(20), Duration.ofMillis(5), "Some",
                                " words."))
                        .voices(voices)
                        .stt(new ScriptedStt(scheduler, Duration.ZERO))
                        .maxTurns(10_000)
                        .executor(SessionExecutor.onPool(name, pool))
                        .transports(role -> InMemoryTransport.create(SessionExecutor.onPool(name + role, pool), pacer, F,
                                AudioConsumerConfig.defaults(), w.sink(role.ordinal()), () -> w.cleared(role.ordinal())))
                        .listener(new DuetListener() {
                            @Override
                            public void turnStarted(DuetTurn t) {
                                callbacks.incrementAndGet();
                                if (t.index() % 7 == 0) {
                                    self[0].interrupt(); // from the duet's own executor: queued, no deadlock
                                }
                                self[0].agents(); // a query from a listener never waits
                            }

                            @Override
                            public void speakerInterrupted(DuetTurn t) {
                                if (t.index() % 5 == 0) {
                                    self[0].start();
                                }
                            }
                        })
                        .open();
                self[0] = d;
                all.add(d);
                d.start();
            }
            Watchdog.limit(Duration.ofSeconds(60))
                    .progress("frames on the wires", () -> wires.stream().mapToLong(Wire::frames).sum(),
                            Duration.ofSeconds(5))
                    .run(() -> {
                        List<Thread> users = new ArrayList<>();
                        for (int u = 0; u < 3; u++) {
                            Random random = new Random(11 + u);
                            Thread t = new Thread(() -> {
                                long end = System.nanoTime() + 6_000_000_000L;
                                while (System.nanoTime() < end) {
                                    Duet d = all.get(random.nextInt(all.size()));
                                    switch (random.nextInt(8)) {
                                        case 0, 1 -> d.userText("Hello there " + random.nextInt(100));
                                        case 2 -> d.interrupt();
                                        case 3 -> d.stop();
                                        case 4, 5 -> d.start();
                                        case 6 -> d.setAgent(DuetRole.A, a -> a.withVoice(random.nextBoolean()
                                                ? "en-us" : "en-gb"));
                                        default -> {
                                            if (random.nextInt(10) == 0) {
                                                d.reset();
                                            }
                                        }
                                    }
                                    try {
                                        Thread.sleep(random.nextInt(120)); // the users' pace, not an ordering
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            }, "duet-user-" + u);
                            users.add(t);
                            t.start();
                        }
                        for (Thread t : users) {
                            t.join();
                        }
                        for (Duet d : all) {
                            d.start().get();
                        }
                        Thread.sleep(1500); // the duets play on after the users stop: audio keeps moving
                    });
            for (int i = 0; i < duets; i++) {
                assertThat(wires.get(i).overlaps).as("overlapping frames on duet %d's wire", i).isZero();
                assertThat(wires.get(i).frames()).as("frames of duet %d", i).isPositive();
            }
            assertThat(callbacks.get()).isPositive();
        } finally {
            for (Duet d : all) {
                d.close();
                d.executor().close();
            }
            pool.shutdownNow();
            io.shutdownNow();
            pacer.close();
        }
    }
}
