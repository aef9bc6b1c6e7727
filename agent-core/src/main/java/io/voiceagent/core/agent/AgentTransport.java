package io.voiceagent.core.agent;

/**
 * What an {@link AgentSession} runs over (the SPI of the conversation layer): the remote users'
 * audio in, a paced audio output, and the session's executor. Implementations: an Agora connection
 * or pool lease with a published track ({@code io.voiceagent.agora.agent.AgoraTransport} in
 * agent-native), a WebSocket client, and {@link InMemoryTransport} (tests and in-process pairs).
 *
 * <p><b>Lifecycle.</b> A transport serves one session. {@link AgentSession#start} calls
 * {@link #start(AgentInput)} once; from then on the transport delivers every remote user's 10 ms
 * frames and "user left" to the input, from its own threads, in order per user. The session owns the
 * transport from {@code start} on: {@link AgentSession#close()} calls {@link #close()} (on the
 * session's executor), which must stop the input, close the output and release whatever the
 * transport created (a connection it joined, a lease it took, a track it published), and may block
 * briefly for that (an SDK's disconnect). If {@code start} throws, the session closes the transport.
 *
 * <p><b>Threads.</b> The transport never calls the session except through the {@link AgentInput}
 * (which only posts to the session's executor), and never while holding a lock the output's
 * {@code clear()} needs. Implementations are thread-safe.
 */
public interface AgentTransport {

    /** The session's owner thread; see {@link SessionExecutor}. The same instance for the transport's life. */
    SessionExecutor executor();

    /** The session's speech output; see {@link AgentOutput}. The same instance for the transport's life. */
    AgentOutput output();

    /** Starts delivering remote audio to {@code input}. Called once. */
    void start(AgentInput input);

    /** Stops delivering, closes the output, releases what the transport created. Idempotent. */
    void close();
}
