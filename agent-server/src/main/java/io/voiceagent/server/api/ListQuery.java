package io.voiceagent.server.api;

import java.util.List;
import java.util.Map;

/**
 * The filters and page of {@code GET .../agents}: {@code state} (a status name or Agora's code),
 * {@code channel}, {@code from_time}/{@code to_time} (Unix seconds, on the creation time), {@code limit}
 * (1..100, default 20) and {@code cursor} (from the previous page's {@code meta.cursor}).
 *
 * @param state only agents in this status, or null
 * @param channel only agents of this channel, or null
 * @param fromTs only agents created at or after this time, or 0
 * @param toTs only agents created at or before this time, or {@code Long.MAX_VALUE}
 * @param limit page size
 * @param offset where the page starts in the filtered list (the decoded cursor)
 */
public record ListQuery(AgentStatus state, String channel, long fromTs, long toTs, int limit, int offset) {
    /** Default page size. */
    public static final int DEFAULT_LIMIT = 20;

    /** Everything, first page. */
    public static ListQuery all() {
        return new ListQuery(null, null, 0, Long.MAX_VALUE, DEFAULT_LIMIT, 0);
    }

    /** Parses query parameters (first value of each); a 400 names the bad one. */
    public static ListQuery parse(Map<String, List<String>> params) {
        AgentStatus state = null;
        String s = first(params, "state");
        if (s != null) {
            try {
                state = AgentStatus.parse(s);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("state", e.getMessage());
            }
        }
        String channel = first(params, "channel");
        if (channel != null && channel.isBlank()) {
            channel = null;
        }
        long from = number(params, "from_time", 0, Long.MAX_VALUE, 0);
        long to = number(params, "to_time", 0, Long.MAX_VALUE, Long.MAX_VALUE);
        int limit = (int) number(params, "limit", 1, 100, DEFAULT_LIMIT);
        int offset = 0;
        String cursor = first(params, "cursor");
        if (cursor != null && !cursor.isEmpty()) {
            offset = decodeCursor(cursor);
        }
        return new ListQuery(state, channel, from, to, limit, offset);
    }

    /** Whether {@code a} passes the filters. */
    public boolean matches(AgentInfo a) {
        return (state == null || a.status() == state) && (channel == null || channel.equals(a.channel()))
                && a.createTs() >= fromTs && a.createTs() <= toTs;
    }

    static String encodeCursor(int offset) {
        return "o" + Integer.toString(offset, 36);
    }

    private static int decodeCursor(String cursor) {
        try {
            if (cursor.startsWith("o")) {
                int n = Integer.parseInt(cursor.substring(1), 36);
                if (n >= 0) {
                    return n;
                }
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ApiException.badRequest("cursor", "is not a cursor this server returned; got '" + cursor + "'");
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> v = params.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static long number(Map<String, List<String>> params, String key, long min, long max, long dflt) {
        String v = first(params, key);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ApiException.badRequest(key, "must be an integer in " + min + ".." + (max == Long.MAX_VALUE ? "" : max)
                + "; got '" + v + "'");
    }
}
