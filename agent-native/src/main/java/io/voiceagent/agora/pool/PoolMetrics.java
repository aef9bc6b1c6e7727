package io.voiceagent.agora.pool;

/**
 * A snapshot of a {@link ConnectionPool}'s counters.
 *
 * @param size configured number of connections
 * @param inUse connections leased out now
 * @param idle connections ready to lease now
 * @param failed connections found failed (connect error, forced disconnect, lost) since start
 * @param replaced connections destroyed and created anew since start
 * @param acquired leases handed out since start
 * @param acquireTimeouts acquires that gave up waiting for an idle connection
 */
public record PoolMetrics(int size, int inUse, int idle, long failed, long replaced, long acquired,
        long acquireTimeouts) {}
