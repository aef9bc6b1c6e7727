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
}
