package io.voiceagent.agora.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * The C structs of the Agora ABI (native build 4.4.32-20250425, LP64), field for field in C order.
 * Sizes are asserted by a test against the reference. Config structs that the SDK reads are backed
 * by zero-filled memory that is larger than the struct ({@link #CONFIG_ALLOCATION_BYTES}), so a
 * native build that appends fields reads zeros instead of garbage.
 */
public final class AgoraStructs {
    private AgoraStructs() {}

    /** Bytes allocated (and zeroed) behind every config struct handed to the SDK. */
    public static final int CONFIG_ALLOCATION_BYTES = 256;

    static Memory zeroed(int bytes) {
        Memory m = new Memory(bytes);
        m.clear();
        return m;
    }

    /** {@code agora_service_config} (56 bytes). */
    @FieldOrder({"enable_audio_processor", "enable_audio_device", "enable_video", "context", "app_id", "area_code",
            "channel_profile", "audio_scenario", "use_string_uid", "domain_limit"})
    public static class AgoraServiceConfigStruct extends Structure {
        public int enable_audio_processor;
        public int enable_audio_device;
        public int enable_video;
        public Pointer context;
        public String app_id;
        /** {@code unsigned int}: an AREA_CODE bit mask. */
        public int area_code;
        public int channel_profile;
        public int audio_scenario;
        public int use_string_uid;
        public int domain_limit;

        /** A struct laid over {@link #CONFIG_ALLOCATION_BYTES} zeroed bytes. */
        public AgoraServiceConfigStruct() {
            super(zeroed(CONFIG_ALLOCATION_BYTES));
        }

        public AgoraServiceConfigStruct(Pointer p) {
            super(p);
        }
    }

    /** {@code audio_subscription_options} nested in {@code rtc_conn_config} (20 bytes). */
    @FieldOrder({"packet_only", "pcm_data_only", "bytes_per_sample", "number_of_channels", "sample_rate_hz"})
    public static class AudioSubscriptionOptionsStruct extends Structure {
        public int packet_only;
        public int pcm_data_only;
        public int bytes_per_sample;
        public int number_of_channels;
        public int sample_rate_hz;
    }

    /** {@code rtc_conn_config} (64 bytes). */
    @FieldOrder({"auto_subscribe_audio", "auto_subscribe_video", "enable_audio_recording_or_playout", "max_send_bitrate",
            "min_port", "max_port", "audio_subs_options", "client_role_type", "channel_profile", "audio_recv_media_packet",
            "audio_recv_encoded_frame", "video_recv_media_packet"})
    public static class RtcConnConfigStruct extends Structure {
        public int auto_subscribe_audio;
        public int auto_subscribe_video;
        public int enable_audio_recording_or_playout;
        public int max_send_bitrate;
        public int min_port;
        public int max_port;
        public AudioSubscriptionOptionsStruct audio_subs_options = new AudioSubscriptionOptionsStruct();
        public int client_role_type;
        public int channel_profile;
        public int audio_recv_media_packet;
        public int audio_recv_encoded_frame;
        public int video_recv_media_packet;

        public RtcConnConfigStruct() {
            super(zeroed(CONFIG_ALLOCATION_BYTES));
        }

        public RtcConnConfigStruct(Pointer p) {
            super(p);
        }
    }

    /** {@code rtc_conn_info} (40 bytes); valid only during the callback that passes it. */
    @FieldOrder({"id", "channel_id", "state", "local_user_id", "internal_uid"})
    public static class RtcConnInfoStruct extends Structure {
        public static final long OFFSET_ID;
        public static final long OFFSET_CHANNEL_ID;
        public static final long OFFSET_STATE;
        public static final long OFFSET_LOCAL_USER_ID;
        public static final long OFFSET_INTERNAL_UID;

        static {
            RtcConnInfoStruct s = new RtcConnInfoStruct();
            OFFSET_ID = s.fieldOffset("id");
            OFFSET_CHANNEL_ID = s.fieldOffset("channel_id");
            OFFSET_STATE = s.fieldOffset("state");
            OFFSET_LOCAL_USER_ID = s.fieldOffset("local_user_id");
            OFFSET_INTERNAL_UID = s.fieldOffset("internal_uid");
        }

        /** {@code conn_id_t}, an {@code unsigned int}. */
        public int id;
        public Pointer channel_id;
        public int state;
        public Pointer local_user_id;
        /** {@code uid_t}, an {@code unsigned int}. */
        public int internal_uid;

        public RtcConnInfoStruct() {}

        public RtcConnInfoStruct(Pointer p) {
            super(p);
            read();
        }
    }

    /** {@code audio_frame} in the 2.2.x layout (64 bytes); {@code buffer} is valid only during the callback. */
    @FieldOrder({"type", "samples_per_channel", "bytes_per_sample", "channels", "samples_per_sec", "buffer",
            "render_time_ms", "avsync_type", "far_filed_flag", "rms", "voice_prob", "music_prob", "pitch"})
    public static class AudioFrameStruct extends Structure {
        public static final long OFFSET_SAMPLES_PER_CHANNEL;
        public static final long OFFSET_BYTES_PER_SAMPLE;
        public static final long OFFSET_CHANNELS;
        public static final long OFFSET_SAMPLES_PER_SEC;
        public static final long OFFSET_BUFFER;
        public static final long OFFSET_RENDER_TIME_MS;
        public static final long OFFSET_RMS;
        public static final long OFFSET_VOICE_PROB;

        static {
            AudioFrameStruct s = new AudioFrameStruct();
            OFFSET_SAMPLES_PER_CHANNEL = s.fieldOffset("samples_per_channel");
            OFFSET_BYTES_PER_SAMPLE = s.fieldOffset("bytes_per_sample");
            OFFSET_CHANNELS = s.fieldOffset("channels");
            OFFSET_SAMPLES_PER_SEC = s.fieldOffset("samples_per_sec");
            OFFSET_BUFFER = s.fieldOffset("buffer");
            OFFSET_RENDER_TIME_MS = s.fieldOffset("render_time_ms");
            OFFSET_RMS = s.fieldOffset("rms");
            OFFSET_VOICE_PROB = s.fieldOffset("voice_prob");
        }

        public int type;
        public int samples_per_channel;
        public int bytes_per_sample;
        public int channels;
        public int samples_per_sec;
        public Pointer buffer;
        public long render_time_ms;
        public int avsync_type;
        public int far_filed_flag;
        public int rms;
        public int voice_prob;
        public int music_prob;
        public int pitch;
    }

    /** {@code audio_params} (16 bytes), returned by value from the unused {@code on_get_*_param} slots. */
    @FieldOrder({"sample_rate", "channels", "mode", "samples_per_call"})
    public static class AudioParamsStruct extends Structure {
        public int sample_rate;
        public int channels;
        public int mode;
        public int samples_per_call;

        /** The by-value form, for callbacks that return the struct. */
        public static class ByValue extends AudioParamsStruct implements Structure.ByValue {}
    }

    /** {@code audio_volume_info} (24 bytes), an element of the array of {@code on_audio_volume_indication}. */
    @FieldOrder({"user_id", "volume", "vad", "voicePitch"})
    public static class AudioVolumeInfoStruct extends Structure {
        public static final int SIZE;
        public static final long OFFSET_USER_ID;
        public static final long OFFSET_VOLUME;
        public static final long OFFSET_VAD;
        public static final long OFFSET_VOICE_PITCH;

        static {
            AudioVolumeInfoStruct s = new AudioVolumeInfoStruct();
            SIZE = s.size();
            OFFSET_USER_ID = s.fieldOffset("user_id");
            OFFSET_VOLUME = s.fieldOffset("volume");
            OFFSET_VAD = s.fieldOffset("vad");
            OFFSET_VOICE_PITCH = s.fieldOffset("voicePitch");
        }

        public Pointer user_id;
        public int volume;
        public int vad;
        public double voicePitch;
    }

    /** {@code encryption_config} (48 bytes). */
    @FieldOrder({"encryption_mode", "encryption_key", "encryption_kdf_salt"})
    public static class EncryptionConfigStruct extends Structure {
        public int encryption_mode;
        public String encryption_key;
        public byte[] encryption_kdf_salt = new byte[32];
    }

    /** {@code local_audio_stats} (24 bytes). */
    @FieldOrder({"num_channels", "sent_sample_rate", "sent_bitrate", "internal_codec", "voice_pitch"})
    public static class LocalAudioStatsStruct extends Structure {
        public int num_channels;
        public int sent_sample_rate;
        public int sent_bitrate;
        public int internal_codec;
        public double voice_pitch;
    }

    /** {@code video_track_info} (48 bytes); only its size matters to an audio agent. */
    @FieldOrder({"is_local", "owner_uid", "track_id", "channel_id", "stream_type", "codec_type", "encoded_frame_only",
            "source_type", "observation_position"})
    public static class VideoTrackInfoStruct extends Structure {
        public int is_local;
        public int owner_uid;
        public int track_id;
        public Pointer channel_id;
        public int stream_type;
        public int codec_type;
        public int encoded_frame_only;
        public int source_type;
        public int observation_position;
    }

    // ---- video and encoded media (shared/reference/agora-c-abi-video.md) ----

    /** {@code sender_options} (12 bytes), the options of an encoded video track. */
    @FieldOrder({"cc_mode", "codec_type", "target_bitrate"})
    public static class SenderOptionsStruct extends Structure {
        /** TCcMode: 0 enabled, 1 disabled. */
        public int cc_mode;
        /** VIDEO_CODEC_TYPE. */
        public int codec_type;
        /** Kbps. */
        public int target_bitrate;

        public SenderOptionsStruct() {
            super(zeroed(CONFIG_ALLOCATION_BYTES));
        }
    }

    /** The colour space nested in {@code external_video_frame} (16 bytes): H.273 / WebM indices. */
    @FieldOrder({"primaries_id", "transfer_id", "matrix_id", "range_id"})
    public static class ColorSpaceStruct extends Structure {
        public int primaries_id;
        public int transfer_id;
        public int matrix_id;
        public int range_id;
    }

    /**
     * {@code external_video_frame} (184 bytes in this build), laid over {@link #CONFIG_ALLOCATION_BYTES}
     * zeroed bytes. {@code stride} is in pixels; {@code buffer}, {@code metadata_buffer} and
     * {@code alpha_buffer} need to stay valid only during the send call.
     */
    @FieldOrder({"type", "format", "buffer", "stride", "height", "crop_left", "crop_top", "crop_right", "crop_bottom",
            "rotation", "timestamp", "egl_context", "egl_type", "texture_id", "matrix", "metadata_buffer",
            "metadata_size", "alpha_buffer", "fill_alpha_buffer", "alpha_mode", "color_space"})
    public static class ExternalVideoFrameStruct extends Structure {
        /** Offsets of the fields the two wrappers appended after the older header's prefix (and a few others). */
        public static final long OFFSET_BUFFER;
        public static final long OFFSET_STRIDE;
        public static final long OFFSET_ROTATION;
        public static final long OFFSET_TIMESTAMP;
        public static final long OFFSET_MATRIX;
        public static final long OFFSET_METADATA_BUFFER;
        public static final long OFFSET_METADATA_SIZE;
        public static final long OFFSET_ALPHA_BUFFER;
        public static final long OFFSET_FILL_ALPHA_BUFFER;
        public static final long OFFSET_ALPHA_MODE;
        public static final long OFFSET_COLOR_SPACE;

        static {
            ExternalVideoFrameStruct s = new ExternalVideoFrameStruct();
            OFFSET_BUFFER = s.fieldOffset("buffer");
            OFFSET_STRIDE = s.fieldOffset("stride");
            OFFSET_ROTATION = s.fieldOffset("rotation");
            OFFSET_TIMESTAMP = s.fieldOffset("timestamp");
            OFFSET_MATRIX = s.fieldOffset("matrix");
            OFFSET_METADATA_BUFFER = s.fieldOffset("metadata_buffer");
            OFFSET_METADATA_SIZE = s.fieldOffset("metadata_size");
            OFFSET_ALPHA_BUFFER = s.fieldOffset("alpha_buffer");
            OFFSET_FILL_ALPHA_BUFFER = s.fieldOffset("fill_alpha_buffer");
            OFFSET_ALPHA_MODE = s.fieldOffset("alpha_mode");
            OFFSET_COLOR_SPACE = s.fieldOffset("color_space");
        }

        /** VIDEO_BUFFER_TYPE: 1 raw data. */
        public int type;
        /** VIDEO_PIXEL_FORMAT: 1 I420, 2 BGRA, 4 RGBA. */
        public int format;
        public Pointer buffer;
        /** Pixels per row, not bytes. */
        public int stride;
        public int height;
        public int crop_left;
        public int crop_top;
        public int crop_right;
        public int crop_bottom;
        /** 0, 90, 180 or 270. */
        public int rotation;
        /** Milliseconds; 0 lets the SDK stamp the frame. */
        public long timestamp;
        public Pointer egl_context;
        public int egl_type;
        public int texture_id;
        public float[] matrix = new float[16];
        public Pointer metadata_buffer;
        public int metadata_size;
        public Pointer alpha_buffer;
        /** C {@code uint8_t} 0/1; JNA pads the 3 bytes after it as gcc does. */
        public byte fill_alpha_buffer;
        public int alpha_mode;
        public ColorSpaceStruct color_space = new ColorSpaceStruct();

        public ExternalVideoFrameStruct() {
            super(zeroed(CONFIG_ALLOCATION_BYTES));
        }
    }

    /** {@code encoded_video_frame_info} (56 bytes in this build; later builds append {@code presentation_ms}). */
    @FieldOrder({"codec_type", "width", "height", "frames_per_second", "frame_type", "rotation", "track_id",
            "capture_time_ms", "decode_time_ms", "uid", "stream_type"})
    public static class EncodedVideoFrameInfoStruct extends Structure {
        public static final long OFFSET_CODEC_TYPE;
        public static final long OFFSET_WIDTH;
        public static final long OFFSET_HEIGHT;
        public static final long OFFSET_FRAMES_PER_SECOND;
        public static final long OFFSET_FRAME_TYPE;
        public static final long OFFSET_ROTATION;
        public static final long OFFSET_CAPTURE_TIME_MS;
        public static final long OFFSET_UID;
        public static final long OFFSET_STREAM_TYPE;

        static {
            EncodedVideoFrameInfoStruct s = new EncodedVideoFrameInfoStruct();
            OFFSET_CODEC_TYPE = s.fieldOffset("codec_type");
            OFFSET_WIDTH = s.fieldOffset("width");
            OFFSET_HEIGHT = s.fieldOffset("height");
            OFFSET_FRAMES_PER_SECOND = s.fieldOffset("frames_per_second");
            OFFSET_FRAME_TYPE = s.fieldOffset("frame_type");
            OFFSET_ROTATION = s.fieldOffset("rotation");
            OFFSET_CAPTURE_TIME_MS = s.fieldOffset("capture_time_ms");
            OFFSET_UID = s.fieldOffset("uid");
            OFFSET_STREAM_TYPE = s.fieldOffset("stream_type");
        }

        public int codec_type;
        public int width;
        public int height;
        /** 0: the SDK uses the real timestamps. */
        public int frames_per_second;
        /** VIDEO_FRAME_TYPE: 3 key, 4 delta. */
        public int frame_type;
        public int rotation;
        public int track_id;
        public long capture_time_ms;
        public long decode_time_ms;
        /** {@code uid_t}, an {@code unsigned int}. */
        public int uid;
        /** 0 high, 1 low. */
        public int stream_type;

        public EncodedVideoFrameInfoStruct() {
            super(zeroed(CONFIG_ALLOCATION_BYTES));
        }
    }

    /** {@code encoded_audio_frame_info} (24 bytes in this build; later builds append {@code capture_time_ms}). */
    @FieldOrder({"speech", "codec", "sample_rate_hz", "samples_per_channel", "send_even_if_empty",
            "number_of_channels"})
    public static class EncodedAudioFrameInfoStruct extends Structure {
        public int speech;
        /** AUDIO_CODEC_TYPE: 1 Opus, 8 AAC-LC, ... */
        public int codec;
        public int sample_rate_hz;
        public int samples_per_channel;
        public int send_even_if_empty;
        public int number_of_channels;

        public EncodedAudioFrameInfoStruct() {
            super(zeroed(CONFIG_ALLOCATION_BYTES));
        }
    }

    /** {@code video_dimensions} (8 bytes). */
    @FieldOrder({"width", "height"})
    public static class VideoDimensionsStruct extends Structure {
        public int width;
        public int height;
    }

    /** {@code video_encoder_config} (40 bytes). {@code bitrate} unit is not confirmed for this build (reference §4.1). */
    @FieldOrder({"codec_type", "dimensions", "frame_rate", "bitrate", "min_bitrate", "orientation_mode",
            "degradation_preference", "mirror_mode", "encode_alpha"})
    public static class VideoEncoderConfigStruct extends Structure {
        public static final long OFFSET_FRAME_RATE;
        public static final long OFFSET_ENCODE_ALPHA;

        static {
            VideoEncoderConfigStruct s = new VideoEncoderConfigStruct();
            OFFSET_FRAME_RATE = s.fieldOffset("frame_rate");
            OFFSET_ENCODE_ALPHA = s.fieldOffset("encode_alpha");
        }

        public int codec_type;
        public VideoDimensionsStruct dimensions = new VideoDimensionsStruct();
        public int frame_rate;
        public int bitrate;
        public int min_bitrate;
        public int orientation_mode;
        public int degradation_preference;
        public int mirror_mode;
        public int encode_alpha;

        public VideoEncoderConfigStruct() {
            super(zeroed(CONFIG_ALLOCATION_BYTES));
        }
    }

    /** {@code video_subscription_options} (8 bytes). */
    @FieldOrder({"type", "encoded_frame_only"})
    public static class VideoSubscriptionOptionsStruct extends Structure {
        /** VIDEO_STREAM_TYPE: 0 high, 1 low. */
        public int type;
        public int encoded_frame_only;

        public VideoSubscriptionOptionsStruct() {
            super(zeroed(CONFIG_ALLOCATION_BYTES));
        }
    }

    /** {@code simulcast_stream_config} (16 bytes). */
    @FieldOrder({"dimensions", "bitrate", "framerate"})
    public static class SimulcastStreamConfigStruct extends Structure {
        public VideoDimensionsStruct dimensions = new VideoDimensionsStruct();
        /** Kbps. */
        public int bitrate;
        public int framerate;

        public SimulcastStreamConfigStruct() {
            super(zeroed(CONFIG_ALLOCATION_BYTES));
        }
    }

    /** {@code video_frame} (184 bytes), read-only at these offsets; every pointer is valid only during {@code on_frame}. */
    @FieldOrder({"type", "width", "height", "y_stride", "u_stride", "v_stride", "y_buffer", "u_buffer", "v_buffer",
            "rotation", "render_time_ms", "avsync_type", "metadata_buffer", "metadata_size", "shared_context",
            "texture_id", "matrix", "alpha_buffer", "alpha_mode"})
    public static class VideoFrameStruct extends Structure {
        public static final long OFFSET_TYPE;
        public static final long OFFSET_WIDTH;
        public static final long OFFSET_HEIGHT;
        public static final long OFFSET_Y_STRIDE;
        public static final long OFFSET_U_STRIDE;
        public static final long OFFSET_V_STRIDE;
        public static final long OFFSET_Y_BUFFER;
        public static final long OFFSET_U_BUFFER;
        public static final long OFFSET_V_BUFFER;
        public static final long OFFSET_ROTATION;
        public static final long OFFSET_RENDER_TIME_MS;
        public static final long OFFSET_METADATA_BUFFER;
        public static final long OFFSET_METADATA_SIZE;
        public static final long OFFSET_ALPHA_BUFFER;
        public static final long OFFSET_ALPHA_MODE;

        static {
            VideoFrameStruct s = new VideoFrameStruct();
            OFFSET_TYPE = s.fieldOffset("type");
            OFFSET_WIDTH = s.fieldOffset("width");
            OFFSET_HEIGHT = s.fieldOffset("height");
            OFFSET_Y_STRIDE = s.fieldOffset("y_stride");
            OFFSET_U_STRIDE = s.fieldOffset("u_stride");
            OFFSET_V_STRIDE = s.fieldOffset("v_stride");
            OFFSET_Y_BUFFER = s.fieldOffset("y_buffer");
            OFFSET_U_BUFFER = s.fieldOffset("u_buffer");
            OFFSET_V_BUFFER = s.fieldOffset("v_buffer");
            OFFSET_ROTATION = s.fieldOffset("rotation");
            OFFSET_RENDER_TIME_MS = s.fieldOffset("render_time_ms");
            OFFSET_METADATA_BUFFER = s.fieldOffset("metadata_buffer");
            OFFSET_METADATA_SIZE = s.fieldOffset("metadata_size");
            OFFSET_ALPHA_BUFFER = s.fieldOffset("alpha_buffer");
            OFFSET_ALPHA_MODE = s.fieldOffset("alpha_mode");
        }

        /** VIDEO_PIXEL_FORMAT (1 I420). */
        public int type;
        public int width;
        public int height;
        public int y_stride;
        public int u_stride;
        public int v_stride;
        public Pointer y_buffer;
        public Pointer u_buffer;
        public Pointer v_buffer;
        public int rotation;
        public long render_time_ms;
        public int avsync_type;
        public Pointer metadata_buffer;
        public int metadata_size;
        public Pointer shared_context;
        public int texture_id;
        public float[] matrix = new float[16];
        public Pointer alpha_buffer;
        public int alpha_mode;
    }

    /** {@code local_video_track_stats} (104 bytes), returned by {@code agora_local_video_track_get_statistics}. */
    @FieldOrder({"number_of_streams", "bytes_major_stream", "bytes_minor_stream", "frames_encoded",
            "ssrc_major_stream", "ssrc_minor_stream", "capture_frame_rate", "regulated_capture_frame_rate",
            "input_frame_rate", "encode_frame_rate", "render_frame_rate", "target_media_bitrate_bps",
            "media_bitrate_bps", "total_bitrate_bps", "capture_width", "capture_height", "regulated_capture_width",
            "regulated_capture_height", "width", "height", "encoder_type", "uplink_cost_time_ms",
            "quality_adapt_indication"})
    public static class LocalVideoTrackStatsStruct extends Structure {
        public static final long OFFSET_FRAMES_ENCODED;
        public static final long OFFSET_QUALITY_ADAPT_INDICATION;

        static {
            LocalVideoTrackStatsStruct s = new LocalVideoTrackStatsStruct();
            OFFSET_FRAMES_ENCODED = s.fieldOffset("frames_encoded");
            OFFSET_QUALITY_ADAPT_INDICATION = s.fieldOffset("quality_adapt_indication");
        }

        public long number_of_streams;
        public long bytes_major_stream;
        public long bytes_minor_stream;
        public int frames_encoded;
        public int ssrc_major_stream;
        public int ssrc_minor_stream;
        public int capture_frame_rate;
        public int regulated_capture_frame_rate;
        public int input_frame_rate;
        public int encode_frame_rate;
        public int render_frame_rate;
        public int target_media_bitrate_bps;
        public int media_bitrate_bps;
        public int total_bitrate_bps;
        public int capture_width;
        public int capture_height;
        public int regulated_capture_width;
        public int regulated_capture_height;
        public int width;
        public int height;
        public int encoder_type;
        public int uplink_cost_time_ms;
        public int quality_adapt_indication;

        public LocalVideoTrackStatsStruct() {}

        /** Reads the block the SDK returned (still to be freed with {@code _destroy_statistics}). */
        public LocalVideoTrackStatsStruct(Pointer p) {
            super(p);
            read();
        }
    }
}
