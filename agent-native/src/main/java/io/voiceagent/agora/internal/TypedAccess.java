package io.voiceagent.agora.internal;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.internal.Handles.ConnectionHandle;
import io.voiceagent.agora.internal.Handles.LocalAudioTrackHandle;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What the library's own packages ({@code io.voiceagent.agora.pool}, {@code .loopback}) need of the
 * typed binding beyond its public API: a pool's reset of a connection for its next user, a handle
 * held alive for a native call, the service's event pool. The typed package installs the implementation when it is
 * initialized (as the JDK's {@code SharedSecrets}); this package is not exported by the module, so
 * applications cannot reach it.
 */
public final class TypedAccess {
    private static volatile Ops ops;

    private TypedAccess() {}

    /** Implemented by the typed binding. */
    public interface Ops {
        /** See {@code RtcConnection.resetForReuse}: unpublish, drop listeners, fresh executor, disconnect. */
        void resetForReuse(RtcConnection connection);

        /** Runs {@code action} with the connection handle kept alive; throws if the connection is closed. */
        <T> T withConnection(RtcConnection connection, Function<ConnectionHandle, T> action);

        /** Runs {@code action} with the connection's local-user handle kept alive. */
        <T> T withLocalUser(RtcConnection connection, Function<LocalUserHandle, T> action);

        /** Runs {@code action} with the track handle kept alive; throws if the track is closed. */
        <T> T withTrack(LocalAudioTrack track, Function<LocalAudioTrackHandle, T> action);

        /** The service's pool of event threads (connection executors run on it; so do agent sessions). */
        Executor eventPool(AgoraService service);
    }

    /** Called once by the typed binding's class initializer. */
    public static void install(Ops implementation) {
        ops = Objects.requireNonNull(implementation, "implementation");
    }

    /** The typed binding's operations (initializing it if nothing has yet). */
    public static Ops get() {
        Ops o = ops;
        if (o == null) {
            try {
                Class.forName(RtcConnection.class.getName(), true, TypedAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            o = ops;
        }
        return o;
    }
}
