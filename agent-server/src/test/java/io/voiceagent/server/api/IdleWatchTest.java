package io.voiceagent.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.voiceagent.testing.FakeClock;
import io.voiceagent.testing.ManualSessionExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The idle timeout and greeting on a fake clock: exact times, no thread. */
class IdleWatchTest {
    private final FakeClock clock = new FakeClock();
    private final ManualSessionExecutor executor = clock.newExecutor("idle");
    private final List<String> log = new ArrayList<>();
    private final long t0 = clock.nanoTime();

    private long ms() {
        return (clock.nanoTime() - t0) / 1_000_000;
    }

    private void advanceTo(long ms) {
        clock.advanceTo(t0 + ms * 1_000_000);
    }

    private IdleWatch watch(Duration timeout) {
        IdleWatch w = new IdleWatch(executor, timeout, u -> !u.equals("ignored"),
                () -> log.add("idle at " + ms()), () -> log.add("greet at " + ms()));
        executor.execute(w::begin);
        clock.runReady();
        return w;
    }

    private void at(long ms, Runnable r) {
        advanceTo(ms);
        executor.execute(r);
        clock.runReady();
    }

    @Test
    void firesTimeoutAfterTheStartWhenNobodyCame() {
        watch(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(29));
        assertThat(log).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(log).containsExactly("idle at 30000");
        clock.advance(Duration.ofSeconds(60));
        assertThat(log).as("once").hasSize(1);
    }

    @Test
    void countsFromTheLastDepartureGreetsTheFirstArrivalOnceAndIgnoresUsersItDoesNotListenTo() {
        IdleWatch w = watch(Duration.ofSeconds(10));
        at(5_000, () -> w.userJoined("a"));
        at(6_000, () -> w.userJoined("b"));
        at(20_000, () -> w.userLeft("a"));
        advanceTo(40_000);
        assertThat(log).as("b is still there").containsExactly("greet at 5000");
        at(41_000, () -> w.userJoined("ignored"));
        at(42_000, () -> w.userLeft("b"));
        advanceTo(51_999);
        assertThat(log).containsExactly("greet at 5000");
        advanceTo(52_000);
        assertThat(log).containsExactly("greet at 5000", "idle at 52000");
    }

    @Test
    void aUserWhoComesBackInTimeCancelsItAndZeroNeverFires() {
        IdleWatch w = watch(Duration.ofSeconds(10));
        at(9_000, () -> w.userJoined("a"));
        at(10_000, () -> w.userLeft("a"));
        at(19_000, () -> w.userJoined("a"));
        advanceTo(100_000);
        assertThat(log).containsExactly("greet at 9000");
        IdleWatch never = watch(Duration.ZERO);
        assertThat(never.present()).isEmpty();
        clock.advance(Duration.ofHours(1));
        assertThat(log).containsExactly("greet at 9000");
    }
}
