package io.voiceagent.server.internal;

import io.voiceagent.core.concurrent.DaemonThreads;
import io.voiceagent.core.pacing.AudioPacer;
import io.voiceagent.core.vad.VadBatcher;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What a server hosting many {@code AgentSession}s shares among them (the web console and the duet
 * server): the pacer (owned, or the caller's), one VAD batcher, the pool whose threads the sessions'
 * executors borrow, and the executor where sessions are closed (a session's close waits for its
 * executor, which borrows the pool, so it must not run on the pool). Not exported: an implementation
 * piece of this module. Thread-safe; {@link #close()} is called once, by the owner's close.
 */
public final class SessionResources implements AutoCloseable {
    private final AudioPacer pacer;
    private final boolean ownsPacer;
    private final VadBatcher vadBatcher = VadBatcher.withDefaults();
    private final ExecutorService pool;
    private final ExecutorService closer;

    /**
     * @param pacer the pacer of the sessions' paced outputs
     * @param ownsPacer whether {@link #close()} closes it
     * @param poolThreads the name prefix of the pool's threads
     * @param closerThreads the name prefix of the closer's threads
     */
    public SessionResources(AudioPacer pacer, boolean ownsPacer, String poolThreads, String closerThreads) {
        this.pacer = Objects.requireNonNull(pacer, "pacer");
        this.ownsPacer = ownsPacer;
        this.pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                DaemonThreads.named(poolThreads));
        this.closer = Executors.newCachedThreadPool(DaemonThreads.named(closerThreads));
    }

    public AudioPacer pacer() {
        return pacer;
    }

    public VadBatcher vadBatcher() {
        return vadBatcher;
    }

    /** The threads the sessions' executors borrow. */
    public ExecutorService pool() {
        return pool;
    }

    /** Where sessions are closed. */
    public ExecutorService closer() {
        return closer;
    }

    /**
     * After the owner has closed its sessions: stops the pool (waiting up to 2 s for its tasks) and the
     * closer, then the pacer if owned, then the VAD batcher.
     */
    @Override
    public void close() {
        pool.shutdown();
        closer.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        if (ownsPacer) {
            pacer.close();
        }
        vadBatcher.close();
    }
}
