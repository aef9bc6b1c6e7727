package io.voiceagent.agora.internal;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.voiceagent.agora.internal.AgoraStructs.AgoraServiceConfigStruct;
import io.voiceagent.agora.internal.AgoraStructs.EncryptionConfigStruct;
import io.voiceagent.agora.internal.AgoraStructs.EncodedAudioFrameInfoStruct;
import io.voiceagent.agora.internal.AgoraStructs.EncodedVideoFrameInfoStruct;
import io.voiceagent.agora.internal.AgoraStructs.ExternalVideoFrameStruct;
import io.voiceagent.agora.internal.AgoraStructs.RtcConnConfigStruct;
import io.voiceagent.agora.internal.AgoraStructs.SenderOptionsStruct;
import io.voiceagent.agora.internal.AgoraStructs.SimulcastStreamConfigStruct;
import io.voiceagent.agora.internal.AgoraStructs.VideoEncoderConfigStruct;
import io.voiceagent.agora.internal.AgoraStructs.VideoSubscriptionOptionsStruct;
import io.voiceagent.agora.internal.Handles.ConnectionHandle;
import io.voiceagent.agora.internal.Handles.EncodedAudioSenderHandle;
import io.voiceagent.agora.internal.Handles.EncodedImageSenderHandle;
import io.voiceagent.agora.internal.Handles.EncodedVideoObserverHandle;
import io.voiceagent.agora.internal.Handles.LocalVideoTrackHandle;
import io.voiceagent.agora.internal.Handles.VideoFrameObserverHandle;
import io.voiceagent.agora.internal.Handles.VideoFrameSenderHandle;
import io.voiceagent.agora.internal.Handles.LocalAudioTrackHandle;
import io.voiceagent.agora.internal.Handles.LocalUserHandle;
import io.voiceagent.agora.internal.Handles.MediaNodeFactoryHandle;
import io.voiceagent.agora.internal.Handles.ParameterHandle;
import io.voiceagent.agora.internal.Handles.PcmSenderHandle;
import io.voiceagent.agora.internal.Handles.ServiceHandle;

/**
 * The raw binding: one method per C symbol of {@code libagora_rtc_sdk.so} (native build 4.4.32,
 * 20250425), named exactly as in C. Types follow the reference ABI on LP64 Linux: {@code int},
 * {@code unsigned int} and {@code uint32_t} map to {@code int}; {@code size_t} to {@code long}; C
 * {@code bool} (1 byte) to {@code byte} 0/1, never to {@code int} or {@code boolean} (4 bytes in JNA);
 * {@code const char*} inputs to {@link String} (UTF-8, set by the loader); observer structs are
 * passed as {@link Pointer} to zero-filled memory at least as large as the C struct, because the
 * SDK copies {@code sizeof(struct)} bytes at registration.
 *
 * <p>Internal: status codes are returned as-is here and turned into exceptions by the typed layer.
 * Every function may be called from any thread except from inside an SDK callback.
 */
public interface AgoraLibrary extends Library {

    // ---- service (reference §3) ----
    ServiceHandle agora_service_create();

    int agora_service_initialize(ServiceHandle service, AgoraServiceConfigStruct config);

    int agora_service_release(ServiceHandle service);

    int agora_service_set_log_file(ServiceHandle service, String filePath, int fileSizeBytes);

    int agora_service_set_log_filter(ServiceHandle service, int filters);

    MediaNodeFactoryHandle agora_service_create_media_node_factory(ServiceHandle service);

    void agora_media_node_factory_destroy(MediaNodeFactoryHandle factory);

    ParameterHandle agora_service_get_agora_parameter(ServiceHandle service);

    int agora_service_enable_extension(ServiceHandle service, String provider, String extension, String trackId,
            int autoEnableOnTrack);

    int agora_service_disable_extension(ServiceHandle service, String provider, String extension, String trackId);

    int agora_service_load_extension_provider(ServiceHandle service, String path, int unloadAfterUse);

    LocalAudioTrackHandle agora_service_create_custom_audio_track_pcm(ServiceHandle service, PcmSenderHandle sender);

    ConnectionHandle agora_rtc_conn_create(ServiceHandle service, RtcConnConfigStruct config);

    // ---- parameters (reference §6.3) ----
    int agora_parameter_set_int(ParameterHandle parameter, String key, int value);

    /**
     * {@code value} is a C {@code bool} (1 byte): pass 0 or 1. A Java {@code int} or {@code boolean}
     * here would be passed as 4 bytes, of which the C side reads only the lowest.
     */
    int agora_parameter_set_bool(ParameterHandle parameter, String key, byte value);

    int agora_parameter_set_string(ParameterHandle parameter, String key, String value);

    int agora_parameter_set_parameters(ParameterHandle parameter, String json);

    int agora_parameter_get_int(ParameterHandle parameter, String key, IntByReference value);

    // ---- connection (reference §4) ----
    void agora_rtc_conn_destroy(ConnectionHandle conn);

    int agora_rtc_conn_connect(ConnectionHandle conn, String token, String channelId, String userId);

    int agora_rtc_conn_disconnect(ConnectionHandle conn);

    int agora_rtc_conn_renew_token(ConnectionHandle conn, String token);

    LocalUserHandle agora_rtc_conn_get_local_user(ConnectionHandle conn);

    ParameterHandle agora_rtc_conn_get_agora_parameter(ConnectionHandle conn);

    int agora_rtc_conn_register_observer(ConnectionHandle conn, Pointer observer);

    int agora_rtc_conn_unregister_observer(ConnectionHandle conn);

    int agora_rtc_conn_create_data_stream(ConnectionHandle conn, IntByReference streamId, int reliable, int ordered);

    int agora_rtc_conn_send_stream_message(ConnectionHandle conn, int streamId, Memory data, int length);

    int agora_rtc_conn_enable_encryption(ConnectionHandle conn, int enabled, EncryptionConfigStruct config);

    /** Returns an {@code rtc_conn_info*} to be freed with {@link #agora_rtc_conn_destroy_conn_info}. */
    Pointer agora_rtc_conn_get_conn_info(ConnectionHandle conn);

    void agora_rtc_conn_destroy_conn_info(ConnectionHandle conn, Pointer info);

    // ---- local user (reference §5) ----
    int agora_local_user_publish_audio(LocalUserHandle user, LocalAudioTrackHandle track);

    int agora_local_user_unpublish_audio(LocalUserHandle user, LocalAudioTrackHandle track);

    int agora_local_user_subscribe_audio(LocalUserHandle user, String userId);

    int agora_local_user_unsubscribe_audio(LocalUserHandle user, String userId);

    int agora_local_user_subscribe_all_audio(LocalUserHandle user);

    int agora_local_user_unsubscribe_all_audio(LocalUserHandle user);

    int agora_local_user_set_playback_audio_frame_before_mixing_parameters(LocalUserHandle user, int channels,
            int sampleRateHz);

    int agora_local_user_register_audio_frame_observer(LocalUserHandle user, Pointer observer);

    int agora_local_user_unregister_audio_frame_observer(LocalUserHandle user);

    int agora_local_user_register_observer(LocalUserHandle user, Pointer observer);

    int agora_local_user_unregister_observer(LocalUserHandle user);

    int agora_local_user_send_audio_meta_data(LocalUserHandle user, Memory metaData, long length);

    /** {@code reportVad} is a C {@code bool}; pass 0 or 1. */
    int agora_local_user_set_audio_volume_indication_parameters(LocalUserHandle user, int intervalMs, int smooth,
            byte reportVad);

    int agora_local_user_set_audio_scenario(LocalUserHandle user, int scenario);

    void agora_local_user_set_user_role(LocalUserHandle user, int role);

    int agora_local_user_get_user_role(LocalUserHandle user);

    // ---- audio sending (reference §6) ----
    PcmSenderHandle agora_media_node_factory_create_audio_pcm_data_sender(MediaNodeFactoryHandle factory);

    void agora_audio_pcm_data_sender_destroy(PcmSenderHandle sender);

    /** The 7-argument form of the 2.2.x native build (no {@code presentation_ms}). */
    int agora_audio_pcm_data_sender_send(PcmSenderHandle sender, Pointer audioData, int captureTimestamp,
            int samplesPerChannel, int bytesPerSample, int numberOfChannels, int sampleRateHz);

    void agora_local_audio_track_set_enabled(LocalAudioTrackHandle track, int enable);

    int agora_local_audio_track_is_enabled(LocalAudioTrackHandle track);

    int agora_local_audio_track_get_state(LocalAudioTrackHandle track);

    int agora_local_audio_track_adjust_publish_volume(LocalAudioTrackHandle track, int volume);

    int agora_local_audio_track_get_publish_volume(LocalAudioTrackHandle track, IntByReference volume);

    void agora_local_audio_track_set_max_bufferd_frame_number(LocalAudioTrackHandle track, int number);

    void agora_local_audio_track_set_send_delay_ms(LocalAudioTrackHandle track, int delayMs);

    int agora_local_audio_track_clear_sender_buffer(LocalAudioTrackHandle track);

    void agora_local_audio_track_destroy(LocalAudioTrackHandle track);

    // ---- video and encoded media (agora-c-abi-video.md §2-§5) ----
    VideoFrameSenderHandle agora_media_node_factory_create_video_frame_sender(MediaNodeFactoryHandle factory);

    EncodedImageSenderHandle agora_media_node_factory_create_video_encoded_image_sender(MediaNodeFactoryHandle factory);

    EncodedAudioSenderHandle agora_media_node_factory_create_audio_encoded_frame_sender(MediaNodeFactoryHandle factory);

    LocalVideoTrackHandle agora_service_create_custom_video_track_frame(ServiceHandle service,
            VideoFrameSenderHandle sender);

    /** {@code options} may be null (no options). */
    LocalVideoTrackHandle agora_service_create_custom_video_track_encoded(ServiceHandle service,
            EncodedImageSenderHandle sender, SenderOptionsStruct options);

    /** {@code mixMode}: 0 mix enabled, 1 mix disabled (both SDKs' examples pass 1). */
    LocalAudioTrackHandle agora_service_create_custom_audio_track_encoded(ServiceHandle service,
            EncodedAudioSenderHandle sender, int mixMode);

    void agora_video_frame_sender_destroy(VideoFrameSenderHandle sender);

    void agora_video_encoded_image_sender_destroy(EncodedImageSenderHandle sender);

    void agora_audio_encoded_frame_sender_destroy(EncodedAudioSenderHandle sender);

    /** Declared {@code void}: the header copies say so (Python's handle return type is wrong). */
    void agora_local_video_track_destroy(LocalVideoTrackHandle track);

    int agora_video_frame_sender_send(VideoFrameSenderHandle sender, ExternalVideoFrameStruct frame);

    /** {@code length} is a 32-bit {@code uint32_t} in this build. Python 2.2.4 treats 1 as success. */
    int agora_video_encoded_image_sender_send(EncodedImageSenderHandle sender, Pointer imageBuffer, int length,
            EncodedVideoFrameInfoStruct info);

    int agora_audio_encoded_frame_sender_send(EncodedAudioSenderHandle sender, Pointer payload, int size,
            EncodedAudioFrameInfoStruct info);

    int agora_local_video_track_set_video_encoder_config(LocalVideoTrackHandle track, VideoEncoderConfigStruct config);

    /** Declared {@code void} as in the header copies (Python says int; ignoring it is safe either way). */
    void agora_local_video_track_set_enabled(LocalVideoTrackHandle track, int enable);

    int agora_local_video_track_enable_simulcast_stream(LocalVideoTrackHandle track, int enabled,
            SimulcastStreamConfigStruct config);

    int agora_local_video_track_get_state(LocalVideoTrackHandle track);

    /** Returns a {@code local_video_track_stats*} to be freed with {@link #agora_local_video_track_destroy_statistics}. */
    Pointer agora_local_video_track_get_statistics(LocalVideoTrackHandle track);

    void agora_local_video_track_destroy_statistics(LocalVideoTrackHandle track, Pointer stats);

    int agora_local_user_publish_video(LocalUserHandle user, LocalVideoTrackHandle track);

    int agora_local_user_unpublish_video(LocalUserHandle user, LocalVideoTrackHandle track);

    /** {@code options} may be null. */
    int agora_local_user_subscribe_video(LocalUserHandle user, String userId, VideoSubscriptionOptionsStruct options);

    int agora_local_user_subscribe_all_video(LocalUserHandle user, VideoSubscriptionOptionsStruct options);

    int agora_local_user_unsubscribe_video(LocalUserHandle user, String userId);

    int agora_local_user_unsubscribe_all_video(LocalUserHandle user);

    VideoFrameObserverHandle agora_video_frame_observer2_create(Pointer observer);

    /** Declared {@code void}: the return value is unknown for this build and ignored. */
    void agora_video_frame_observer2_destroy(VideoFrameObserverHandle observer);

    int agora_local_user_register_video_frame_observer(LocalUserHandle user, VideoFrameObserverHandle observer);

    int agora_local_user_unregister_video_frame_observer(LocalUserHandle user, VideoFrameObserverHandle observer);

    EncodedVideoObserverHandle agora_video_encoded_frame_observer_create(Pointer observer);

    void agora_video_encoded_frame_observer_destroy(EncodedVideoObserverHandle observer);

    int agora_local_user_register_video_encoded_frame_observer(LocalUserHandle user,
            EncodedVideoObserverHandle observer);

    int agora_local_user_unregister_video_encoded_frame_observer(LocalUserHandle user,
            EncodedVideoObserverHandle observer);
}
