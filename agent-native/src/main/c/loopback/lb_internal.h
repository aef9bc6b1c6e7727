/* Internal types shared by the loopback library's source files. Not installed, not exported. */
#ifndef LB_INTERNAL_H
#define LB_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/un.h>
#include "agora_c_abi.h"
#include "loopback_api.h"

#define LB_MAX_WORKERS 16
#define LB_JB_CAP 64            /* jitter buffer frames per remote user (640 ms) */
#define LB_MAX_STREAMS 5
#define LB_MAX_MSG 1024
#define LB_MAX_UID 255
#define LB_MAX_CHANNEL 64
#define LB_PATH_MAX 108         /* sizeof(sun_path) */

#define LB_VQ_CAP 4             /* video frames queued per remote user; a receiver that falls behind drops the oldest */
#define LB_MAX_VIDEO_DIM 4096
#define LB_MAX_VMETA 1024       /* video frame metadata bytes */
#define LB_MAX_VOBS 4           /* video observers of each kind per local user */
#define LB_MAX_ENCODED_BYTES (4 << 20)
#define LB_MAX_AUDIO_ENCODED_BYTES 8192
#define LB_DS_RING 256          /* data-stream send times remembered per stream (caps packets/s) */
#define LB_DS_BYTES_RING 1024   /* (time, bytes) of a connection's recent data-stream sends */

/* Handle kinds; the first five match loopback_live_handles_of_kind, the rest are counted under the
   LB_KIND_* values of loopback_api.h or not at all. */
enum lb_kind { K_SERVICE = 0, K_FACTORY = 1, K_CONN = 2, K_SENDER = 3, K_TRACK = 4,
               K_USER = 10, K_PARAM = 11, K_REMOTE_TRACK = 12,
               K_VFSENDER = 20, K_VESENDER = 21, K_AESENDER = 22, K_VTRACK = 23, K_VOBS = 24, K_VEOBS = 25,
               K_REMOTE_VTRACK = 26 };

typedef struct lb_hdr { uint32_t magic; int kind; } lb_hdr;

/* ---- registry / accounting (lb_registry.c) ---- */
void lb_reg_add(void* h, int kind);
void lb_reg_del(void* h);
int lb_reg_is(const void* h, int kind);
void lb_live_add(int kind, int delta);
int lb_live_get(int kind);
void lb_violation(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
int64_t lb_now_ms(void);
uint64_t lb_fnv1a64(const void* data, size_t len, uint64_t h);
void lb_param_record(const char* key, const char* value);
int lb_param_lookup(const char* key, char* buf, size_t len);
void lb_param_clear(void);
int lb_write_text(char* buf, int buf_len, const char* text);

/* ---- audio frames (refcounted, immutable once transmitted) ---- */
typedef struct lb_frame {
  atomic_int refs;
  uint32_t seq;
  int rate, channels, samples;    /* samples per channel */
  int more_follows;
  int spurt_start;                /* first frame after the sender cleared its buffer (RTP's marker bit) */
  int16_t pcm[];
} lb_frame;

lb_frame* lb_frame_new(int rate, int channels, int samples);
void lb_frame_ref(lb_frame* f);
void lb_frame_unref(lb_frame* f);

/* ---- video frames (refcounted, immutable once transmitted) ---- */
typedef struct lb_vframe {
  atomic_int refs;
  int encoded;                    /* 0: I420 planes (+ an alpha plane), 1: one encoded access unit */
  int width, height, rotation, alpha_mode, has_alpha;
  int64_t timestamp_ms;
  encoded_video_frame_info info;  /* encoded frames only */
  int metadata_len;
  size_t image_len;               /* I420 bytes + alpha plane, or the payload */
  uint8_t data[];                 /* image, then metadata */
} lb_vframe;

lb_vframe* lb_vframe_new(size_t image_len, int metadata_len);
void lb_vframe_ref(lb_vframe* f);
void lb_vframe_unref(lb_vframe* f);

/* ---- resampler / levels (lb_audio.c) ---- */
typedef struct lb_resampler {
  int src_rate, src_ch, dst_rate, dst_ch;
  int16_t last[2];                /* previous frame's last sample per (destination) channel */
  int primed;
} lb_resampler;

int lb_convert(lb_resampler* rs, const lb_frame* in, int dst_rate, int dst_ch, int16_t* out);
double lb_rms(const int16_t* pcm, int n);
int lb_rms_to_label(double rms);
int lb_rms_to_volume(double rms);
void lb_apply_gain(int16_t* pcm, int n, int volume_percent);

/* ---- service-level objects (lb_service.c) ---- */
typedef struct lb_service {
  lb_hdr hdr;
  int initialized;
  agora_service_config cfg;
  char* app_id;
  char* log_file;
  unsigned int log_size, log_filter;
  int log_file_set, log_filter_set;
  char extensions[1024];
  lb_hdr param;                   /* the service's parameter handle */
} lb_service;

typedef struct lb_track lb_track;
typedef struct lb_conn lb_conn;

typedef struct lb_sender {
  lb_hdr hdr;
  lb_track* track;                /* guarded by g_lb.lock */
} lb_sender;

/* Video frame, encoded image and encoded audio senders (K_VFSENDER, K_VESENDER, K_AESENDER). */
typedef struct lb_msender {
  lb_hdr hdr;
  void* track;                    /* lb_vtrack* or (encoded audio) lb_track*; guarded by g_lb.lock */
} lb_msender;

/* A local video track fed by a frame sender (raw) or an encoded image sender. */
typedef struct lb_vtrack {
  lb_hdr hdr;
  int encoded;
  lb_msender* sender;             /* guarded by g_lb.lock */
  pthread_mutex_t mu;
  /* guarded by mu: */
  int enabled;
  video_encoder_config enc;
  int enc_set;
  sender_options opts;
  int simulcast;
  simulcast_stream_config sim;
  long long frames, bytes, rejected, alpha_ignored, key_frames;
  int last_w, last_h, last_format, last_rotation, last_alpha, last_meta, last_codec, last_frame_type;
  color_space_type last_cs;
  int64_t last_ts, fps_window_ms;
  int fps_window_frames, input_fps;
  /* guarded by g_lb.pub_lock: */
  lb_conn** pubs;
  int npubs, pubs_cap;
} lb_vtrack;

/* A video frame observer or encoded video frame observer handle (K_VOBS, K_VEOBS). */
typedef struct lb_vobs {
  lb_hdr hdr;
  video_frame_observer2 raw;
  video_encoded_frame_observer enc;
  lb_conn* registered;            /* guarded by lb_conn.c's vobs_lock */
} lb_vobs;

struct lb_track {
  lb_hdr hdr;
  uint64_t serial;
  int shard, shard_idx;           /* guarded by the shard's lock */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int holds;                      /* worker/sender references; guarded by mu */
  /* guarded by mu: */
  lb_sender* sender;
  int enabled, send_delay_ms, max_frames, publish_volume;
  lb_frame** ring;
  int ring_cap, head, count;
  uint32_t next_seq;
  long long sent, cleared;
  int spurt_next;                 /* the next frame sent starts a talk spurt (set by a clear) */
  /* encoded audio tracks only (guarded by mu): */
  int encoded, mix_mode;
  lb_msender* esender;            /* guarded by g_lb.lock */
  long long enc_bytes, enc_samples;
  encoded_audio_frame_info enc_last;
  /* guarded by g_lb.pub_lock: */
  lb_conn** pubs;
  int npubs, pubs_cap;
};

/* ---- connection (lb_conn.c) ---- */
enum lb_ev_type { EV_CONNECTING, EV_CONNECTED, EV_DISCONNECTED, EV_FAILURE, EV_LOST, EV_USER_JOINED, EV_USER_LEFT,
                  EV_STREAM_MSG, EV_METADATA, EV_PUBLISHED, EV_UNPUBLISHED, EV_VPUBLISHED, EV_VUNPUBLISHED };

typedef struct lb_event {
  struct lb_event* next;
  int type;
  int a, b;                       /* reason / stream id / state */
  int64_t ready_ms;
  uint64_t seq;
  void* ptr;                      /* track handle for publish events */
  char* uid;
  size_t len;
  char data[];
} lb_event;

typedef struct lb_remote_track { lb_hdr hdr; struct lb_remote_track* next; } lb_remote_track;

typedef struct lb_jb_entry { lb_frame* f; int64_t ready_ms; } lb_jb_entry;

typedef struct lb_remote {
  struct lb_remote* next;
  char uid[LB_MAX_UID + 1];
  char path[LB_PATH_MAX];         /* "" for a peer in this process */
  int publishing, subscribed, sub_fired, playing, last_more;
  int jb_target;                  /* frames to hold before a talk spurt plays (adaptive, LB_JB_MIN..LB_JB_MAX) */
  int jb_clean;                   /* frames played since the last underrun (drives shrinking) */
  int64_t starved_ms;             /* when the buffer last ran dry mid-spurt; 0 = not starved */
  lb_jb_entry q[LB_JB_CAP];
  int qh, qn;
  uint32_t last_seq;
  int have_seq;
  lb_resampler rs;
  int vol_max, vol_played;
  lb_remote_track* track;
  /* video */
  int vpublishing, vsubscribed, vsub_fired, vencoded_only;
  lb_vframe* vq[LB_VQ_CAP];
  int vqh, vqn;
  lb_remote_track* vtrack;
} lb_remote;

typedef struct lb_strlist { char** v; int n, cap; } lb_strlist;

typedef struct lb_channel lb_channel;
typedef struct lb_sock lb_sock;

typedef struct lb_user { lb_hdr hdr; lb_conn* conn; } lb_user;

struct lb_conn {
  lb_hdr hdr;
  uint64_t serial;
  int shard, shard_idx;           /* guarded by the shard's lock */
  lb_user user;
  lb_hdr param;
  rtc_conn_config cfg;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  /* guarded by mu: */
  int holds;                      /* worker references that keep the struct alive */
  int dead;
  int state;
  char *token, *channel, *user_id;
  int token_null;                 /* the last connect's token pointer was NULL (not "") */
  lb_channel* chan;               /* non-NULL while joined */
  char folder[LB_PATH_MAX];
  char sock_path[LB_PATH_MAX];
  lb_sock* sock;
  int has_co, has_uo, has_fo;
  rtc_conn_observer co;
  local_user_observer uo;
  audio_frame_observer fo;
  int cb_running;
  pthread_t cb_thread;
  lb_event *ev_head, *ev_tail;
  uint64_t ev_pushed, ev_done;
  lb_remote* remotes;
  lb_remote_track* dead_tracks;   /* handed to the app; freed with the connection */
  int sub_all;
  lb_strlist sub, unsub;
  int pb_channels, pb_rate, audio_scenario, user_role;
  int vol_interval, vol_smooth, vol_vad;
  int64_t vol_next_ms;
  int nstreams, encryption;
  int loss, delay_ms, disconnect_after_ms, require_token;
  int64_t drop_at_ms;
  uint64_t rng;
  int publishing;                 /* number of published audio tracks */
  /* video (guarded by mu): */
  int vpublishing;                /* number of published video tracks */
  int vsub_all, vsub_all_encoded;
  lb_strlist vsub, vunsub, vsub_encoded;
  int nvobs, nveobs;
  lb_vobs* vobs[LB_MAX_VOBS];
  lb_vobs* veobs[LB_MAX_VOBS];
  /* data-stream rate limits (guarded by mu): packets/s per stream, bytes/s per connection; 0 = off */
  int ds_pps, ds_bps;
  int64_t ds_pkt_ms[LB_MAX_STREAMS][LB_DS_RING];
  int ds_pkt_head[LB_MAX_STREAMS], ds_pkt_n[LB_MAX_STREAMS];
  struct { int64_t ms; int bytes; } ds_sent[LB_DS_BYTES_RING];
  int ds_sent_head, ds_sent_n;
  long long ds_rejected_rate, ds_rejected_bytes;
  /* counters: */
  atomic_llong received, delivered, underruns, lost;
  atomic_llong vreceived, vdelivered, vdropped, edelivered, vlost;
  /* guarded by g_lb.pub_lock: */
  lb_track** pubs;
  int npubs, pubs_cap;
  lb_vtrack** vpubs;
  int nvpubs, vpubs_cap;
};

/* ---- process-wide state ---- */
typedef struct lb_worker {
  pthread_t thread;
  int index;
  struct timespec first_tick;     /* set before the thread starts: the workers' phases are spread */
  pthread_mutex_t lock;
  lb_conn** conns; int nconns, conns_cap;
  lb_track** tracks; int ntracks, tracks_cap;
  /* worker-private scratch, reused each tick */
  lb_conn** snap_c; int snap_c_cap;
  lb_track** snap_t; int snap_t_cap;
} lb_worker;

typedef struct lb_global {
  pthread_mutex_t lock;           /* service, senders, channels table, parameters */
  pthread_mutex_t pub_lock;       /* track <-> connection publication links */
  lb_service* service;            /* the initialized service, if any */
  lb_channel* channels;
  int running;
  atomic_int stop;
  int nworkers;
  lb_worker workers[LB_MAX_WORKERS];
  atomic_ullong next_serial;
  int fault_loss, fault_delay, fault_disconnect, fault_token;
  int limit_pps, limit_bps;       /* data-stream limits set by loopback_set_stream_limits; -1 = environment */
} lb_global;

extern lb_global g_lb;

/* lb_worker.c */
int lb_runtime_start(void);
void lb_runtime_stop(void);
void lb_shard_add_conn(lb_conn* c);
void lb_shard_del_conn(lb_conn* c);
void lb_shard_add_track(lb_track* t);
void lb_shard_del_track(lb_track* t);

/* lb_conn.c (used by worker / transport) */
void lb_conn_tick(lb_conn* c, int64_t now);
void lb_conn_hold(lb_conn* c);
int lb_conn_release(lb_conn* c);   /* returns 1 when the caller must free it */
void lb_conn_free(lb_conn* c);
void lb_conn_broadcast_audio(lb_conn* c, lb_frame* f);
void lb_track_tick(lb_track* t);
void lb_conn_thread_cleanup(void);
int lb_conn_pub_flags(lb_conn* c);   /* c->mu held: bit 0 audio published, bit 1 video published */
void lb_conn_broadcast_video(lb_conn* c, lb_vframe* f);
/* Calls send(c, arg) for each connection of a track's publication list (*pubs, *npubs: read under
   g_lb.pub_lock), each held for the call, with no lock held. */
void lb_each_publisher(lb_conn** const* pubs, const int* npubs, void (*send)(lb_conn*, void*), void* arg);
int lb_conn_register_vobs(lb_conn* c, lb_vobs* o);
int lb_conn_unregister_vobs(lb_conn* c, lb_vobs* o);
lb_conn* lb_vobs_registered_hold(lb_vobs* o);   /* the connection o is registered on, held, or NULL */
void lb_conn_video_subscription(lb_conn* c, const char* uid, int op, int encoded_only);
int lb_conn_ds_admit(lb_conn* c, int stream_id, uint32_t length);   /* c->mu held: 0 or -ERR_* */
int lb_conn_recorded(void* h, const char* key, char* buf, int buf_len);
int lb_vtrack_recorded(void* h, const char* key, char* out, size_t len);
int lb_encoded_audio_recorded(lb_track* t, const char* key, char* out, size_t len);

#define LB_DEAD_WAITED 1     /* destroy() waits for holders, then frees */
#define LB_DEAD_DEFERRED 2   /* destroy() ran inside a callback: the last holder frees */

/* lb_conn.c helpers for the API functions in lb_conn_api.c */
enum { OBS_CONN = 1, OBS_USER = 2, OBS_FRAME = 4 };
typedef struct lb_peer_msg lb_peer_msg;
uint64_t lb_conn_ev_push(lb_conn* c, int type, int a, const char* data, size_t len, void* ptr);  /* c->mu held */
void lb_conn_purge_events(lb_conn* c);                                                           /* c->mu held */
void lb_conn_unregister(lb_conn* c, int which);
void lb_conn_wait_event(lb_conn* c, uint64_t seq);
int lb_in_callback(void);
void lb_conn_send_msg(lb_conn* c, lb_peer_msg* m);
void lb_conn_subscription(lb_conn* c, const char* uid, int op);
rtc_conn_info* lb_conn_info_new(lb_conn* c, int state);
void lb_conn_info_free(rtc_conn_info* info);

/* lb_channel.c: membership and delivery, both paths */
struct lb_peer_msg {
  int kind;                       /* WIRE_* */
  const char* uid;
  const char* path;               /* sender's socket path ("" in process) */
  int flag;                       /* publishing / more_follows / reason */
  int stream_id;
  const void* data;
  size_t len;
  lb_frame* frame;
  lb_vframe* vframe;
};

/* JOIN/HELLO flag bits: what the sender publishes. */
#define LB_PUB_AUDIO 1
#define LB_PUB_VIDEO 2

enum { WIRE_JOIN = 1, WIRE_HELLO, WIRE_LEAVE, WIRE_PUBLISH, WIRE_UNPUBLISH, WIRE_AUDIO, WIRE_STREAM, WIRE_METADATA,
       WIRE_VPUBLISH, WIRE_VUNPUBLISH, WIRE_VIDEO, WIRE_VFRAG };

int lb_channel_join(lb_conn* c, const char* app_id);
void lb_channel_leave(lb_conn* c, int reason);
void lb_channel_send(lb_conn* c, const lb_peer_msg* m);
void lb_conn_on_peer_msg(lb_conn* c, const lb_peer_msg* m);   /* locks c->mu */
void lb_remote_free_all(lb_conn* c);

/* lb_transport.c */
int lb_io_start(void);
void lb_io_stop(void);
lb_sock* lb_sock_open(lb_conn* c, const char* path);
void lb_sock_close(lb_sock* s);
int lb_wire_send(const char* path, const lb_peer_msg* m, int retry);  /* 0, or -errno */
void lb_scan_and_join(lb_conn* c, const char* folder, const char* own_path, int publishing);

#endif
