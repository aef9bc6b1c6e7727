package io.voiceagent.server.api;

/**
 * What the API reports about one agent (query and list). Times are Unix seconds, 0 when not yet
 * reached. Immutable.
 *
 * @param agentId the id the join returned
 * @param name the unique name given at join
 * @param channel the channel it joins
 * @param agentUid its uid in the channel
 * @param status where it is in its life
 * @param createTs when the join was accepted
 * @param startTs when it (last) joined the channel, or 0
 * @param stopTs when it stopped or failed, or 0
 * @param reason why it stopped, failed or is recovering ({@link EndReason#label()} and a detail), or null
 * @param node the node that runs it (or last ran it), or null
 * @param restarts how many times another worker took it over
 */
public record AgentInfo(String agentId, String name, String channel, String agentUid, AgentStatus status,
        long createTs, long startTs, long stopTs, String reason, String node, int restarts) {

    /** A copy with another status and reason. */
    public AgentInfo with(AgentStatus newStatus, String newReason) {
        return new AgentInfo(agentId, name, channel, agentUid, newStatus, createTs, startTs, stopTs, newReason, node,
                restarts);
    }
}
