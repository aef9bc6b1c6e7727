package io.voiceagent.agora.internal;

import com.sun.jna.Pointer;
import com.sun.jna.PointerType;

/**
 * One Java type per kind of opaque {@code AGORA_HANDLE}, so that a connection handle can never be
 * passed where a local-user or track handle is expected. Internal: the public API never exposes
 * them; each is owned by exactly one typed object in {@code io.voiceagent.agora}.
 */
public final class Handles {
    private Handles() {}

    /** {@code agora_service_create}; released with {@code agora_service_release}. */
    public static final class ServiceHandle extends PointerType {
        public ServiceHandle() {}
        public ServiceHandle(Pointer p) { super(p); }
    }

    /** {@code agora_service_create_media_node_factory}; destroyed with {@code agora_media_node_factory_destroy}. */
    public static final class MediaNodeFactoryHandle extends PointerType {
        public MediaNodeFactoryHandle() {}
        public MediaNodeFactoryHandle(Pointer p) { super(p); }
    }

    /** {@code agora_rtc_conn_create}; destroyed with {@code agora_rtc_conn_destroy}. */
    public static final class ConnectionHandle extends PointerType {
        public ConnectionHandle() {}
        public ConnectionHandle(Pointer p) { super(p); }
    }

    /** {@code agora_rtc_conn_get_local_user}; owned by its connection, never freed separately. */
    public static final class LocalUserHandle extends PointerType {
        public LocalUserHandle() {}
        public LocalUserHandle(Pointer p) { super(p); }
    }

    /** {@code agora_media_node_factory_create_audio_pcm_data_sender}; destroyed with {@code agora_audio_pcm_data_sender_destroy}. */
    public static final class PcmSenderHandle extends PointerType {
        public PcmSenderHandle() {}
        public PcmSenderHandle(Pointer p) { super(p); }
    }

    /** {@code agora_service_create_custom_audio_track_pcm}; destroyed with {@code agora_local_audio_track_destroy}. */
    public static final class LocalAudioTrackHandle extends PointerType {
        public LocalAudioTrackHandle() {}
        public LocalAudioTrackHandle(Pointer p) { super(p); }
    }

    /** An {@code agora_parameter} handle from the service or a connection; never freed. */
    public static final class ParameterHandle extends PointerType {
        public ParameterHandle() {}
        public ParameterHandle(Pointer p) { super(p); }
    }

    /** {@code agora_media_node_factory_create_video_frame_sender}; destroyed with {@code agora_video_frame_sender_destroy}. */
    public static final class VideoFrameSenderHandle extends PointerType {
        public VideoFrameSenderHandle() {}
        public VideoFrameSenderHandle(Pointer p) { super(p); }
    }

    /** {@code agora_media_node_factory_create_video_encoded_image_sender}; destroyed with {@code _destroy}. */
    public static final class EncodedImageSenderHandle extends PointerType {
        public EncodedImageSenderHandle() {}
        public EncodedImageSenderHandle(Pointer p) { super(p); }
    }

    /** {@code agora_media_node_factory_create_audio_encoded_frame_sender}; destroyed with {@code _destroy}. */
    public static final class EncodedAudioSenderHandle extends PointerType {
        public EncodedAudioSenderHandle() {}
        public EncodedAudioSenderHandle(Pointer p) { super(p); }
    }

    /** {@code agora_service_create_custom_video_track_frame} or {@code _encoded}; destroyed with {@code agora_local_video_track_destroy}. */
    public static final class LocalVideoTrackHandle extends PointerType {
        public LocalVideoTrackHandle() {}
        public LocalVideoTrackHandle(Pointer p) { super(p); }
    }

    /** {@code agora_video_frame_observer2_create}; destroyed with {@code agora_video_frame_observer2_destroy}. */
    public static final class VideoFrameObserverHandle extends PointerType {
        public VideoFrameObserverHandle() {}
        public VideoFrameObserverHandle(Pointer p) { super(p); }
    }

    /** {@code agora_video_encoded_frame_observer_create}; destroyed with {@code agora_video_encoded_frame_observer_destroy}. */
    public static final class EncodedVideoObserverHandle extends PointerType {
        public EncodedVideoObserverHandle() {}
        public EncodedVideoObserverHandle(Pointer p) { super(p); }
    }
}
