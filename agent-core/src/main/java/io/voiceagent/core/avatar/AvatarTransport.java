package io.voiceagent.core.avatar;

import io.voiceagent.core.agent.AgentInput;
import io.voiceagent.core.agent.AgentOutput;
import io.voiceagent.core.agent.AgentTransport;
import io.voiceagent.core.agent.SessionExecutor;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport that hears the users through another transport (an Agora connection, a WebSocket)
 * and speaks through an avatar worker: the base transport's executor and input, an
 * {@link AvatarAudioOut} as the output. The base transport's own output is never written, so it
 * sends nothing (an Agora track it published stays silent).
 *
 * <pre>{@code
 * session.start(AvatarTransport.wrap(AgoraTransport.join(service, token, channel, "agent"),
 *         AvatarAudioOut.connect(URI.create("ws://127.0.0.1:8765/avatar"), service.audioPacer())));
 * }</pre>
 *
 * <p>Owns both: {@link #close()} closes the avatar output, then the base transport. Thread-safe.
 */
public final class AvatarTransport implements AgentTransport {
    private static final Logger log = LoggerFactory.getLogger(AvatarTransport.class);

    private final AgentTransport base;
    private final AvatarAudioOut output;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AvatarTransport(AgentTransport base, AvatarAudioOut output) {
        this.base = base;
        this.output = output;
    }

    /** {@code base}'s input and executor, {@code avatar}'s output; owns both. */
    public static AvatarTransport wrap(AgentTransport base, AvatarAudioOut avatar) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(avatar, "avatar");
        return new AvatarTransport(base, avatar);
    }

    @Override
    public SessionExecutor executor() {
        return base.executor();
    }

    @Override
    public AgentOutput output() {
        return output;
    }

    /** The avatar output (its counters). */
    public AvatarAudioOut avatar() {
        return output;
    }

    /** The transport the session hears through. */
    public AgentTransport base() {
        return base;
    }

    @Override
    public void start(AgentInput input) {
        base.start(input);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            output.close();
        } catch (RuntimeException e) {
            log.warn("{}: closing the avatar output failed", this, e);
        }
        base.close();
    }

    @Override
    public String toString() {
        return "AvatarTransport[" + base + " -> " + output + "]";
    }
}
