package io.voiceagent.agora;

import io.voiceagent.agora.internal.Handles.ConnectionHandle;
import io.voiceagent.agora.internal.Handles.LocalAudioTrackHandle;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
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
    public <T> T withTrack(LocalAudioTrack track, Function<LocalAudioTrackHandle, T> action) {
        return track.withHandle(() -> action.apply(track.handle()));
    }
}
