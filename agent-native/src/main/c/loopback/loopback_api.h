/* Test/introspection API of the loopback library (not part of Agora's ABI); see README.md. */
#ifndef LOOPBACK_API_H
#define LOOPBACK_API_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LB_API __attribute__((visibility("default")))

/* Kinds for loopback_live_handles_of_kind. */
enum { LB_KIND_SERVICE = 0, LB_KIND_FACTORY = 1, LB_KIND_CONNECTION = 2, LB_KIND_PCM_SENDER = 3,
       LB_KIND_LOCAL_AUDIO_TRACK = 4, LB_KIND_OBSERVER = 5, LB_KIND_CONN_INFO = 6,
       LB_KIND_MEDIA_SENDER = 7,        /* video frame, encoded image and encoded audio senders */
       LB_KIND_LOCAL_VIDEO_TRACK = 8, LB_KIND_VIDEO_OBSERVER = 9 /* created, not yet destroyed */,
       LB_KIND_STATS = 10 /* statistics blocks not yet destroyed */, LB_KIND_COUNT = 11 };

LB_API int loopback_is_loopback(void);
LB_API const char* loopback_version(void);
LB_API int loopback_live_handles(void);
LB_API int loopback_live_handles_of_kind(int kind);
LB_API int loopback_order_violations(void);
LB_API long long loopback_track_frames_sent(void* track);
LB_API long long loopback_track_frames_queued(void* track);
LB_API long long loopback_track_frames_cleared(void* track);
LB_API long long loopback_conn_frames_received(void* conn);
LB_API long long loopback_conn_frames_delivered(void* conn);
LB_API long long loopback_conn_underruns(void* conn);
LB_API long long loopback_conn_frames_lost(void* conn);
/* The receiver's adaptive jitter buffer for remote user uid: frames it holds before a talk spurt
   plays (its target depth), and frames queued in it now; -1 when conn or uid is unknown. */
LB_API int loopback_conn_jitter_target(void* conn, const char* uid);
/* Sets the share of conn's outgoing audio frames the network loses, from now on (0-100; -1 for a bad
   handle or percent); loopback_set_faults sets it only for connections that connect later. */
LB_API int loopback_conn_set_loss(void* conn, int percent);
LB_API int loopback_conn_jitter_queued(void* conn, const char* uid);
/* Recorded values as text, e.g. "conn.token" and "conn.token_null" (1 if the last connect's token
   pointer was NULL, 0 if it was a string, "" included); see README.md. */
LB_API int loopback_get_recorded(void* handle, const char* key, char* buf, int buf_len);
LB_API int loopback_set_faults(int loss_percent, int delay_ms, int disconnect_after_ms, int require_token);
LB_API size_t loopback_sizeof(const char* struct_name);
/* Video: frames a local video track accepted (raw or encoded), frames a connection received from the
   channel, handed to its video observers, and dropped because a receiver fell behind. */
LB_API long long loopback_video_track_frames_sent(void* video_track);
LB_API long long loopback_conn_video_frames_received(void* conn);
LB_API long long loopback_conn_video_frames_delivered(void* conn);
LB_API long long loopback_conn_video_frames_dropped(void* conn);
LB_API long long loopback_conn_encoded_video_frames_delivered(void* conn);
/* Data-stream limits for connections that connect from now on: packets per second per stream and
   bytes per second per connection; 0 = unlimited, -1 = back to the environment / defaults (60, 30720). */
LB_API int loopback_set_stream_limits(int packets_per_sec, int bytes_per_sec);
/* Data-stream sends refused by the rate limits (-12) and by the byte limit (-115). */
LB_API long long loopback_conn_stream_rejected(void* conn);

#ifdef __cplusplus
}
#endif
#endif
