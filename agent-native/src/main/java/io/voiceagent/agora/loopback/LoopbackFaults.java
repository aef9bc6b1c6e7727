package io.voiceagent.agora.loopback;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Faults the loopback library injects into connections that connect from now on: audio frame loss,
 * extra delay, a forced disconnect, a required token. Each fault left empty keeps what the
 * environment says ({@code AGORA_LOOPBACK_*}, see the loopback README). Immutable; build with
 * {@link #none()} and the {@code with...} methods, apply with {@link LoopbackDiagnostics#injectFaults}.
 *
 * @param lossPercent share of transmitted audio frames dropped, 0..100 (seeded, deterministic per connection)
 * @param delay extra delay before a received frame or message becomes playable, 0..10 s
 * @param disconnectAfter time after joining when the connection is lost ({@code on_connection_lost},
 *     then {@code on_connection_failure}), 1 ms..1 h
 * @param requireToken whether a null or empty token fails the join with INVALID_TOKEN
 */
public record LoopbackFaults(Optional<Integer> lossPercent, Optional<Duration> delay, Optional<Duration> disconnectAfter,
        Optional<Boolean> requireToken) {

    public LoopbackFaults {
        Objects.requireNonNull(lossPercent, "lossPercent");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(disconnectAfter, "disconnectAfter");
        Objects.requireNonNull(requireToken, "requireToken");
        lossPercent.ifPresent(p -> {
            if (p < 0 || p > 100) {
                throw new IllegalArgumentException("lossPercent must be in 0..100; got " + p);
            }
        });
        delay.ifPresent(d -> {
            if (d.isNegative() || d.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("delay must be 0..10 s; got " + d.toMillis() + " ms");
            }
        });
        disconnectAfter.ifPresent(d -> {
            if (d.toMillis() < 1 || d.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("disconnectAfter must be 1 ms..1 h; got " + d.toMillis() + " ms");
            }
        });
    }

    /** No fault overridden: what the environment says (usually nothing). */
    public static LoopbackFaults none() {
        return new LoopbackFaults(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public LoopbackFaults withLossPercent(int percent) {
        return new LoopbackFaults(Optional.of(percent), delay, disconnectAfter, requireToken);
    }

    public LoopbackFaults withDelay(Duration d) {
        return new LoopbackFaults(lossPercent, Optional.of(d), disconnectAfter, requireToken);
    }

    public LoopbackFaults withDisconnectAfter(Duration d) {
        return new LoopbackFaults(lossPercent, delay, Optional.of(d), requireToken);
    }

    public LoopbackFaults withRequireToken(boolean required) {
        return new LoopbackFaults(lossPercent, delay, disconnectAfter, Optional.of(required));
    }

    /** The C arguments of {@code loopback_set_faults}: -1 = the environment's value. */
    int[] toNative() {
        return new int[] {lossPercent.orElse(-1), delay.map(d -> (int) d.toMillis()).orElse(-1),
                disconnectAfter.map(d -> (int) d.toMillis()).orElse(-1), requireToken.map(b -> b ? 1 : 0).orElse(-1)};
    }
}
