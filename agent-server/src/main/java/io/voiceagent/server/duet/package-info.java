/**
 * The duet over WebSocket (seed 003): {@link io.voiceagent.server.duet.DuetServer} registers
 * {@code /ws/{session_id}} and the page at {@code /duet} on an {@link io.voiceagent.server.EmbeddedServer}
 * (next to the web console's {@code /ws} and {@code /}); each session id is one
 * {@link io.voiceagent.core.duet.Duet} whose agents speak on in-memory transports paced in real time;
 * {@link io.voiceagent.server.duet.DuetSocket} documents the messages.
 */
package io.voiceagent.server.duet;
