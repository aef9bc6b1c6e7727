package io.voiceagent.agora.pool;

import io.voiceagent.agora.RtcConnectionConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable configuration of a {@link ConnectionPool}.
 *
 * @param size number of connections, all created when the pool starts (1 to 10,000)
 * @param connectionConfig configuration of every pooled connection
 * @param acquireTimeout how long {@link ConnectionPool#acquire} waits for an idle connection by default
 * @param closeTimeout the deadline for {@link ConnectionPool#close()} to release everything
 */
public record ConnectionPoolConfig(int size, RtcConnectionConfig connectionConfig, Duration acquireTimeout,
        Duration closeTimeout) {

    /** Validates every parameter, naming the bad one and its value. */
    public ConnectionPoolConfig {
        if (size < 1 || size > 10_000) {
            throw new IllegalArgumentException("size must be in [1, 10000]; got " + size);
        }
        Objects.requireNonNull(connectionConfig, "connectionConfig");
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (acquireTimeout.isNegative()) {
            throw new IllegalArgumentException("acquireTimeout must be >= 0; got " + acquireTimeout);
        }
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException("closeTimeout must be positive; got " + closeTimeout);
        }
    }

    /** {@code size} connections with the default connection config, 5 s acquire and 10 s close timeouts. */
    public static ConnectionPoolConfig of(int size) {
        return new ConnectionPoolConfig(size, RtcConnectionConfig.defaults(), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }

    /** A copy with another connection config. */
    public ConnectionPoolConfig withConnectionConfig(RtcConnectionConfig config) {
        return new ConnectionPoolConfig(size, config, acquireTimeout, closeTimeout);
    }

    /** A copy with another acquire timeout. */
    public ConnectionPoolConfig withAcquireTimeout(Duration timeout) {
        return new ConnectionPoolConfig(size, connectionConfig, timeout, closeTimeout);
    }

    /** A copy with another close deadline. */
    public ConnectionPoolConfig withCloseTimeout(Duration timeout) {
        return new ConnectionPoolConfig(size, connectionConfig, acquireTimeout, timeout);
    }
}
