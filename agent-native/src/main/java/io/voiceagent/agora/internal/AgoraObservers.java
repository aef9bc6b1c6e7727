package io.voiceagent.agora.internal;

import com.sun.jna.Callback;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * The three observer tables of the Agora C API, slot for slot in C order (reference §4.4, §5.2,
 * §5.4), and one {@link Callback} type per distinct C signature. Strings ({@code user_id_t},
 * {@code const char*}) arrive as {@link Pointer}s because they are borrowed for the duration of the
 * call; the typed layer copies what it needs before returning.
 *
 * <p>A slot left {@code null} is a NULL function pointer, which the SDK skips. The SDK copies the
 * table at registration, but calls the function pointers until the observer is unregistered, so
 * the owner keeps the structure (and with it every callback object) strongly reachable until then.
 *
 * <p>Slot counts and byte sizes are asserted by {@code StructLayoutTest} against the reference and
 * against the loopback library's own {@code sizeof}.
 */
public final class AgoraObservers {
    private AgoraObservers() {}

    /** Callback signature OnAudioFrame. */
    public interface OnAudioFrame extends Callback {
        int invoke(Pointer localUser, Pointer channelId, Pointer audioFrame);
    }

    /** Callback signature OnAudioFrameBeforeMixing. */
    public interface OnAudioFrameBeforeMixing extends Callback {
        int invoke(Pointer localUser, Pointer channelId, Pointer userId, Pointer audioFrame);
    }

    /** Callback signature OnAudioMetaData. */
    public interface OnAudioMetaData extends Callback {
        void invoke(Pointer localUser, Pointer userId, Pointer data, long length);
    }

    /** Callback signature OnAudioVolumeIndication. */
    public interface OnAudioVolumeIndication extends Callback {
        void invoke(Pointer localUser, Pointer speakers, int speakerNumber, int totalVolume);
    }

    /** Callback signature OnConnInfo. */
    public interface OnConnInfo extends Callback {
        void invoke(Pointer conn, Pointer connInfo);
    }

    /** Callback signature OnConnInfoReason. */
    public interface OnConnInfoReason extends Callback {
        void invoke(Pointer conn, Pointer connInfo, int reason);
    }

    /** Callback signature OnConnInt. */
    public interface OnConnInt extends Callback {
        void invoke(Pointer conn, int value);
    }

    /** Callback signature OnConnIntInt. */
    public interface OnConnIntInt extends Callback {
        void invoke(Pointer conn, int a, int b);
    }

    /** Callback signature OnConnIntString. */
    public interface OnConnIntString extends Callback {
        void invoke(Pointer conn, int code, Pointer text);
    }

    /** Callback signature OnConnIntStringString. */
    public interface OnConnIntStringString extends Callback {
        void invoke(Pointer conn, int err, Pointer api, Pointer result);
    }

    /** Callback signature OnConnOnly. */
    public interface OnConnOnly extends Callback {
        void invoke(Pointer conn);
    }

    /** Callback signature OnConnPointer. */
    public interface OnConnPointer extends Callback {
        void invoke(Pointer conn, Pointer data);
    }

    /** Callback signature OnConnString. */
    public interface OnConnString extends Callback {
        void invoke(Pointer conn, Pointer text);
    }

    /** Callback signature OnConnStringInt. */
    public interface OnConnStringInt extends Callback {
        void invoke(Pointer conn, Pointer userId, int value);
    }

    /** Callback signature OnConnStringIntInt. */
    public interface OnConnStringIntInt extends Callback {
        void invoke(Pointer conn, Pointer text, int a, int b);
    }

    /** Callback signature OnEarMonitoringAudioFrame. */
    public interface OnEarMonitoringAudioFrame extends Callback {
        int invoke(Pointer localUser, Pointer audioFrame);
    }

    /** Callback signature OnGetAudioFramePosition. */
    public interface OnGetAudioFramePosition extends Callback {
        int invoke(Pointer localUser);
    }

    /** Callback signature OnGetAudioParams. */
    public interface OnGetAudioParams extends Callback {
        AgoraStructs.AudioParamsStruct.ByValue invoke(Pointer localUser);
    }

    /** Callback signature OnLastmileQuality. */
    public interface OnLastmileQuality extends Callback {
        void invoke(Pointer conn, int quality);
    }

    /** Callback signature OnSnapshotTaken. */
    public interface OnSnapshotTaken extends Callback {
        void invoke(Pointer conn, Pointer channel, int uid, Pointer filePath, int width, int height, int errCode);
    }

    /** Callback signature OnStreamMessage. */
    public interface OnStreamMessage extends Callback {
        void invoke(Pointer localUser, Pointer userId, int streamId, Pointer data, long length);
    }

    /** Callback signature OnStreamMessageError. */
    public interface OnStreamMessageError extends Callback {
        void invoke(Pointer conn, Pointer userId, int streamId, int code, int missed, int cached);
    }

    /** Callback signature OnUserOnly. */
    public interface OnUserOnly extends Callback {
        void invoke(Pointer localUser);
    }

    /** Callback signature OnUserPointer. */
    public interface OnUserPointer extends Callback {
        void invoke(Pointer localUser, Pointer p);
    }

    /** Callback signature OnUserPointerInt. */
    public interface OnUserPointerInt extends Callback {
        void invoke(Pointer localUser, Pointer p, int a);
    }

    /** Callback signature OnUserPointerIntInt. */
    public interface OnUserPointerIntInt extends Callback {
        void invoke(Pointer localUser, Pointer p, int a, int b);
    }

    /** Callback signature OnUserPointerPointer. */
    public interface OnUserPointerPointer extends Callback {
        void invoke(Pointer localUser, Pointer p, Pointer q);
    }

    /** Callback signature OnUserString. */
    public interface OnUserString extends Callback {
        void invoke(Pointer localUser, Pointer userId);
    }

    /** Callback signature OnUserStringInt. */
    public interface OnUserStringInt extends Callback {
        void invoke(Pointer localUser, Pointer userId, int a);
    }

    /** Callback signature OnUserStringIntInt. */
    public interface OnUserStringIntInt extends Callback {
        void invoke(Pointer localUser, Pointer userId, int a, int b);
    }

    /** Callback signature OnUserStringIntIntInt. */
    public interface OnUserStringIntIntInt extends Callback {
        void invoke(Pointer localUser, Pointer text, int a, int b, int c);
    }

    /** Callback signature OnUserStringPointer. */
    public interface OnUserStringPointer extends Callback {
        void invoke(Pointer localUser, Pointer userId, Pointer p);
    }

    /** Callback signature OnUserStringPointerIntIntInt. */
    public interface OnUserStringPointerIntIntInt extends Callback {
        void invoke(Pointer localUser, Pointer userId, Pointer p, int a, int b, int c);
    }

    /** Callback signature OnUserStringPointerPointer. */
    public interface OnUserStringPointerPointer extends Callback {
        void invoke(Pointer localUser, Pointer userId, Pointer p, Pointer q);
    }

    /** Callback signature OnUserStringStringIntIntInt. */
    public interface OnUserStringStringIntIntInt extends Callback {
        void invoke(Pointer localUser, Pointer channel, Pointer userId, int a, int b, int c);
    }

    /** {@code rtc_conn_observer} (30 slots, 240 bytes). */
    @FieldOrder({
            "on_connected", "on_disconnected", "on_connecting", "on_reconnecting", "on_reconnected",
            "on_connection_lost", "on_lastmile_quality", "on_lastmile_probe_result",
            "on_token_privilege_will_expire", "on_token_privilege_did_expire",
            "on_connection_license_validation_failure", "on_connection_failure", "on_user_joined", "on_user_left",
            "on_transport_stats", "on_change_role_success", "on_change_role_failure", "on_user_network_quality",
            "on_network_type_changed", "on_api_call_executed", "on_content_inspect_result", "on_snapshot_taken",
            "on_error", "on_warning", "on_channel_media_relay_state_changed", "on_local_user_registered",
            "on_user_account_updated", "on_stream_message_error", "on_encryption_error", "on_upload_log_result"})
    public static class RtcConnObserverStruct extends Structure {
        /** Number of function-pointer slots in the C struct. */
        public static final int SLOT_COUNT = 30;

        /** Slot 0. */
        public OnConnInfoReason on_connected;
        /** Slot 1. */
        public OnConnInfoReason on_disconnected;
        /** Slot 2. */
        public OnConnInfoReason on_connecting;
        /** Slot 3. */
        public OnConnInfoReason on_reconnecting;
        /** Slot 4. */
        public OnConnInfoReason on_reconnected;
        /** Slot 5. */
        public OnConnInfo on_connection_lost;
        /** Slot 6. */
        public OnLastmileQuality on_lastmile_quality;
        /** Slot 7. */
        public OnConnPointer on_lastmile_probe_result;
        /** Slot 8. */
        public OnConnString on_token_privilege_will_expire;
        /** Slot 9. */
        public OnConnOnly on_token_privilege_did_expire;
        /** Slot 10. */
        public OnConnInt on_connection_license_validation_failure;
        /** Slot 11. */
        public OnConnInfoReason on_connection_failure;
        /** Slot 12. */
        public OnConnString on_user_joined;
        /** Slot 13. */
        public OnConnStringInt on_user_left;
        /** Slot 14. */
        public OnConnPointer on_transport_stats;
        /** Slot 15. */
        public OnConnIntInt on_change_role_success;
        /** Slot 16. */
        public OnConnIntInt on_change_role_failure;
        /** Slot 17. */
        public OnConnStringIntInt on_user_network_quality;
        /** Slot 18. */
        public OnConnInt on_network_type_changed;
        /** Slot 19. */
        public OnConnIntStringString on_api_call_executed;
        /** Slot 20. */
        public OnConnInt on_content_inspect_result;
        /** Slot 21. */
        public OnSnapshotTaken on_snapshot_taken;
        /** Slot 22. */
        public OnConnIntString on_error;
        /** Slot 23. */
        public OnConnIntString on_warning;
        /** Slot 24. */
        public OnConnIntInt on_channel_media_relay_state_changed;
        /** Slot 25. */
        public OnConnIntString on_local_user_registered;
        /** Slot 26. */
        public OnConnIntString on_user_account_updated;
        /** Slot 27. */
        public OnStreamMessageError on_stream_message_error;
        /** Slot 28. */
        public OnConnInt on_encryption_error;
        /** Slot 29. */
        public OnConnStringIntInt on_upload_log_result;

        /** A table laid over zeroed memory, so slots left null are NULL function pointers. */
        public RtcConnObserverStruct() {
            super(AgoraStructs.zeroed(AgoraStructs.CONFIG_ALLOCATION_BYTES + 240));
        }
    }

    /** {@code audio_frame_observer} (10 slots, 80 bytes). */
    @FieldOrder({
            "on_record_audio_frame", "on_playback_audio_frame", "on_mixed_audio_frame",
            "on_ear_monitoring_audio_frame", "on_playback_audio_frame_before_mixing", "on_get_audio_frame_position",
            "on_get_playback_audio_frame_param", "on_get_record_audio_frame_param", "on_get_mixed_audio_frame_param",
            "on_get_ear_monitoring_audio_frame_param"})
    public static class AudioFrameObserverStruct extends Structure {
        /** Number of function-pointer slots in the C struct. */
        public static final int SLOT_COUNT = 10;

        /** Slot 0. */
        public OnAudioFrame on_record_audio_frame;
        /** Slot 1. */
        public OnAudioFrame on_playback_audio_frame;
        /** Slot 2. */
        public OnAudioFrame on_mixed_audio_frame;
        /** Slot 3. */
        public OnEarMonitoringAudioFrame on_ear_monitoring_audio_frame;
        /** Slot 4. */
        public OnAudioFrameBeforeMixing on_playback_audio_frame_before_mixing;
        /** Slot 5. */
        public OnGetAudioFramePosition on_get_audio_frame_position;
        /** Slot 6. */
        public OnGetAudioParams on_get_playback_audio_frame_param;
        /** Slot 7. */
        public OnGetAudioParams on_get_record_audio_frame_param;
        /** Slot 8. */
        public OnGetAudioParams on_get_mixed_audio_frame_param;
        /** Slot 9. */
        public OnGetAudioParams on_get_ear_monitoring_audio_frame_param;

        /** A table laid over zeroed memory, so slots left null are NULL function pointers. */
        public AudioFrameObserverStruct() {
            super(AgoraStructs.zeroed(AgoraStructs.CONFIG_ALLOCATION_BYTES + 80));
        }
    }

    /** {@code local_user_observer} (37 slots, 296 bytes). */
    @FieldOrder({
            "on_audio_track_publish_success", "on_audio_track_publish_start", "on_audio_track_unpublished",
            "on_audio_track_publication_failure", "on_local_audio_track_state_changed",
            "on_local_audio_track_statistics", "on_remote_audio_track_statistics", "on_user_audio_track_subscribed",
            "on_user_audio_track_state_changed", "on_audio_subscribe_state_changed",
            "on_audio_publish_state_changed", "on_first_remote_audio_frame", "on_first_remote_audio_decoded",
            "on_video_track_publish_success", "on_video_track_publish_start", "on_video_track_unpublished",
            "on_video_track_publication_failure", "on_local_video_track_state_changed",
            "on_local_video_track_statistics", "on_user_video_track_subscribed", "on_user_video_track_state_changed",
            "on_remote_video_track_statistics", "on_audio_volume_indication", "on_active_speaker",
            "on_remote_video_stream_info_updated", "on_video_subscribe_state_changed",
            "on_video_publish_state_changed", "on_first_remote_video_frame", "on_first_remote_video_decoded",
            "on_first_remote_video_frame_rendered", "on_video_size_changed", "on_user_info_updated",
            "on_intra_request_received", "on_remote_subscribe_fallback_to_audio_only", "on_stream_message",
            "on_user_state_changed", "on_audio_meta_data_received"})
    public static class LocalUserObserverStruct extends Structure {
        /** Number of function-pointer slots in the C struct. */
        public static final int SLOT_COUNT = 37;

        /** Slot 0. */
        public OnUserPointer on_audio_track_publish_success;
        /** Slot 1. */
        public OnUserPointer on_audio_track_publish_start;
        /** Slot 2. */
        public OnUserPointer on_audio_track_unpublished;
        /** Slot 3. */
        public OnUserPointerInt on_audio_track_publication_failure;
        /** Slot 4. */
        public OnUserPointerIntInt on_local_audio_track_state_changed;
        /** Slot 5. */
        public OnUserPointer on_local_audio_track_statistics;
        /** Slot 6. */
        public OnUserPointerPointer on_remote_audio_track_statistics;
        /** Slot 7. */
        public OnUserStringPointer on_user_audio_track_subscribed;
        /** Slot 8. */
        public OnUserStringPointerIntIntInt on_user_audio_track_state_changed;
        /** Slot 9. */
        public OnUserStringStringIntIntInt on_audio_subscribe_state_changed;
        /** Slot 10. */
        public OnUserStringIntIntInt on_audio_publish_state_changed;
        /** Slot 11. */
        public OnUserStringInt on_first_remote_audio_frame;
        /** Slot 12. */
        public OnUserStringInt on_first_remote_audio_decoded;
        /** Slot 13. */
        public OnUserPointer on_video_track_publish_success;
        /** Slot 14. */
        public OnUserPointer on_video_track_publish_start;
        /** Slot 15. */
        public OnUserPointer on_video_track_unpublished;
        /** Slot 16. */
        public OnUserPointerInt on_video_track_publication_failure;
        /** Slot 17. */
        public OnUserPointerIntInt on_local_video_track_state_changed;
        /** Slot 18. */
        public OnUserPointerPointer on_local_video_track_statistics;
        /** Slot 19. */
        public OnUserStringPointerPointer on_user_video_track_subscribed;
        /** Slot 20. */
        public OnUserStringPointerIntIntInt on_user_video_track_state_changed;
        /** Slot 21. */
        public OnUserPointerPointer on_remote_video_track_statistics;
        /** Slot 22. */
        public OnAudioVolumeIndication on_audio_volume_indication;
        /** Slot 23. */
        public OnUserString on_active_speaker;
        /** Slot 24. */
        public OnUserPointer on_remote_video_stream_info_updated;
        /** Slot 25. */
        public OnUserStringStringIntIntInt on_video_subscribe_state_changed;
        /** Slot 26. */
        public OnUserStringIntIntInt on_video_publish_state_changed;
        /** Slot 27. */
        public OnUserStringIntIntInt on_first_remote_video_frame;
        /** Slot 28. */
        public OnUserStringIntIntInt on_first_remote_video_decoded;
        /** Slot 29. */
        public OnUserStringIntIntInt on_first_remote_video_frame_rendered;
        /** Slot 30. */
        public OnUserStringIntIntInt on_video_size_changed;
        /** Slot 31. */
        public OnUserStringIntInt on_user_info_updated;
        /** Slot 32. */
        public OnUserOnly on_intra_request_received;
        /** Slot 33. */
        public OnUserStringInt on_remote_subscribe_fallback_to_audio_only;
        /** Slot 34. */
        public OnStreamMessage on_stream_message;
        /** Slot 35. */
        public OnUserStringInt on_user_state_changed;
        /** Slot 36. */
        public OnAudioMetaData on_audio_meta_data_received;

        /** A table laid over zeroed memory, so slots left null are NULL function pointers. */
        public LocalUserObserverStruct() {
            super(AgoraStructs.zeroed(AgoraStructs.CONFIG_ALLOCATION_BYTES + 296));
        }
    }

    /** Callback signature of {@code video_frame_observer2.on_frame}: (observer handle, channel, user, video_frame*). */
    public interface OnVideoFrame extends Callback {
        void invoke(Pointer observer, Pointer channelId, Pointer remoteUserId, Pointer videoFrame);
    }

    /** Callback signature of {@code on_encoded_video_frame}: (observer handle, uid, bytes, length, info*) -> 1. */
    public interface OnEncodedVideoFrame extends Callback {
        int invoke(Pointer observer, int uid, Pointer imageBuffer, long length, Pointer info);
    }

    /** {@code video_frame_observer2} (1 slot, 8 bytes); copied by {@code agora_video_frame_observer2_create}. */
    @FieldOrder({"on_frame"})
    public static class VideoFrameObserver2Struct extends Structure {
        /** Number of function-pointer slots in the C struct. */
        public static final int SLOT_COUNT = 1;

        /** Slot 0. */
        public OnVideoFrame on_frame;

        /** A table laid over zeroed memory (64 bytes past the slot, in case a build reads more). */
        public VideoFrameObserver2Struct() {
            super(AgoraStructs.zeroed(AgoraStructs.CONFIG_ALLOCATION_BYTES + 8));
        }
    }

    /** {@code video_encoded_frame_observer} (1 slot, 8 bytes); copied by {@code _create}. */
    @FieldOrder({"on_encoded_video_frame"})
    public static class VideoEncodedFrameObserverStruct extends Structure {
        /** Number of function-pointer slots in the C struct. */
        public static final int SLOT_COUNT = 1;

        /** Slot 0. */
        public OnEncodedVideoFrame on_encoded_video_frame;

        /** A table laid over zeroed memory. */
        public VideoEncodedFrameObserverStruct() {
            super(AgoraStructs.zeroed(AgoraStructs.CONFIG_ALLOCATION_BYTES + 8));
        }
    }
}
