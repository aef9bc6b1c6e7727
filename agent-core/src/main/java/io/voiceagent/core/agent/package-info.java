/**
 * The conversation layer: {@link io.voiceagent.core.agent.AgentSession} (turn detection, rounds,
 * STT -> LLM -> TTS or an audio LLM, history, barge-in) on one owner thread, and the transport SPI it
 * runs over ({@link io.voiceagent.core.agent.AgentTransport}: remote audio in through an
 * {@link io.voiceagent.core.agent.AgentInput}, a paced {@link io.voiceagent.core.agent.AgentOutput}
 * out, a {@link io.voiceagent.core.agent.SessionExecutor}). {@link io.voiceagent.core.agent.InMemoryTransport}
 * runs a session inside the process; agent-native's {@code AgoraTransport} runs it in an Agora channel.
 *
 * <p>Threads: all state of a session and every event it reports live on its executor; other threads
 * only post facts to it. No lock is held while calling out.
 */
package io.voiceagent.core.agent;
