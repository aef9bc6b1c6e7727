package io.voiceagent.agora.pool;

import io.voiceagent.agora.internal.TypedAccess;
import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.agora.AgoraException;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.ConnectionState;
import io.voiceagent.agora.RtcConnectException;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.RtcConnectionListener;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of {@link RtcConnection}s for a long-running multi-channel bot service, as Agora
 * recommends: all connections are created (not connected) at start; {@link #acquire} takes an idle
 * one, connects it for one user and returns a {@link Lease}; closing the lease disconnects it,
 * releases everything the lease owned (tracks, consumers, VAD state) and returns it clean; a
 * connection that failed (connect error, forced disconnect, lost) is destroyed and replaced instead
 * of reused. {@link #close()} releases every lease and connection within
 * {@link ConnectionPoolConfig#closeTimeout()}.
 *
 * <p>Each connection has its own serial event executor, and a reused connection gets a fresh one, so
 * audio, events and data-stream messages of one lease never reach another lease's listeners.
 * Thread-safe; bounded by {@link ConnectionPoolConfig#size()}.
 */
public final class ConnectionPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);

    private final AgoraService service;
    private final ConnectionPoolConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<RtcConnection> idle = new ArrayDeque<>();
    // Guarded by lock: connections alive (idle + leased).
    private int live;
    // Guarded by lock.
    private boolean closed;
    private final Set<Lease> leases = ConcurrentHashMap.newKeySet();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong replaced = new AtomicLong();
    private final AtomicLong acquired = new AtomicLong();
    private final AtomicLong acquireTimeouts = new AtomicLong();

    private ConnectionPool(AgoraService service, ConnectionPoolConfig config) {
        this.service = service;
        this.config = config;
    }

    /**
     * Creates the pool and all of its connections.
     *
     * @throws AgoraException if a connection cannot be created (those already created are closed)
     */
    public static ConnectionPool create(AgoraService service, ConnectionPoolConfig config) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(config, "config");
        ConnectionPool pool = new ConnectionPool(service, config);
        try {
            for (int i = 0; i < config.size(); i++) {
                RtcConnection c = service.createConnection(config.connectionConfig());
                pool.lock.lock();
                try {
                    pool.idle.add(c);
                    pool.live++;
                } finally {
                    pool.lock.unlock();
                }
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        log.info("Connection pool of {} started", config.size());
        return pool;
    }

    /** This pool's configuration. */
    public ConnectionPoolConfig config() {
        return config;
    }

    /** {@link #acquire(String, String, String, RtcConnectionListener, Duration)} with the default timeout. */
    public Lease acquire(String channelId, String userId, String token, RtcConnectionListener listener) {
        return acquire(channelId, userId, token, listener, config.acquireTimeout());
    }

    /**
     * Takes an idle connection, registers {@code listener} (may be null) and joins {@code channelId}
     * as {@code userId}.
     *
     * @throws PoolExhaustedException if no connection became idle within {@code timeout}
     * @throws RtcConnectException if joining failed (the connection is replaced, not reused)
     * @throws IllegalStateException if the pool is closed
     */
    public Lease acquire(String channelId, String userId, String token, RtcConnectionListener listener,
            Duration timeout) {
        RtcConnection.validateChannel(channelId);
        RtcConnection.validateUserId(userId);
        Objects.requireNonNull(token, "token must not be null: pass \"\" for an app id without certificate");
        Objects.requireNonNull(timeout, "timeout");
        RtcConnection conn = takeIdle(timeout);
        Lease lease = new Lease(this, conn, channelId, userId);
        try {
            conn.addListener(lease.failureWatcher());
            if (listener != null) {
                conn.addListener(listener);
            }
            leases.add(lease);
            conn.connect(token, channelId, userId);
        } catch (RuntimeException e) {
            lease.markFailed();
            lease.close();
            throw e;
        }
        acquired.incrementAndGet();
        return lease;
    }

    private RtcConnection takeIdle(Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("ConnectionPool is closed");
                }
                RtcConnection c = idle.poll();
                if (c != null) {
                    return c;
                }
                if (live < config.size()) {
                    // A failed connection's replacement could not be created earlier: reserve the slot, retry below.
                    live++;
                    break;
                }
                if (remaining <= 0) {
                    acquireTimeouts.incrementAndGet();
                    throw new PoolExhaustedException("No idle connection within " + timeout.toMillis() + " ms: all "
                            + config.size() + " are leased");
                }
                remaining = available.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for an idle connection", e);
        } finally {
            lock.unlock();
        }
        try {
            RtcConnection fresh = service.createConnection(config.connectionConfig());
            replaced.incrementAndGet();
            return fresh;
        } catch (RuntimeException e) {
            lock.lock();
            try {
                live--;
                available.signal();
            } finally {
                lock.unlock();
            }
            throw e;
        }
    }

    /** Called by {@link Lease#close()} after the lease's own resources are closed. */
    void release(Lease lease, RtcConnection conn, boolean leaseFailed) {
        leases.remove(lease);
        boolean reuse = !leaseFailed && conn.state() != ConnectionState.FAILED && !isClosed();
        if (reuse) {
            try {
                TypedAccess.get().resetForReuse(conn);
            } catch (RuntimeException e) {
                log.warn("Resetting {} for reuse failed; replacing it", conn, e);
                reuse = false;
            }
        }
        if (!reuse) {
            if (leaseFailed || conn.state() == ConnectionState.FAILED) {
                failed.incrementAndGet();
            }
            conn.close();
        }
        RtcConnection replacement = null;
        if (!reuse && !isClosed()) {
            try {
                replacement = service.createConnection(config.connectionConfig());
                replaced.incrementAndGet();
            } catch (RuntimeException e) {
                log.warn("Could not create a replacement connection; the next acquire retries", e);
            }
        }
        lock.lock();
        try {
            if (reuse) {
                idle.add(conn);
            } else if (replacement != null) {
                if (closed) {
                    live--;
                } else {
                    idle.add(replacement);
                }
            } else {
                live--;
            }
            available.signal();
        } finally {
            lock.unlock();
        }
        if (replacement != null && isClosed()) {
            replacement.close();
        }
    }

    /** A snapshot of the pool's counters. */
    public PoolMetrics metrics() {
        lock.lock();
        try {
            return new PoolMetrics(config.size(), live - idle.size(), idle.size(), failed.get(), replaced.get(),
                    acquired.get(), acquireTimeouts.get());
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes every outstanding lease (and what it owns), then every idle connection, in parallel,
     * within {@link ConnectionPoolConfig#closeTimeout()}; what is still closing after the deadline is
     * logged and left to {@link AgoraService#close()}. Idempotent.
     */
    @Override
    public void close() {
        List<RtcConnection> idleNow;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            idleNow = new ArrayList<>(idle);
            idle.clear();
            live -= idleNow.size();
            available.signalAll();
        } finally {
            lock.unlock();
        }
        List<AutoCloseable> all = new ArrayList<>(leases);
        all.addAll(idleNow);
        if (all.isEmpty()) {
            return;
        }
        ExecutorService closer = Executors.newFixedThreadPool(Math.min(8, all.size()),
                DaemonThreads.named("pool-close-"));
        for (AutoCloseable c : all) {
            closer.execute(() -> {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("Closing {} failed", c, e);
                }
            });
        }
        closer.shutdown();
        try {
            if (!closer.awaitTermination(config.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Connection pool: not everything closed within {} ms; the service releases the rest",
                        config.closeTimeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Connection pool closed ({} leases were still out)", all.size() - idleNow.size());
    }
}
