package io.voiceagent.agora;

import io.voiceagent.agora.internal.Handles.ConnectionHandle;
import io.voiceagent.agora.internal.Handles.LocalAudioTrackHandle;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.TypedAccess;
import java.util.concurrent.Executor;
import java.util.function.Function;

/** The typed binding's side of {@link TypedAccess}; installed when {@link RtcConnection} is initialized. */
final class TypedAccessImpl implements TypedAccess.Ops {
    static final TypedAccessImpl INSTANCE = new TypedAccessImpl();

    private TypedAccessImpl() {}

    @Override
    public void resetForReuse(RtcConnection connection) {
        connection.resetForReuse();
    }

    @Override
    public <T> T withConnection(RtcConnection connection, Function<ConnectionHandle, T> action) {
        return connection.withHandle(() -> action.apply(connection.handle()));
    }

    @Override
    public <T> T withLocalUser(RtcConnection connection, Function<LocalUserHandle, T> action) {
        return connection.withHandle(() -> action.apply(connection.localUser().handle()));
    }

    @Override
    public Executor eventPool(AgoraService service) {
        return service.eventPool();
    }

    @Override
    public AgoraLibrary library(AgoraService service) {
        return service.library();
    }

    @Override
    public <T> T withService(AgoraService service, TypedAccess.ServiceAction<T> action) {
        return service.withHandles(action);
    }

    @Override
    public void adopt(AgoraService service, AutoCloseable child) {
        service.adopt(child);
    }

    @Override
    public void disown(AgoraService service, AutoCloseable child) {
        service.disown(child);
    }

    @Override
    public boolean offerEvent(RtcConnection connection, Runnable task) {
        return connection.offerEvent(task);
    }

    @Override
    public void attach(RtcConnection connection, TypedAccess.ConnectionResource resource) {
        connection.withHandle(() -> {
            connection.localUser().attach(resource);
            return null;
        });
    }

    @Override
    public void detach(RtcConnection connection, TypedAccess.ConnectionResource resource) {
        connection.localUser().detach(resource);
    }

    @Override
    public <T> T withTrack(LocalAudioTrack track, Function<LocalAudioTrackHandle, T> action) {
        return track.withHandle(() -> action.apply(track.handle()));
    }
}
