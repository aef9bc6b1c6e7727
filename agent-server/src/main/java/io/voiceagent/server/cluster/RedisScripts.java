package io.voiceagent.server.cluster;

/**
 * The Lua scripts that make each cluster step atomic in Redis. Ownership of an agent is its job's
 * entry in the stream's pending list (PEL) of the consumer group: the consumer that has it pending owns
 * it, renewal resets its idle time ({@code XCLAIM ... 0 ... JUSTID} to itself), and {@code XAUTOCLAIM}
 * by another worker takes it once it has been idle for the lease timeout. Every write a worker makes
 * about an agent first checks that it still owns the entry (fencing), so a worker that was paused past
 * its lease cannot overwrite the new owner's state.
 *
 * <p>Keys: {@code P..'agent:'..id} (hash), {@code P..'name:'..name} (the live agent of a name),
 * {@code P..'active'} (set of agents not ended: the cluster's slots in use), {@code P..'agents'} (sorted
 * set by creation time, for lists), {@code P..'workers'} (hash of heartbeats), {@code P..'jobs'} (the
 * stream). Times come from Redis's own clock ({@code TIME}), never from a node's.
 */
final class RedisScripts {
    private RedisScripts() {}

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    private static final String OWNS = """
            local function owns(jobs, group, consumer, job)
              local p = redis.call('XPENDING', jobs, group, job, job, 1, consumer)
              return #p > 0
            end
            """;

    /** Ends an agent: status, reason, stop time, expiry; its name and slot free; its job gone. */
    private static final String FINALIZE = """
            local function finalize(prefix, agent, jobs, group, id, job, status, reason, stopTs, keepSecs, acked)
              if acked then redis.call('XACK', jobs, group, job) end
              redis.call('XDEL', jobs, job)
              redis.call('HSET', agent, 'status', status, 'reason', reason, 'stop_ts', stopTs)
              redis.call('EXPIRE', agent, keepSecs)
              local name = redis.call('HGET', agent, 'name')
              if name and redis.call('GET', prefix .. 'name:' .. name) == id then
                redis.call('DEL', prefix .. 'name:' .. name)
              end
              redis.call('SREM', prefix .. 'active', id)
            end
            """;

    /**
     * KEYS: name, active, workers, agent, agents, jobs. ARGV: id, name, channel, uid, createTs, props.
     * Returns {conflict, id} | {full, capacity} | {ok, jobId}. Capacity = slots of live, non-draining
     * workers; in use = agents not ended (those of a dead worker included: they come back).
     */
    static final String JOIN = NOW + """
            local existing = redis.call('GET', KEYS[1])
            if existing then return {'conflict', existing} end
            local cap = 0
            local ws = redis.call('HGETALL', KEYS[3])
            for i = 1, #ws, 2 do
              local w = cjson.decode(ws[i + 1])
              if tonumber(w.expires) > now and not w.draining then cap = cap + tonumber(w.capacity) end
            end
            if redis.call('SCARD', KEYS[2]) >= cap then return {'full', tostring(cap)} end
            redis.call('SET', KEYS[1], ARGV[1])
            redis.call('SADD', KEYS[2], ARGV[1])
            local job = redis.call('XADD', KEYS[6], '*', 'agent', ARGV[1], 'name', ARGV[2], 'props', ARGV[6])
            redis.call('HSET', KEYS[4], 'name', ARGV[2], 'channel', ARGV[3], 'uid', ARGV[4], 'status', 'STARTING',
              'create_ts', ARGV[5], 'start_ts', '0', 'stop_ts', '0', 'reason', '', 'node', '', 'restarts', '0',
              'job', job, 'stop', '0')
            redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
            return {'ok', job}
            """;

    /** KEYS: workers. ARGV: node, capacity, inUse, draining (0/1), leaseMs. Drops heartbeats a minute stale. */
    static final String HEARTBEAT = NOW + """
            local w = cjson.encode({capacity = tonumber(ARGV[2]), in_use = tonumber(ARGV[3]),
              draining = ARGV[4] == '1', expires = now + tonumber(ARGV[5])})
            redis.call('HSET', KEYS[1], ARGV[1], w)
            local ws = redis.call('HGETALL', KEYS[1])
            for i = 1, #ws, 2 do
              if tonumber(cjson.decode(ws[i + 1]).expires) < now - 60000 then redis.call('HDEL', KEYS[1], ws[i]) end
            end
            return now
            """;

    /** KEYS: jobs. ARGV: group, consumer, job ids... Resets the idle time of the ids still ours; returns them. */
    static final String RENEW = OWNS + """
            local kept = {}
            for i = 3, #ARGV do
              if owns(KEYS[1], ARGV[1], ARGV[2], ARGV[i]) then
                redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
                kept[#kept + 1] = ARGV[i]
              end
            end
            return kept
            """;

    /**
     * A worker took a job. KEYS: jobs, agent. ARGV: group, consumer, job, claimed (0/1), prefix, stopTs,
     * keepSecs, id. Returns lost | gone (the agent ended meanwhile: the job is dropped) | stop (a leave came
     * first: the agent is ended as left) | start (the record now names this worker).
     */
    static final String START = OWNS + FINALIZE + """
            if not owns(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then return 'lost' end
            local st = redis.call('HGET', KEYS[2], 'status')
            if not st or st == 'STOPPED' or st == 'FAILED' then
              redis.call('XACK', KEYS[1], ARGV[1], ARGV[3])
              redis.call('XDEL', KEYS[1], ARGV[3])
              return 'gone'
            end
            if redis.call('HGET', KEYS[2], 'stop') == '1' then
              finalize(ARGV[5], KEYS[2], KEYS[1], ARGV[1], ARGV[8], ARGV[3], 'STOPPED', 'left', ARGV[6], ARGV[7], true)
              return 'stop'
            end
            if ARGV[4] == '1' then
              redis.call('HINCRBY', KEYS[2], 'restarts', 1)
              redis.call('HSET', KEYS[2], 'status', 'RECOVERING')
            end
            redis.call('HSET', KEYS[2], 'node', ARGV[2])
            return 'start'
            """;

    /** The agent is in its channel. KEYS: jobs, agent. ARGV: group, consumer, job, startTs. Returns lost | stop | ok. */
    static final String RUNNING = OWNS + """
            if not owns(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then return 'lost' end
            redis.call('HSET', KEYS[2], 'status', 'RUNNING', 'start_ts', ARGV[4], 'reason', '', 'node', ARGV[2])
            if redis.call('HGET', KEYS[2], 'stop') == '1' then return 'stop' end
            return 'ok'
            """;

    /**
     * The owner ends an agent. KEYS: jobs, agent. ARGV: group, consumer, job, id, status, reason, stopTs,
     * keepSecs, prefix. Returns 1, or 0 if the job is no longer this worker's (nothing is written).
     */
    static final String FINISH = OWNS + FINALIZE + """
            if not owns(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then return 0 end
            finalize(ARGV[9], KEYS[2], KEYS[1], ARGV[1], ARGV[4], ARGV[3], ARGV[5], ARGV[6], ARGV[7], ARGV[8], true)
            return 1
            """;

    /**
     * A leave from any node. KEYS: agent, jobs, workers. ARGV: group, id, stopTs, keepSecs, prefix.
     * Returns {missing} | {final, status} | {owner, node} (a live worker runs it: ask it) | {final,
     * STOPPED} after ending it here because nobody runs it (not taken yet, or its worker is dead).
     */
    static final String LEAVE = NOW + FINALIZE + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
            local st = redis.call('HGET', KEYS[1], 'status')
            if st == 'STOPPED' or st == 'FAILED' then return {'final', st} end
            redis.call('HSET', KEYS[1], 'stop', '1', 'status', 'STOPPING')
            local job = redis.call('HGET', KEYS[1], 'job')
            local p = redis.call('XPENDING', KEYS[2], ARGV[1], job, job, 1)
            if #p > 0 then
              local owner = p[1][2]
              local w = redis.call('HGET', KEYS[3], owner)
              if w and tonumber(cjson.decode(w).expires) > now then return {'owner', owner} end
            end
            finalize(ARGV[5], KEYS[1], KEYS[2], ARGV[1], ARGV[2], job, 'STOPPED', 'left', ARGV[3], ARGV[4], #p > 0)
            return {'final', 'STOPPED'}
            """;

    /**
     * A draining worker gives an agent back. KEYS: jobs, agent. ARGV: group, consumer, job, idleMs. Makes
     * the job look idle for {@code idleMs} (past the lease) so the next claim by another worker takes it.
     */
    static final String HANDOVER = OWNS + """
            if not owns(KEYS[1], ARGV[1], ARGV[2], ARGV[3]) then return 0 end
            redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'IDLE', ARGV[4], 'JUSTID')
            redis.call('HSET', KEYS[2], 'status', 'RECOVERING', 'reason', 'handover', 'node', '')
            return 1
            """;
}
