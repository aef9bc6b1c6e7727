package io.voiceagent.server.api;

import java.time.Duration;

/**
 * What the REST API does with agents: one process ({@link LocalAgentBackend}) or a cluster of nodes
 * sharing state through Redis ({@code io.voiceagent.server.cluster.RedisAgentBackend}). Methods are
 * called from the HTTP server's threads and may block briefly (joining a channel, a Redis round trip);
 * they report refusals as {@link ApiException}. Implementations are thread-safe.
 */
public interface AgentBackend extends AutoCloseable {

    /**
     * Accepts a join: a new agent id, then the agent starting (here or on a worker). Returns its record
     * once it runs, failed, or the backend stopped waiting (then STARTING).
     *
     * @throws ApiException 409 for a name a live agent has, 429 when every slot is taken, 503 while draining
     */
    AgentInfo join(JoinRequest request);

    /** The agent's record. @throws ApiException 404 for an unknown id */
    AgentInfo get(String agentId);

    /** A page of agents (every node's, in cluster mode). */
    AgentPage list(ListQuery query);

    /**
     * Makes the agent leave its channel; returns its record after (STOPPED, or STOPPING when its
     * worker could not confirm in time). Leaving an agent that already ended changes nothing.
     *
     * @throws ApiException 404 for an unknown id
     */
    AgentInfo leave(String agentId);

    /** Cuts the agent off now; true if a round was cut. @throws ApiException 404, 409 if it is not running */
    boolean interrupt(String agentId);

    /** Says a text now; the round id, or -1 when ignored. @throws ApiException 404, 409 if it is not running */
    long speak(String agentId, SpeakRequest request);

    /** This node: its id, slots and the agents it runs. */
    NodeInfo node();

    /** Whether this node takes API requests (false while draining, or while the store is unreachable). */
    boolean isReady();

    /**
     * Stops taking work, lets agents end by themselves until {@code deadline} has passed, then ends or
     * hands over the rest. Blocks until done. Idempotent.
     */
    void drain(Duration deadline);

    /** Releases the backend (after a drain, or at once). Idempotent. */
    @Override
    void close();
}
