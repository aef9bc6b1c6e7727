/**
 * The REST agent server: agents started and stopped over an API in the shape of Agora's
 * Conversational AI Engine ({@link io.voiceagent.server.api.AgentApiHandler}), its credentials
 * ({@link io.voiceagent.server.api.ApiAuth}), the JSON model of requests and records
 * ({@link io.voiceagent.server.api.JoinRequest}, {@link io.voiceagent.server.api.AgentSpec},
 * {@link io.voiceagent.server.api.AgentInfo}), the sessions of one node
 * ({@link io.voiceagent.server.api.AgentHost}), the one-process backend and the metrics; all put
 * together by {@link io.voiceagent.server.api.AgentServer}. The cluster backend is in
 * {@code io.voiceagent.server.cluster}.
 */
package io.voiceagent.server.api;
