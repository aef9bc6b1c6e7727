package io.voiceagent.agora.internal;

import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.LocalAudioTrack;
import io.voiceagent.agora.RtcConnection;
import io.voiceagent.agora.internal.Handles.ConnectionHandle;
import io.voiceagent.agora.internal.Handles.LocalAudioTrackHandle;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import io.voiceagent.agora.internal.Handles.MediaNodeFactoryHandle;
import io.voiceagent.agora.internal.Handles.ServiceHandle;
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

        /** The raw library the service was created on. */
        AgoraLibrary library(AgoraService service);

        /** Runs {@code action} with the service and factory handles; throws if the service is closed. */
        <T> T withService(AgoraService service, ServiceAction<T> action);

        /**
         * Makes {@code child} (a video track) one of the service's children: {@code AgoraService.close()}
         * closes it, after the connections, if it is still open. {@link #disown} on its own close.
         */
        void adopt(AgoraService service, AutoCloseable child);

        void disown(AgoraService service, AutoCloseable child);

        /** Runs {@code task} on the connection's event executor, in order with its events; false if rejected. */
        boolean offerEvent(RtcConnection connection, Runnable task);

        /**
         * Registers a resource the connection must release first when it closes or is reset for reuse
         * (a video track published on it, a video observer registered on it), under its write lock.
         *
         * @throws IllegalStateException if the connection is closed
         */
        void attach(RtcConnection connection, ConnectionResource resource);

        /** Forgets {@code resource} (it released itself). */
        void detach(RtcConnection connection, ConnectionResource resource);
    }

    /** What {@link Ops#withService} runs. */
    @FunctionalInterface
    public interface ServiceAction<T> {
        T apply(ServiceHandle service, MediaNodeFactoryHandle factory);
    }

    /**
     * Something bound to a connection's local user that must be undone before the connection goes
     * (Agora's release order: unpublish, unregister observers, then disconnect). Called with the
     * connection's write lock held; the native handles of the connection are alive during the call.
     */
    public interface ConnectionResource {
        /** Unpublishes or unregisters natively and forgets the connection; must not throw. */
        void releaseForConnection(LocalUserHandle localUser);
    }

    /** Called once by the typed binding's class initializer. */
    public static void install(Ops implementation) {
        ops = Objects.requireNonNull(implementation, "implementation");
    }

    /** The typed binding's operations (initializing it if nothing has yet). */
    public static Ops get() {
        return installedBy(() -> ops, RtcConnection.class.getName());
    }

    /**
     * What {@code current} supplies, after initializing class {@code installer} (whose static
     * initializer installs it) if nothing was installed yet.
     */
    static <T> T installedBy(java.util.function.Supplier<T> current, String installer) {
        T o = current.get();
        if (o == null) {
            try {
                Class.forName(installer, true, TypedAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            o = current.get();
        }
        return o;
    }
}
