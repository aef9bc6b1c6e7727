/**
 * Voice sessions over WebSocket with a web console (the protocol of seed 002): {@link
 * io.voiceagent.server.web.WebConsole} registers the page, {@code /ws} and the limits on an {@link
 * io.voiceagent.server.EmbeddedServer}; each socket is one {@link io.voiceagent.core.agent.AgentSession}
 * on a {@link io.voiceagent.server.web.WebSocketTransport}; {@link
 * io.voiceagent.server.web.WebSessionEndpoint} documents the messages; {@link
 * io.voiceagent.server.web.WebSessionClient} is a Java client of them.
 */
package io.voiceagent.server.web;
