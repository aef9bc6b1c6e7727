package io.voiceagent.server.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * One page of {@code GET .../agents}: the agents, the number that matched the filters, and the
 * cursor of the next page (null on the last). Newest first.
 *
 * @param agents this page
 * @param total how many agents matched the filters
 * @param nextCursor the next page's cursor, or null
 */
public record AgentPage(List<AgentInfo> agents, int total, String nextCursor) {
    private static final Comparator<AgentInfo> NEWEST_FIRST = Comparator.comparingLong(AgentInfo::createTs).reversed()
            .thenComparing(AgentInfo::agentId);

    public AgentPage {
        agents = List.copyOf(agents);
    }

    /** Filters, sorts (newest first, then by id) and pages {@code all} by {@code q}. */
    public static AgentPage of(Collection<AgentInfo> all, ListQuery q) {
        List<AgentInfo> matching = new ArrayList<>();
        for (AgentInfo a : all) {
            if (q.matches(a)) {
                matching.add(a);
            }
        }
        matching.sort(NEWEST_FIRST);
        int from = Math.min(q.offset(), matching.size());
        int to = Math.min(from + q.limit(), matching.size());
        return new AgentPage(matching.subList(from, to), matching.size(),
                to < matching.size() ? ListQuery.encodeCursor(to) : null);
    }
}
