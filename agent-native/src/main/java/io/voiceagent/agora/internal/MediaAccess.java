package io.voiceagent.agora.internal;

import com.sun.jna.Pointer;
import java.util.Objects;

/**
 * The native track handle behind a track of {@code io.voiceagent.agora.video}, for the loopback
 * diagnostics (and tests) of this module only; installed by that package as {@link TypedAccess} is
 * by the typed binding. Not exported.
 */
public final class MediaAccess {
    private static volatile Ops ops;

    private MediaAccess() {}

    /** Implemented by the video package. */
    public interface Ops {
        /** The track handle of {@code track} (a {@code MediaTrack}), kept alive while {@code action} runs. */
        <T> T withTrackHandle(Object track, java.util.function.Function<Pointer, T> action);

        /** Whether {@code track} is a video track (else an encoded audio track). */
        boolean isVideo(Object track);
    }

    public static void install(Ops implementation) {
        ops = Objects.requireNonNull(implementation, "implementation");
    }

    /** The video package's operations (initializing it if nothing has yet). */
    public static Ops get() {
        return TypedAccess.installedBy(() -> ops, "io.voiceagent.agora.video.MediaTrack");
    }
}
