package io.voiceagent.server.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node takes part in a cluster. Immutable.
 *
 * @param redisUri {@code redis://[user:password@]host:port[/db]} (or {@code rediss://} for TLS); the
 *     password is never logged
 * @param keyPrefix prefix of every key and channel, so clusters can share a Redis (default {@code va:})
 * @param leaseTimeout how long a worker's jobs stay its own without renewal; a dead worker's agents are
 *     claimed by others after this (default 3 s; failover takes this + one claim interval + a join)
 * @param renewInterval how often a worker renews its leases, heartbeats and looks for orphaned jobs
 *     (default 500 ms; at most a third of the lease)
 * @param joinWait how long a join request waits for a worker to report the agent running before it
 *     answers STARTING (default 3 s)
 * @param commandTimeout Redis command timeout, and how long leave/interrupt/speak wait for the owning
 *     worker (default 3 s)
 * @param history how long the records of ended agents are kept (default 24 h)
 * @param outageGrace how long a worker keeps its agents running while it cannot reach Redis at all; past
 *     it another worker may run them, so it stops them (default 30 s; a Redis restart takes far less)
 */
public record ClusterConfig(String redisUri, String keyPrefix, Duration leaseTimeout, Duration renewInterval,
        Duration joinWait, Duration commandTimeout, Duration history, Duration outageGrace) {

    public ClusterConfig {
        Objects.requireNonNull(redisUri, "redisUri");
        if (!redisUri.startsWith("redis://") && !redisUri.startsWith("rediss://")) {
            throw new IllegalArgumentException("redisUri must start with redis:// or rediss://; got '"
                    + redact(redisUri) + "'");
        }
        if (keyPrefix == null || !keyPrefix.matches("[A-Za-z0-9_.:-]{0,40}")) {
            throw new IllegalArgumentException("keyPrefix must be 0..40 of A-Z a-z 0-9 _ . : -; got '" + keyPrefix + "'");
        }
        positive("leaseTimeout", leaseTimeout);
        positive("renewInterval", renewInterval);
        positive("joinWait", joinWait);
        positive("commandTimeout", commandTimeout);
        positive("history", history);
        positive("outageGrace", outageGrace);
        if (renewInterval.multipliedBy(3).compareTo(leaseTimeout) > 0) {
            throw new IllegalArgumentException("renewInterval must be at most a third of leaseTimeout; got "
                    + renewInterval.toMillis() + " ms and " + leaseTimeout.toMillis() + " ms");
        }
    }

    /** The defaults (see the parameters) for {@code redisUri}. */
    public static ClusterConfig of(String redisUri) {
        return new ClusterConfig(redisUri, "va:", Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(3),
                Duration.ofSeconds(3), Duration.ofHours(24), Duration.ofSeconds(30));
    }

    public ClusterConfig withKeyPrefix(String prefix) {
        return new ClusterConfig(redisUri, prefix, leaseTimeout, renewInterval, joinWait, commandTimeout, history,
                outageGrace);
    }

    public ClusterConfig withLease(Duration lease, Duration renew) {
        return new ClusterConfig(redisUri, keyPrefix, lease, renew, joinWait, commandTimeout, history, outageGrace);
    }

    public ClusterConfig withOutageGrace(Duration grace) {
        return new ClusterConfig(redisUri, keyPrefix, leaseTimeout, renewInterval, joinWait, commandTimeout, history,
                grace);
    }

    /** {@code redisUri} with any password replaced by {@code ***}, for logs. */
    public String redactedUri() {
        return redact(redisUri);
    }

    /** {@code uri} with any password replaced by {@code ***}. */
    public static String redact(String uri) {
        int at = uri.indexOf('@');
        int scheme = uri.indexOf("://");
        return at > scheme && scheme >= 0 ? uri.substring(0, scheme + 3) + "***" + uri.substring(at) : uri;
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive; got " + d);
        }
    }

    @Override
    public String toString() {
        return "ClusterConfig[" + redactedUri() + ", prefix=" + keyPrefix + ", lease=" + leaseTimeout.toMillis()
                + " ms, renew=" + renewInterval.toMillis() + " ms]";
    }
}
