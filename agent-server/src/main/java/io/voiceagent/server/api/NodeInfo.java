package io.voiceagent.server.api;

import java.util.List;

/**
 * One node as {@code GET /node} reports it: which agents run here, for operators (and the cluster
 * test's check that no agent runs twice).
 *
 * @param nodeId this node's id (a worker's consumer name in cluster mode)
 * @param capacity slots of this node
 * @param inUse slots taken (running and starting agents)
 * @param draining whether it stopped taking work
 * @param agents the ids of the agents running here
 */
public record NodeInfo(String nodeId, int capacity, int inUse, boolean draining, List<String> agents) {
    public NodeInfo {
        agents = List.copyOf(agents);
    }

    /** What {@code host} runs now, under {@code nodeId}. */
    public static NodeInfo of(String nodeId, AgentHost host, boolean draining) {
        return new NodeInfo(nodeId, host.capacity(), host.inUse(), draining,
                host.agents().stream().map(RunningAgent::id).sorted().toList());
    }
}
