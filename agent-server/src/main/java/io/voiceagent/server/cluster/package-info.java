/** The agent server across processes and machines: Redis dispatch of join requests, leases and failover. */
package io.voiceagent.server.cluster;
