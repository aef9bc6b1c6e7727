/*
 * The subset of the Agora Linux server SDK C ABI (native build 4.4.32-20250425, the build that
 * Agora-Python-Server-SDK 2.2.x uses) that the loopback library implements.
 * Layouts follow shared/reference/agora-c-abi.md; the sizes are pinned with _Static_assert
 * because the Java binding declares the same structs positionally.
 */
#ifndef AGORA_C_ABI_H
#define AGORA_C_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AGORA_HANDLE void*
#define AGORA_API __attribute__((visibility("default")))

typedef const char* user_id_t;
typedef unsigned int uid_t_agora;   /* the headers call it uid_t; renamed to avoid <sys/types.h> */
typedef unsigned int track_id_t;
typedef unsigned int conn_id_t;

/* ---- enums (values only; the ABI passes them as int) ---- */
enum { CONNECTION_STATE_DISCONNECTED = 1, CONNECTION_STATE_CONNECTING = 2, CONNECTION_STATE_CONNECTED = 3,
       CONNECTION_STATE_RECONNECTING = 4, CONNECTION_STATE_FAILED = 5 };
enum { CONNECTION_CHANGED_CONNECTING = 0, CONNECTION_CHANGED_JOIN_SUCCESS = 1, CONNECTION_CHANGED_INTERRUPTED = 2,
       CONNECTION_CHANGED_LEAVE_CHANNEL = 5, CONNECTION_CHANGED_INVALID_TOKEN = 8,
       CONNECTION_CHANGED_KEEP_ALIVE_TIMEOUT = 14, CONNECTION_CHANGED_LOST = 16 };
enum { USER_OFFLINE_QUIT = 0, USER_OFFLINE_DROPPED = 1, USER_OFFLINE_BECOME_AUDIENCE = 2 };
enum { STREAM_PUBLISH_IDLE = 0, STREAM_PUBLISH_NO_PUBLISHED = 1, STREAM_PUBLISH_PUBLISHING = 2, STREAM_PUBLISH_PUBLISHED = 3 };
enum { STREAM_SUBSCRIBE_IDLE = 0, STREAM_SUBSCRIBE_NO_SUBSCRIBED = 1, STREAM_SUBSCRIBE_SUBSCRIBING = 2,
       STREAM_SUBSCRIBE_SUBSCRIBED = 3 };
enum { LOCAL_AUDIO_STREAM_STATE_STOPPED = 0, LOCAL_AUDIO_STREAM_STATE_RECORDING = 1,
       LOCAL_AUDIO_STREAM_STATE_ENCODING = 2, LOCAL_AUDIO_STREAM_STATE_FAILED = 3 };
enum { ERR_OK = 0, ERR_FAILED = 1, ERR_INVALID_ARGUMENT = 2, ERR_NOT_READY = 3, ERR_NOT_SUPPORTED = 4,
       ERR_REFUSED = 5, ERR_BUFFER_TOO_SMALL = 6, ERR_NOT_INITIALIZED = 7, ERR_NO_PERMISSION = 9,
       ERR_TIMEDOUT = 10, ERR_JOIN_CHANNEL_REJECTED = 17, ERR_LEAVE_CHANNEL_REJECTED = 18,
       ERR_INVALID_APP_ID = 101, ERR_INVALID_CHANNEL_NAME = 102, ERR_TOKEN_EXPIRED = 109,
       ERR_INVALID_TOKEN = 110, ERR_NOT_IN_CHANNEL = 113, ERR_SIZE_TOO_LARGE = 114 };

/* ---- structs ---- */
typedef struct _agora_service_config {
  int enable_audio_processor;
  int enable_audio_device;
  int enable_video;
  void* context;
  const char* app_id;
  unsigned int area_code;
  int channel_profile;
  int audio_scenario;
  int use_string_uid;
  int domain_limit;
} agora_service_config;

typedef struct _audio_subscription_options {
  int packet_only;
  int pcm_data_only;
  uint32_t bytes_per_sample;
  uint32_t number_of_channels;
  uint32_t sample_rate_hz;
} audio_subscription_options;

typedef struct _rtc_conn_config {
  int auto_subscribe_audio;
  int auto_subscribe_video;
  int enable_audio_recording_or_playout;
  int max_send_bitrate;
  int min_port;
  int max_port;
  audio_subscription_options audio_subs_options;
  int client_role_type;
  int channel_profile;
  int audio_recv_media_packet;
  int audio_recv_encoded_frame;
  int video_recv_media_packet;
} rtc_conn_config;

typedef struct _rtc_conn_info {
  conn_id_t id;
  const char* channel_id;
  int state;
  const char* local_user_id;
  uid_t_agora internal_uid;
} rtc_conn_info;

typedef struct _encryption_config {
  int encryption_mode;
  const char* encryption_key;
  uint8_t encryption_kdf_salt[32];
} encryption_config;

typedef struct _audio_frame {
  int type;
  int samples_per_channel;
  int bytes_per_sample;
  int channels;
  int samples_per_sec;
  void* buffer;
  int64_t render_time_ms;
  int avsync_type;
  int far_filed_flag;
  int rms;
  int voice_prob;
  int music_prob;
  int pitch;
} audio_frame;

typedef struct _audio_params {
  int sample_rate;
  int channels;
  int mode;
  int samples_per_call;
} audio_params;

typedef struct _audio_volume_info {
  user_id_t user_id;
  unsigned int volume;
  unsigned int vad;
  double voicePitch;
} audio_volume_info;

typedef struct _local_audio_stats {
  int num_channels;
  int sent_sample_rate;
  int sent_bitrate;
  int internal_codec;
  double voice_pitch;
} local_audio_stats;

typedef struct _video_track_info {
  int is_local;
  uid_t_agora owner_uid;
  track_id_t track_id;
  const char* channel_id;
  int stream_type;
  int codec_type;
  int encoded_frame_only;
  int source_type;
  uint32_t observation_position;
} video_track_info;

typedef struct _audio_encoder_config { int audio_profile; } audio_encoder_config;

/* Only passed by pointer in this subset. */
typedef struct _lastmile_probe_result lastmile_probe_result;
typedef struct _rtc_stats rtc_stats;
typedef struct _remote_video_stream_info remote_video_stream_info;
typedef struct _remote_video_track_stats remote_video_track_stats;
typedef struct _remote_audio_track_stats remote_audio_track_stats;
typedef struct _local_audio_detailed_stats local_audio_detailed_stats;

/* ---- video and encoded media (shared/reference/agora-c-abi-video.md) ---- */
enum { VIDEO_BUFFER_RAW_DATA = 1, VIDEO_BUFFER_ARRAY = 2, VIDEO_BUFFER_TEXTURE = 3 };
enum { VIDEO_PIXEL_DEFAULT = 0, VIDEO_PIXEL_I420 = 1, VIDEO_PIXEL_BGRA = 2, VIDEO_PIXEL_NV21 = 3, VIDEO_PIXEL_RGBA = 4,
       VIDEO_PIXEL_NV12 = 8 };
enum { VIDEO_CODEC_NONE = 0, VIDEO_CODEC_VP8 = 1, VIDEO_CODEC_H264 = 2, VIDEO_CODEC_H265 = 3, VIDEO_CODEC_GENERIC = 6,
       VIDEO_CODEC_GENERIC_H264 = 7, VIDEO_CODEC_AV1 = 12, VIDEO_CODEC_VP9 = 13, VIDEO_CODEC_GENERIC_JPEG = 20 };
enum { VIDEO_FRAME_TYPE_BLANK = 0, VIDEO_FRAME_TYPE_KEY = 3, VIDEO_FRAME_TYPE_DELTA = 4, VIDEO_FRAME_TYPE_B = 5,
       VIDEO_FRAME_TYPE_DROPPABLE = 6 };
enum { AUDIO_CODEC_OPUS = 1, AUDIO_CODEC_PCMA = 3, AUDIO_CODEC_PCMU = 4, AUDIO_CODEC_G722 = 5, AUDIO_CODEC_AACLC = 8,
       AUDIO_CODEC_HEAAC = 9, AUDIO_CODEC_JC1 = 10, AUDIO_CODEC_HEAAC2 = 11, AUDIO_CODEC_LPCNET = 12,
       AUDIO_CODEC_OPUSMC = 13 };
enum { LOCAL_VIDEO_STREAM_STATE_STOPPED = 0, LOCAL_VIDEO_STREAM_STATE_CAPTURING = 1,
       LOCAL_VIDEO_STREAM_STATE_ENCODING = 2, LOCAL_VIDEO_STREAM_STATE_FAILED = 3 };
enum { ERR_TOO_OFTEN = 12, ERR_BITRATE_LIMIT = 115 };

typedef struct _sender_options {
  int cc_mode;
  int codec_type;
  int target_bitrate;
} sender_options;

typedef struct _color_space_type {
  int primaries_id;
  int transfer_id;
  int matrix_id;
  int range_id;
} color_space_type;

typedef struct _external_video_frame {
  int type;
  int format;
  void* buffer;
  int stride;                     /* pixels, not bytes */
  int height;
  int crop_left;
  int crop_top;
  int crop_right;
  int crop_bottom;
  int rotation;
  long long timestamp;
  void* egl_context;
  int egl_type;
  int texture_id;
  float matrix[16];
  uint8_t* metadata_buffer;
  int metadata_size;
  uint8_t* alpha_buffer;
  uint8_t fill_alpha_buffer;
  int alpha_mode;
  color_space_type color_space;
} external_video_frame;

typedef struct _encoded_video_frame_info {
  int codec_type;
  int width;
  int height;
  int frames_per_second;
  int frame_type;
  int rotation;
  int track_id;
  int64_t capture_time_ms;
  int64_t decode_time_ms;
  uid_t_agora uid;
  int stream_type;
} encoded_video_frame_info;

typedef struct _encoded_audio_frame_info {
  int speech;
  int codec;
  int sample_rate_hz;
  int samples_per_channel;
  int send_even_if_empty;
  int number_of_channels;
} encoded_audio_frame_info;

typedef struct _video_dimensions { int width; int height; } video_dimensions;

typedef struct _video_encoder_config {
  int codec_type;
  video_dimensions dimensions;
  int frame_rate;
  int bitrate;
  int min_bitrate;
  int orientation_mode;
  int degradation_preference;
  int mirror_mode;
  int encode_alpha;
} video_encoder_config;

typedef struct _video_subscription_options {
  int type;
  int encoded_frame_only;
} video_subscription_options;

typedef struct _simulcast_stream_config {
  video_dimensions dimensions;
  int bitrate;
  int framerate;
} simulcast_stream_config;

typedef struct _video_frame {
  int type;
  int width;
  int height;
  int y_stride;
  int u_stride;
  int v_stride;
  uint8_t* y_buffer;
  uint8_t* u_buffer;
  uint8_t* v_buffer;
  int rotation;
  int64_t render_time_ms;
  int avsync_type;
  uint8_t* metadata_buffer;
  int metadata_size;
  void* shared_context;
  int texture_id;
  float matrix[16];
  uint8_t* alpha_buffer;
  int alpha_mode;
} video_frame;

typedef struct _local_video_track_stats {
  uint64_t number_of_streams;
  uint64_t bytes_major_stream;
  uint64_t bytes_minor_stream;
  uint32_t frames_encoded;
  uint32_t ssrc_major_stream;
  uint32_t ssrc_minor_stream;
  int capture_frame_rate;
  int regulated_capture_frame_rate;
  int input_frame_rate;
  int encode_frame_rate;
  int render_frame_rate;
  int target_media_bitrate_bps;
  int media_bitrate_bps;
  int total_bitrate_bps;
  int capture_width;
  int capture_height;
  int regulated_capture_width;
  int regulated_capture_height;
  int width;
  int height;
  uint32_t encoder_type;
  uint32_t uplink_cost_time_ms;
  int quality_adapt_indication;
} local_video_track_stats;

typedef struct _video_frame_observer2 {
  void (*on_frame)(AGORA_HANDLE observer, const char* channel_id, user_id_t remote_uid, const video_frame* frame);
} video_frame_observer2;

typedef struct _video_encoded_frame_observer {
  int (*on_encoded_video_frame)(AGORA_HANDLE observer, uid_t_agora uid, const uint8_t* image_buffer, size_t length,
                                const encoded_video_frame_info* info);
} video_encoded_frame_observer;

/* ---- observers (copied by value at register time; NULL slots are skipped) ---- */
typedef struct _rtc_conn_observer {
  void (*on_connected)(AGORA_HANDLE, const rtc_conn_info*, int reason);
  void (*on_disconnected)(AGORA_HANDLE, const rtc_conn_info*, int reason);
  void (*on_connecting)(AGORA_HANDLE, const rtc_conn_info*, int reason);
  void (*on_reconnecting)(AGORA_HANDLE, const rtc_conn_info*, int reason);
  void (*on_reconnected)(AGORA_HANDLE, const rtc_conn_info*, int reason);
  void (*on_connection_lost)(AGORA_HANDLE, const rtc_conn_info*);
  void (*on_lastmile_quality)(AGORA_HANDLE, int quality);
  void (*on_lastmile_probe_result)(AGORA_HANDLE, const lastmile_probe_result*);
  void (*on_token_privilege_will_expire)(AGORA_HANDLE, const char* token);
  void (*on_token_privilege_did_expire)(AGORA_HANDLE);
  void (*on_connection_license_validation_failure)(AGORA_HANDLE, int reason);
  void (*on_connection_failure)(AGORA_HANDLE, const rtc_conn_info*, int reason);
  void (*on_user_joined)(AGORA_HANDLE, user_id_t user_id);
  void (*on_user_left)(AGORA_HANDLE, user_id_t user_id, int reason);
  void (*on_transport_stats)(AGORA_HANDLE, const rtc_stats*);
  void (*on_change_role_success)(AGORA_HANDLE, int old_role, int new_role);
  void (*on_change_role_failure)(AGORA_HANDLE, int reason, int current_role);
  void (*on_user_network_quality)(AGORA_HANDLE, user_id_t, int tx_quality, int rx_quality);
  void (*on_network_type_changed)(AGORA_HANDLE, int type);
  void (*on_api_call_executed)(AGORA_HANDLE, int err, const char* api, const char* result);
  void (*on_content_inspect_result)(AGORA_HANDLE, int result);
  void (*on_snapshot_taken)(AGORA_HANDLE, const char* channel, uid_t_agora uid, const char* file_path,
                            int width, int height, int err_code);
  void (*on_error)(AGORA_HANDLE, int error, const char* msg);
  void (*on_warning)(AGORA_HANDLE, int warning, const char* msg);
  void (*on_channel_media_relay_state_changed)(AGORA_HANDLE, int state, int code);
  void (*on_local_user_registered)(AGORA_HANDLE, uid_t_agora uid, const char* user_account);
  void (*on_user_account_updated)(AGORA_HANDLE, uid_t_agora uid, const char* user_account);
  void (*on_stream_message_error)(AGORA_HANDLE, user_id_t, int stream_id, int code, int missed, int cached);
  void (*on_encryption_error)(AGORA_HANDLE, int error_type);
  void (*on_upload_log_result)(AGORA_HANDLE, const char* request_id, int success, int reason);
} rtc_conn_observer;

typedef struct _audio_frame_observer {
  int (*on_record_audio_frame)(AGORA_HANDLE, const char* channel_id, const audio_frame*);
  int (*on_playback_audio_frame)(AGORA_HANDLE, const char* channel_id, const audio_frame*);
  int (*on_mixed_audio_frame)(AGORA_HANDLE, const char* channel_id, const audio_frame*);
  int (*on_ear_monitoring_audio_frame)(AGORA_HANDLE, const audio_frame*);
  int (*on_playback_audio_frame_before_mixing)(AGORA_HANDLE, const char* channel_id, user_id_t user_id,
                                               const audio_frame*);
  int (*on_get_audio_frame_position)(AGORA_HANDLE);
  audio_params (*on_get_playback_audio_frame_param)(AGORA_HANDLE);
  audio_params (*on_get_record_audio_frame_param)(AGORA_HANDLE);
  audio_params (*on_get_mixed_audio_frame_param)(AGORA_HANDLE);
  audio_params (*on_get_ear_monitoring_audio_frame_param)(AGORA_HANDLE);
} audio_frame_observer;

typedef struct _local_user_observer {
  void (*on_audio_track_publish_success)(AGORA_HANDLE, AGORA_HANDLE local_audio_track);
  void (*on_audio_track_publish_start)(AGORA_HANDLE, AGORA_HANDLE local_audio_track);
  void (*on_audio_track_unpublished)(AGORA_HANDLE, AGORA_HANDLE local_audio_track);
  void (*on_audio_track_publication_failure)(AGORA_HANDLE, AGORA_HANDLE local_audio_track, int error);
  void (*on_local_audio_track_state_changed)(AGORA_HANDLE, AGORA_HANDLE local_audio_track, int state, int error);
  void (*on_local_audio_track_statistics)(AGORA_HANDLE, const local_audio_stats*);
  void (*on_remote_audio_track_statistics)(AGORA_HANDLE, AGORA_HANDLE remote_audio_track,
                                           const remote_audio_track_stats*);
  void (*on_user_audio_track_subscribed)(AGORA_HANDLE, user_id_t, AGORA_HANDLE remote_audio_track);
  void (*on_user_audio_track_state_changed)(AGORA_HANDLE, user_id_t, AGORA_HANDLE remote_audio_track,
                                            int state, int reason, int elapsed);
  void (*on_audio_subscribe_state_changed)(AGORA_HANDLE, const char* channel, user_id_t, int old_state,
                                           int new_state, int elapse_since_last_state);
  void (*on_audio_publish_state_changed)(AGORA_HANDLE, const char* channel, int old_state, int new_state,
                                         int elapse_since_last_state);
  void (*on_first_remote_audio_frame)(AGORA_HANDLE, user_id_t, int elapsed);
  void (*on_first_remote_audio_decoded)(AGORA_HANDLE, user_id_t, int elapsed);
  void (*on_video_track_publish_success)(AGORA_HANDLE, AGORA_HANDLE local_video_track);
  void (*on_video_track_publish_start)(AGORA_HANDLE, AGORA_HANDLE local_video_track);
  void (*on_video_track_unpublished)(AGORA_HANDLE, AGORA_HANDLE local_video_track);
  void (*on_video_track_publication_failure)(AGORA_HANDLE, AGORA_HANDLE local_video_track, int error);
  void (*on_local_video_track_state_changed)(AGORA_HANDLE, AGORA_HANDLE local_video_track, int state, int error);
  void (*on_local_video_track_statistics)(AGORA_HANDLE, AGORA_HANDLE local_video_track,
                                          const local_video_track_stats*);
  void (*on_user_video_track_subscribed)(AGORA_HANDLE, user_id_t, const video_track_info*,
                                         AGORA_HANDLE remote_video_track);
  void (*on_user_video_track_state_changed)(AGORA_HANDLE, user_id_t, AGORA_HANDLE remote_video_track,
                                            int state, int reason, int elapsed);
  void (*on_remote_video_track_statistics)(AGORA_HANDLE, AGORA_HANDLE remote_video_track,
                                           const remote_video_track_stats*);
  void (*on_audio_volume_indication)(AGORA_HANDLE, const audio_volume_info* speakers, unsigned int speaker_number,
                                     int total_volume);
  void (*on_active_speaker)(AGORA_HANDLE, user_id_t);
  void (*on_remote_video_stream_info_updated)(AGORA_HANDLE, const remote_video_stream_info*);
  void (*on_video_subscribe_state_changed)(AGORA_HANDLE, const char* channel, user_id_t, int old_state,
                                           int new_state, int elapse);
  void (*on_video_publish_state_changed)(AGORA_HANDLE, const char* channel, int old_state, int new_state,
                                         int elapse);
  void (*on_first_remote_video_frame)(AGORA_HANDLE, user_id_t, int width, int height, int elapsed);
  void (*on_first_remote_video_decoded)(AGORA_HANDLE, user_id_t, int width, int height, int elapsed);
  void (*on_first_remote_video_frame_rendered)(AGORA_HANDLE, user_id_t, int width, int height, int elapsed);
  void (*on_video_size_changed)(AGORA_HANDLE, user_id_t, int width, int height, int rotation);
  void (*on_user_info_updated)(AGORA_HANDLE, user_id_t, int msg, int val);
  void (*on_intra_request_received)(AGORA_HANDLE);
  void (*on_remote_subscribe_fallback_to_audio_only)(AGORA_HANDLE, user_id_t, int is_fallback_or_recover);
  void (*on_stream_message)(AGORA_HANDLE, user_id_t, int stream_id, const char* data, size_t length);
  void (*on_user_state_changed)(AGORA_HANDLE, user_id_t, uint32_t state);
  void (*on_audio_meta_data_received)(AGORA_HANDLE, user_id_t, const char* meta_data, size_t length);
} local_user_observer;

_Static_assert(sizeof(agora_service_config) == 56, "agora_service_config");
_Static_assert(sizeof(audio_subscription_options) == 20, "audio_subscription_options");
_Static_assert(sizeof(rtc_conn_config) == 64, "rtc_conn_config");
_Static_assert(sizeof(rtc_conn_info) == 40, "rtc_conn_info");
_Static_assert(sizeof(rtc_conn_observer) == 240, "rtc_conn_observer");
_Static_assert(sizeof(audio_frame_observer) == 80, "audio_frame_observer");
_Static_assert(sizeof(local_user_observer) == 296, "local_user_observer");
_Static_assert(sizeof(audio_frame) == 64, "audio_frame");
_Static_assert(sizeof(audio_params) == 16, "audio_params");
_Static_assert(sizeof(audio_volume_info) == 24, "audio_volume_info");
_Static_assert(sizeof(encryption_config) == 48, "encryption_config");
_Static_assert(sizeof(local_audio_stats) == 24, "local_audio_stats");
_Static_assert(sizeof(video_track_info) == 48, "video_track_info");
_Static_assert(sizeof(sender_options) == 12, "sender_options");
_Static_assert(sizeof(external_video_frame) == 184, "external_video_frame");
_Static_assert(offsetof(external_video_frame, timestamp) == 48, "timestamp offset");
_Static_assert(offsetof(external_video_frame, metadata_buffer) == 136, "metadata_buffer offset");
_Static_assert(offsetof(external_video_frame, alpha_buffer) == 152, "alpha_buffer offset");
_Static_assert(offsetof(external_video_frame, fill_alpha_buffer) == 160, "fill_alpha_buffer offset");
_Static_assert(offsetof(external_video_frame, alpha_mode) == 164, "alpha_mode offset");
_Static_assert(offsetof(external_video_frame, color_space) == 168, "color_space offset");
_Static_assert(sizeof(encoded_video_frame_info) == 56, "encoded_video_frame_info");
_Static_assert(offsetof(encoded_video_frame_info, capture_time_ms) == 32, "capture_time_ms offset");
_Static_assert(offsetof(encoded_video_frame_info, uid) == 48, "uid offset");
_Static_assert(sizeof(encoded_audio_frame_info) == 24, "encoded_audio_frame_info");
_Static_assert(sizeof(video_encoder_config) == 40, "video_encoder_config");
_Static_assert(offsetof(video_encoder_config, encode_alpha) == 36, "encode_alpha offset");
_Static_assert(sizeof(video_subscription_options) == 8, "video_subscription_options");
_Static_assert(sizeof(simulcast_stream_config) == 16, "simulcast_stream_config");
_Static_assert(sizeof(video_frame) == 184, "video_frame");
_Static_assert(offsetof(video_frame, render_time_ms) == 56, "render_time_ms offset");
_Static_assert(offsetof(video_frame, metadata_buffer) == 72, "video_frame metadata offset");
_Static_assert(offsetof(video_frame, matrix) == 100, "matrix offset");
_Static_assert(offsetof(video_frame, alpha_buffer) == 168, "video_frame alpha offset");
_Static_assert(offsetof(video_frame, alpha_mode) == 176, "video_frame alpha_mode offset");
_Static_assert(sizeof(local_video_track_stats) == 104, "local_video_track_stats");
_Static_assert(offsetof(local_video_track_stats, quality_adapt_indication) == 100, "quality_adapt_indication offset");
_Static_assert(sizeof(video_frame_observer2) == 8, "video_frame_observer2");
_Static_assert(sizeof(video_encoded_frame_observer) == 8, "video_encoded_frame_observer");
_Static_assert(offsetof(agora_service_config, app_id) == 24, "app_id offset");
_Static_assert(offsetof(rtc_conn_config, client_role_type) == 44, "client_role_type offset");
_Static_assert(offsetof(rtc_conn_info, internal_uid) == 32, "internal_uid offset");
_Static_assert(offsetof(audio_frame, buffer) == 24, "buffer offset");
_Static_assert(offsetof(audio_frame, pitch) == 60, "pitch offset");
_Static_assert(offsetof(local_user_observer, on_stream_message) == 34 * 8, "slot 34");
_Static_assert(offsetof(local_user_observer, on_audio_volume_indication) == 22 * 8, "slot 22");
_Static_assert(offsetof(audio_frame_observer, on_playback_audio_frame_before_mixing) == 4 * 8, "slot 4");

/* ---- §3 service ---- */
AGORA_API AGORA_HANDLE agora_service_create(void);
AGORA_API int agora_service_initialize(AGORA_HANDLE svc, const agora_service_config* cfg);
AGORA_API int agora_service_release(AGORA_HANDLE svc);
AGORA_API int agora_service_set_log_file(AGORA_HANDLE svc, const char* file_path, unsigned int file_size);
AGORA_API int agora_service_set_log_filter(AGORA_HANDLE svc, unsigned int filters);
AGORA_API AGORA_HANDLE agora_service_create_media_node_factory(AGORA_HANDLE svc);
AGORA_API void agora_media_node_factory_destroy(AGORA_HANDLE factory);
AGORA_API AGORA_HANDLE agora_service_get_agora_parameter(AGORA_HANDLE svc);
AGORA_API int agora_service_enable_extension(AGORA_HANDLE svc, const char* provider, const char* extension,
                                             const char* track_id, unsigned int auto_enable_on_track);
AGORA_API int agora_service_disable_extension(AGORA_HANDLE svc, const char* provider, const char* extension,
                                              const char* track_id);
AGORA_API int agora_service_load_extension_provider(AGORA_HANDLE svc, const char* path, unsigned int unload_after_use);
AGORA_API AGORA_HANDLE agora_service_create_custom_audio_track_pcm(AGORA_HANDLE svc, AGORA_HANDLE pcm_sender);
AGORA_API AGORA_HANDLE agora_rtc_conn_create(AGORA_HANDLE svc, const rtc_conn_config* cfg);

/* ---- §4 connection ---- */
AGORA_API void agora_rtc_conn_destroy(AGORA_HANDLE conn);
AGORA_API int agora_rtc_conn_connect(AGORA_HANDLE conn, const char* token, const char* channel_id, user_id_t user_id);
AGORA_API int agora_rtc_conn_disconnect(AGORA_HANDLE conn);
AGORA_API int agora_rtc_conn_renew_token(AGORA_HANDLE conn, const char* token);
AGORA_API AGORA_HANDLE agora_rtc_conn_get_local_user(AGORA_HANDLE conn);
AGORA_API AGORA_HANDLE agora_rtc_conn_get_agora_parameter(AGORA_HANDLE conn);
AGORA_API int agora_rtc_conn_register_observer(AGORA_HANDLE conn, rtc_conn_observer* observer);
AGORA_API int agora_rtc_conn_unregister_observer(AGORA_HANDLE conn);
AGORA_API int agora_rtc_conn_create_data_stream(AGORA_HANDLE conn, int* stream_id, int reliable, int ordered);
AGORA_API int agora_rtc_conn_send_stream_message(AGORA_HANDLE conn, int stream_id, const char* data, uint32_t length);
AGORA_API int agora_rtc_conn_enable_encryption(AGORA_HANDLE conn, int enabled, const encryption_config* config);
AGORA_API rtc_conn_info* agora_rtc_conn_get_conn_info(AGORA_HANDLE conn);
AGORA_API void agora_rtc_conn_destroy_conn_info(AGORA_HANDLE conn, rtc_conn_info* info);

/* ---- §5 local user ---- */
AGORA_API int agora_local_user_publish_audio(AGORA_HANDLE local_user, AGORA_HANDLE local_audio_track);
AGORA_API int agora_local_user_unpublish_audio(AGORA_HANDLE local_user, AGORA_HANDLE local_audio_track);
AGORA_API int agora_local_user_subscribe_audio(AGORA_HANDLE local_user, user_id_t user_id);
AGORA_API int agora_local_user_unsubscribe_audio(AGORA_HANDLE local_user, user_id_t user_id);
AGORA_API int agora_local_user_subscribe_all_audio(AGORA_HANDLE local_user);
AGORA_API int agora_local_user_unsubscribe_all_audio(AGORA_HANDLE local_user);
AGORA_API int agora_local_user_set_playback_audio_frame_before_mixing_parameters(AGORA_HANDLE local_user,
                                                                                 unsigned int channels,
                                                                                 unsigned int sample_rate_hz);
AGORA_API int agora_local_user_register_audio_frame_observer(AGORA_HANDLE local_user, audio_frame_observer* observer);
AGORA_API int agora_local_user_unregister_audio_frame_observer(AGORA_HANDLE local_user);
AGORA_API int agora_local_user_register_observer(AGORA_HANDLE local_user, local_user_observer* observer);
AGORA_API int agora_local_user_unregister_observer(AGORA_HANDLE local_user);
AGORA_API int agora_local_user_send_audio_meta_data(AGORA_HANDLE local_user, const char* meta_data, size_t length);
AGORA_API int agora_local_user_set_audio_volume_indication_parameters(AGORA_HANDLE local_user, int interval_in_ms,
                                                                      int smooth, bool report_vad);
AGORA_API int agora_local_user_set_audio_scenario(AGORA_HANDLE local_user, int scenario);
AGORA_API void agora_local_user_set_user_role(AGORA_HANDLE local_user, int role);
AGORA_API int agora_local_user_get_user_role(AGORA_HANDLE local_user);

/* ---- §6 audio sending ---- */
AGORA_API AGORA_HANDLE agora_media_node_factory_create_audio_pcm_data_sender(AGORA_HANDLE factory);
AGORA_API void agora_audio_pcm_data_sender_destroy(AGORA_HANDLE sender);
AGORA_API int agora_audio_pcm_data_sender_send(AGORA_HANDLE sender, const void* audio_data, uint32_t capture_timestamp,
                                               uint32_t samples_per_channel, uint32_t bytes_per_sample,
                                               uint32_t number_of_channels, uint32_t sample_rate);
AGORA_API void agora_local_audio_track_set_enabled(AGORA_HANDLE track, int enable);
AGORA_API int agora_local_audio_track_is_enabled(AGORA_HANDLE track);
AGORA_API int agora_local_audio_track_get_state(AGORA_HANDLE track);
AGORA_API int agora_local_audio_track_adjust_publish_volume(AGORA_HANDLE track, int volume);
AGORA_API int agora_local_audio_track_get_publish_volume(AGORA_HANDLE track, int* volume);
AGORA_API void agora_local_audio_track_set_max_bufferd_frame_number(AGORA_HANDLE track, int number);
AGORA_API void agora_local_audio_track_set_send_delay_ms(AGORA_HANDLE track, int delay_ms);
AGORA_API int agora_local_audio_track_clear_sender_buffer(AGORA_HANDLE track);
AGORA_API void agora_local_audio_track_destroy(AGORA_HANDLE track);

/* ---- §6.3 parameters ---- */
AGORA_API int agora_parameter_set_int(AGORA_HANDLE p, const char* key, int value);
AGORA_API int agora_parameter_set_bool(AGORA_HANDLE p, const char* key, bool value);
AGORA_API int agora_parameter_set_string(AGORA_HANDLE p, const char* key, const char* value);
AGORA_API int agora_parameter_set_parameters(AGORA_HANDLE p, const char* json);
AGORA_API int agora_parameter_get_int(AGORA_HANDLE p, const char* key, int* value);

/* ---- video and encoded media (agora-c-abi-video.md §2-§5) ---- */
AGORA_API AGORA_HANDLE agora_media_node_factory_create_video_frame_sender(AGORA_HANDLE factory);
AGORA_API AGORA_HANDLE agora_media_node_factory_create_video_encoded_image_sender(AGORA_HANDLE factory);
AGORA_API AGORA_HANDLE agora_media_node_factory_create_audio_encoded_frame_sender(AGORA_HANDLE factory);
AGORA_API AGORA_HANDLE agora_service_create_custom_video_track_frame(AGORA_HANDLE svc, AGORA_HANDLE video_frame_sender);
AGORA_API AGORA_HANDLE agora_service_create_custom_video_track_encoded(AGORA_HANDLE svc, AGORA_HANDLE sender,
                                                                      sender_options* options);
AGORA_API AGORA_HANDLE agora_service_create_custom_audio_track_encoded(AGORA_HANDLE svc, AGORA_HANDLE sender,
                                                                      int mix_mode);
AGORA_API void agora_video_frame_sender_destroy(AGORA_HANDLE sender);
AGORA_API void agora_video_encoded_image_sender_destroy(AGORA_HANDLE sender);
AGORA_API void agora_audio_encoded_frame_sender_destroy(AGORA_HANDLE sender);
AGORA_API void agora_local_video_track_destroy(AGORA_HANDLE track);
AGORA_API int agora_video_frame_sender_send(AGORA_HANDLE sender, const external_video_frame* frame);
AGORA_API int agora_video_encoded_image_sender_send(AGORA_HANDLE sender, const uint8_t* image_buffer, uint32_t length,
                                                    const encoded_video_frame_info* info);
AGORA_API int agora_audio_encoded_frame_sender_send(AGORA_HANDLE sender, const uint8_t* payload, uint32_t size,
                                                    const encoded_audio_frame_info* info);
AGORA_API int agora_local_video_track_set_video_encoder_config(AGORA_HANDLE track, const video_encoder_config* config);
AGORA_API void agora_local_video_track_set_enabled(AGORA_HANDLE track, int enable);
AGORA_API int agora_local_video_track_enable_simulcast_stream(AGORA_HANDLE track, int enabled,
                                                              const simulcast_stream_config* config);
AGORA_API int agora_local_video_track_get_state(AGORA_HANDLE track);
AGORA_API local_video_track_stats* agora_local_video_track_get_statistics(AGORA_HANDLE track);
AGORA_API void agora_local_video_track_destroy_statistics(AGORA_HANDLE track, local_video_track_stats* stats);
AGORA_API int agora_local_user_publish_video(AGORA_HANDLE local_user, AGORA_HANDLE local_video_track);
AGORA_API int agora_local_user_unpublish_video(AGORA_HANDLE local_user, AGORA_HANDLE local_video_track);
AGORA_API int agora_local_user_subscribe_video(AGORA_HANDLE local_user, user_id_t user_id,
                                               const video_subscription_options* options);
AGORA_API int agora_local_user_subscribe_all_video(AGORA_HANDLE local_user, const video_subscription_options* options);
AGORA_API int agora_local_user_unsubscribe_video(AGORA_HANDLE local_user, user_id_t user_id);
AGORA_API int agora_local_user_unsubscribe_all_video(AGORA_HANDLE local_user);
AGORA_API AGORA_HANDLE agora_video_frame_observer2_create(video_frame_observer2* observer);
AGORA_API void agora_video_frame_observer2_destroy(AGORA_HANDLE observer);
AGORA_API int agora_local_user_register_video_frame_observer(AGORA_HANDLE local_user, AGORA_HANDLE observer);
AGORA_API int agora_local_user_unregister_video_frame_observer(AGORA_HANDLE local_user, AGORA_HANDLE observer);
AGORA_API AGORA_HANDLE agora_video_encoded_frame_observer_create(video_encoded_frame_observer* observer);
AGORA_API void agora_video_encoded_frame_observer_destroy(AGORA_HANDLE observer);
AGORA_API int agora_local_user_register_video_encoded_frame_observer(AGORA_HANDLE local_user, AGORA_HANDLE observer);
AGORA_API int agora_local_user_unregister_video_encoded_frame_observer(AGORA_HANDLE local_user, AGORA_HANDLE observer);

#ifdef __cplusplus
}
#endif
#endif
