package io.voiceagent.agora.video;

import com.sun.jna.Pointer;
import io.voiceagent.agora.AgoraException;
import io.voiceagent.agora.AgoraService;
import io.voiceagent.agora.internal.AgoraLibrary;
import io.voiceagent.agora.internal.AgoraStructs.LocalVideoTrackStatsStruct;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import io.voiceagent.agora.internal.Handles.LocalVideoTrackHandle;

/**
 * A local video track ({@code agora_local_video_track}): what raw and encoded video tracks share on
 * top of {@link MediaTrack}, publishing as video and the SDK's statistics. Thread-safe.
 */
public abstract sealed class VideoTrackBase extends MediaTrack permits LocalVideoTrack, EncodedVideoTrack {
    final LocalVideoTrackHandle handle;

    VideoTrackBase(AgoraService service, AgoraLibrary lib, LocalVideoTrackHandle handle) {
        super(service, lib);
        this.handle = handle;
    }

    @Override
    final int publishNative(LocalUserHandle user) {
        return lib.agora_local_user_publish_video(user, handle);
    }

    @Override
    final int unpublishNative(LocalUserHandle user) {
        return lib.agora_local_user_unpublish_video(user, handle);
    }

    @Override
    final String publishFunction() {
        return "agora_local_user_publish_video";
    }

    @Override
    final String unpublishFunction() {
        return "agora_local_user_unpublish_video";
    }

    @Override
    final com.sun.jna.Pointer nativeTrack() {
        return handle.getPointer();
    }

    @Override
    final void setEnabledNative(boolean enable) {
        lib.agora_local_video_track_set_enabled(handle, enable ? 1 : 0);
    }

    /** The SDK's statistics of this track ({@code agora_local_video_track_get_statistics}). */
    public VideoTrackStats statistics() {
        return guard.withHandle(() -> {
            Pointer p = lib.agora_local_video_track_get_statistics(handle);
            if (p == null) {
                throw new AgoraException("agora_local_video_track_get_statistics", -1, "the SDK returned no stats");
            }
            try {
                LocalVideoTrackStatsStruct s = new LocalVideoTrackStatsStruct(p);
                return new VideoTrackStats(Integer.toUnsignedLong(s.frames_encoded), s.bytes_major_stream,
                        s.input_frame_rate, s.encode_frame_rate, s.width, s.height, s.target_media_bitrate_bps,
                        s.number_of_streams);
            } finally {
                lib.agora_local_video_track_destroy_statistics(handle, p);
            }
        });
    }
}
