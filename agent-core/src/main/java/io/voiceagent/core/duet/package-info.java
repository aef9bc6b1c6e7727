/**
 * Two agents in one conversation (seed 003's "AI duet"): {@link io.voiceagent.core.duet.Duet}
 * conducts two {@link io.voiceagent.core.agent.AgentSession}s (built with {@code autoRespond(false)})
 * that alternate turns, never talk over each other, and yield to a user who types or speaks;
 * {@link io.voiceagent.core.duet.DuetAgent} says who each agent is, {@link
 * io.voiceagent.core.duet.VoiceCatalog} which languages and voices exist (espeak-ng offline, any
 * {@link io.voiceagent.core.tts.TextToSpeech} otherwise), {@link
 * io.voiceagent.core.duet.ScriptedDuetResponder} is the offline LLM. Transports are the sessions':
 * in memory behind a WebSocket (agent-server's {@code io.voiceagent.server.duet}), pool leases in an
 * RTC channel.
 *
 * <p>Threads: the duet is an actor on its own executor; the sessions post their events to it; every
 * {@link io.voiceagent.core.duet.DuetListener} event runs there.
 */
package io.voiceagent.core.duet;
