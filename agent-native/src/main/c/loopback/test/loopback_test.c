/*
 * Self-test of the loopback library through its exported C ABI only.
 * Usage: loopback_test [--no-fork]   (--no-fork skips the cross-process case, e.g. under valgrind)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "agora_c_abi.h"
#include "loopback_api.h"

static int failures;
#define CHECK(cond) do { if (!(cond)) { failures++; fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (a), b_ = (b); if (a_ != b_) { failures++; \
    fprintf(stderr, "FAIL %s:%d: %s == %lld, expected %lld\n", __FILE__, __LINE__, #a, a_, b_); } } while (0)

static void sleep_ms(int ms) { struct timespec t = { ms / 1000, (ms % 1000) * 1000000L }; nanosleep(&t, NULL); }

/* ---- recording observers ---- */
#define MAX_PCM (1 << 20)
typedef struct rec {
  void *conn, *user;
  pthread_mutex_t mu;
  char events[8192];              /* "name(arg);" log of connection/user events */
  unsigned char* pcm;             /* concatenated before-mixing frames */
  size_t pcm_len;
  int frames, last_samples, last_channels, last_rate, last_rms, subscribed;
  void* remote_track;
  char msgs[4096];                /* "uid:stream:text;" */
  int disconnected;
  int volume_calls, last_total_volume;
} rec;

static rec* recs[16];
static int nrecs;
static pthread_mutex_t recs_mu = PTHREAD_MUTEX_INITIALIZER;

static rec* rec_of(void* h) {
  pthread_mutex_lock(&recs_mu);
  rec* r = NULL;
  for (int i = 0; i < nrecs; i++) if (recs[i]->conn == h || recs[i]->user == h) r = recs[i];
  pthread_mutex_unlock(&recs_mu);
  if (!r) { fprintf(stderr, "callback for unknown handle %p\n", h); abort(); }
  return r;
}

static void logf_(rec* r, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(rec* r, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pthread_mutex_lock(&r->mu);
  size_t n = strlen(r->events);
  vsnprintf(r->events + n, sizeof r->events - n, fmt, ap);
  pthread_mutex_unlock(&r->mu);
  va_end(ap);
}

static void on_connecting(void* c, const rtc_conn_info* i, int reason) { logf_(rec_of(c), "connecting(%d,%d);", i->state, reason); }
static void on_connected(void* c, const rtc_conn_info* i, int reason) {
  rec* r = rec_of(c);
  CHECK(i->channel_id && i->local_user_id && strlen(i->local_user_id) > 0);
  logf_(r, "connected(%d,%d);", i->state, reason);
}
static void on_disconnected(void* c, const rtc_conn_info* i, int reason) {
  rec* r = rec_of(c);
  logf_(r, "disconnected(%d,%d);", i->state, reason);
  pthread_mutex_lock(&r->mu); r->disconnected = 1; pthread_mutex_unlock(&r->mu);
}
static void on_failure(void* c, const rtc_conn_info* i, int reason) { logf_(rec_of(c), "failure(%d,%d);", i->state, reason); }
static void on_lost(void* c, const rtc_conn_info* i) { logf_(rec_of(c), "lost(%d);", i->state); }
static void on_user_joined(void* c, user_id_t uid) { logf_(rec_of(c), "joined(%s);", uid); }
static void on_user_left(void* c, user_id_t uid, int reason) { logf_(rec_of(c), "left(%s,%d);", uid, reason); }

static void on_publish_success(void* u, void* track) { (void)track; logf_(rec_of(u), "published;"); }
static void on_vpublish_success(void* u, void* track) { (void)track; logf_(rec_of(u), "vpublished;"); }
static void on_vunpublished(void* u, void* track) { (void)track; logf_(rec_of(u), "vunpublished;"); }
static void on_vsubscribed(void* u, user_id_t uid, const video_track_info* info, void* track) {
  CHECK(info != NULL && track != NULL && info->is_local == 0);
  logf_(rec_of(u), "vsubscribed(%s,%d);", uid, info->encoded_frame_only);
}
static void on_first_video(void* u, user_id_t uid, int w, int h, int elapsed) {
  (void)elapsed;
  logf_(rec_of(u), "first_video(%s,%dx%d);", uid, w, h);
}
static void on_subscribed(void* u, user_id_t uid, void* track) {
  rec* r = rec_of(u);
  pthread_mutex_lock(&r->mu); r->subscribed++; r->remote_track = track; pthread_mutex_unlock(&r->mu);
  logf_(r, "subscribed(%s);", uid);
}
static void on_stream_message(void* u, user_id_t uid, int sid, const char* data, size_t len) {
  rec* r = rec_of(u);
  pthread_mutex_lock(&r->mu);
  size_t n = strlen(r->msgs);
  snprintf(r->msgs + n, sizeof r->msgs - n, "%s:%d:%.*s;", uid, sid, (int)len, data);
  pthread_mutex_unlock(&r->mu);
}
static void on_metadata(void* u, user_id_t uid, const char* data, size_t len) {
  logf_(rec_of(u), "meta(%s,%.*s);", uid, (int)len, data);
}
static void on_volume(void* u, const audio_volume_info* v, unsigned int n, int total) {
  rec* r = rec_of(u);
  CHECK(n >= 1 && v[0].user_id != NULL);
  pthread_mutex_lock(&r->mu); r->volume_calls++; r->last_total_volume = total; pthread_mutex_unlock(&r->mu);
}
static int on_before_mixing(void* u, const char* channel, user_id_t uid, const audio_frame* f) {
  (void)channel; (void)uid;
  rec* r = rec_of(u);
  size_t bytes = (size_t)f->samples_per_channel * f->channels * f->bytes_per_sample;
  pthread_mutex_lock(&r->mu);
  if (r->pcm_len + bytes <= MAX_PCM) { memcpy(r->pcm + r->pcm_len, f->buffer, bytes); r->pcm_len += bytes; }
  r->frames++;
  r->last_samples = f->samples_per_channel; r->last_channels = f->channels; r->last_rate = f->samples_per_sec;
  r->last_rms = f->rms;
  pthread_mutex_unlock(&r->mu);
  return 1;
}

static rtc_conn_observer conn_obs = {
  .on_connected = on_connected, .on_disconnected = on_disconnected, .on_connecting = on_connecting,
  .on_connection_lost = on_lost, .on_connection_failure = on_failure, .on_user_joined = on_user_joined,
  .on_user_left = on_user_left,
};
static local_user_observer user_obs = {
  .on_audio_track_publish_success = on_publish_success, .on_user_audio_track_subscribed = on_subscribed,
  .on_stream_message = on_stream_message, .on_audio_meta_data_received = on_metadata,
  .on_audio_volume_indication = on_volume, .on_video_track_publish_success = on_vpublish_success,
  .on_video_track_unpublished = on_vunpublished, .on_user_video_track_subscribed = on_vsubscribed,
  .on_first_remote_video_frame = on_first_video,
};

/* ---- video observers: one recorder per observer handle ---- */
typedef struct vrec {
  void* handle;
  pthread_mutex_t mu;
  int frames, w, h, ys, us, vs, rotation, meta_len, has_alpha;
  char uid[64];
  unsigned char y0, u0, v0, a0;   /* first sample of each plane of the last frame */
  unsigned char* last;            /* the last frame's planes, tightly packed I420 */
  size_t last_len;
  char meta[64];
  int encoded_frames;
  unsigned char enc[256];
  size_t enc_len;
  encoded_video_frame_info enc_info;
} vrec;

static vrec vrecs[4];
static int nvrecs;

static vrec* vrec_of(void* h) {
  /* newest first: a destroyed observer's address may be handed out again */
  for (int i = nvrecs - 1; i >= 0; i--) if (vrecs[i].handle == h) return &vrecs[i];
  fprintf(stderr, "video callback for unknown observer %p\n", h);
  abort();
}

static void on_video_frame(void* obs, const char* channel, user_id_t uid, const video_frame* f) {
  (void)channel;
  vrec* r = vrec_of(obs);
  size_t ysz = (size_t)f->y_stride * f->height, csz = (size_t)f->u_stride * f->height / 2;
  pthread_mutex_lock(&r->mu);
  r->frames++;
  r->w = f->width; r->h = f->height; r->ys = f->y_stride; r->us = f->u_stride; r->vs = f->v_stride;
  r->rotation = f->rotation;
  snprintf(r->uid, sizeof r->uid, "%s", uid);
  r->y0 = f->y_buffer[0]; r->u0 = f->u_buffer[0]; r->v0 = f->v_buffer[0];
  r->has_alpha = f->alpha_buffer != NULL;
  if (f->alpha_buffer) r->a0 = f->alpha_buffer[0];
  free(r->last);
  r->last_len = ysz + 2 * csz;
  r->last = malloc(r->last_len);
  memcpy(r->last, f->y_buffer, ysz);
  memcpy(r->last + ysz, f->u_buffer, csz);
  memcpy(r->last + ysz + csz, f->v_buffer, csz);
  r->meta_len = f->metadata_size;
  if (f->metadata_size > 0) snprintf(r->meta, sizeof r->meta, "%.*s", f->metadata_size, (const char*)f->metadata_buffer);
  pthread_mutex_unlock(&r->mu);
}

static int on_encoded_frame(void* obs, uid_t_agora uid, const uint8_t* buf, size_t len, const encoded_video_frame_info* i) {
  (void)uid;
  vrec* r = vrec_of(obs);
  pthread_mutex_lock(&r->mu);
  r->encoded_frames++;
  r->enc_len = len < sizeof r->enc ? len : sizeof r->enc;
  memcpy(r->enc, buf, r->enc_len);
  r->enc_info = *i;
  pthread_mutex_unlock(&r->mu);
  return 1;
}

static vrec* vrec_new(int encoded) {
  vrec* r = &vrecs[nvrecs++];
  memset(r, 0, sizeof *r);
  pthread_mutex_init(&r->mu, NULL);
  if (encoded) {
    video_encoded_frame_observer o = { .on_encoded_video_frame = on_encoded_frame };
    r->handle = agora_video_encoded_frame_observer_create(&o);   /* the struct may go away: it is copied */
  } else {
    video_frame_observer2 o = { .on_frame = on_video_frame };
    r->handle = agora_video_frame_observer2_create(&o);
  }
  CHECK(r->handle != NULL);
  return r;
}

static int vrec_frames(vrec* r, int encoded) {
  pthread_mutex_lock(&r->mu);
  int n = encoded ? r->encoded_frames : r->frames;
  pthread_mutex_unlock(&r->mu);
  return n;
}

static int wait_vframes(vrec* r, int encoded, int n, int timeout_ms) {
  for (int t = 0; t < timeout_ms; t += 5) { if (vrec_frames(r, encoded) >= n) return 1; sleep_ms(5); }
  fprintf(stderr, "timeout waiting for %d video frames (have %d)\n", n, vrec_frames(r, encoded));
  return 0;
}

static void vrecs_free(void) {
  for (int i = 0; i < nvrecs; i++) { free(vrecs[i].last); pthread_mutex_destroy(&vrecs[i].mu); }
  nvrecs = 0;
}

/* I420 test picture: Y = (x + 3y + seed) & 255, U = 64 + seed, V = 192 - seed. */
static void i420_pattern(unsigned char* buf, int w, int h, int seed) {
  for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) buf[y * w + x] = (unsigned char)((x + 3 * y + seed) & 255);
  memset(buf + w * h, 64 + seed, (size_t)(w * h / 4));
  memset(buf + w * h + w * h / 4, 192 - seed, (size_t)(w * h / 4));
}
static audio_frame_observer frame_obs = { .on_playback_audio_frame_before_mixing = on_before_mixing };

/* ---- helpers ---- */
typedef struct peer { void *conn, *user, *sender, *track; rec* r; } peer;

static int has_event(rec* r, const char* ev) {
  pthread_mutex_lock(&r->mu);
  int yes = strstr(r->events, ev) != NULL;
  pthread_mutex_unlock(&r->mu);
  return yes;
}

static int wait_event(rec* r, const char* ev, int timeout_ms) {
  for (int t = 0; t < timeout_ms; t += 5) { if (has_event(r, ev)) return 1; sleep_ms(5); }
  fprintf(stderr, "timeout waiting for %s; events: %s\n", ev, r->events);
  return 0;
}

static int has_msg(rec* r, const char* m) {
  pthread_mutex_lock(&r->mu);
  int yes = strstr(r->msgs, m) != NULL;
  pthread_mutex_unlock(&r->mu);
  return yes;
}

static int rec_frames(rec* r) { pthread_mutex_lock(&r->mu); int n = r->frames; pthread_mutex_unlock(&r->mu); return n; }

static int wait_frames(rec* r, int n, int timeout_ms) {
  for (int t = 0; t < timeout_ms; t += 5) { if (rec_frames(r) >= n) return 1; sleep_ms(5); }
  fprintf(stderr, "timeout waiting for %d frames (have %d)\n", n, rec_frames(r));
  return 0;
}

static void peer_open(peer* p, void* svc, void* factory, const char* channel, const char* uid) {
  rtc_conn_config cfg = { .auto_subscribe_audio = 1, .client_role_type = 1, .channel_profile = 1 };
  p->conn = agora_rtc_conn_create(svc, &cfg);
  p->user = agora_rtc_conn_get_local_user(p->conn);
  CHECK(p->conn && p->user && p->conn != p->user);
  p->r = calloc(1, sizeof *p->r);
  pthread_mutex_init(&p->r->mu, NULL);
  p->r->pcm = malloc(MAX_PCM);
  p->r->conn = p->conn; p->r->user = p->user;
  pthread_mutex_lock(&recs_mu); recs[nrecs++] = p->r; pthread_mutex_unlock(&recs_mu);
  CHECK_EQ(agora_rtc_conn_register_observer(p->conn, &conn_obs), 0);
  CHECK_EQ(agora_local_user_register_observer(p->user, &user_obs), 0);
  CHECK_EQ(agora_local_user_register_audio_frame_observer(p->user, &frame_obs), 0);
  p->sender = agora_media_node_factory_create_audio_pcm_data_sender(factory);
  p->track = agora_service_create_custom_audio_track_pcm(svc, p->sender);
  CHECK(p->sender && p->track);
  agora_local_audio_track_set_enabled(p->track, 1);
  CHECK_EQ(agora_rtc_conn_connect(p->conn, NULL, channel, uid), 0);
}

/* Release in Agora's documented order; must not count any order violation. */
static void peer_close(peer* p) {
  agora_local_user_unpublish_audio(p->user, p->track);
  agora_local_audio_track_set_enabled(p->track, 0);
  CHECK_EQ(agora_local_user_unregister_audio_frame_observer(p->user), 0);
  CHECK_EQ(agora_local_user_unregister_observer(p->user), 0);
  CHECK_EQ(agora_rtc_conn_disconnect(p->conn), 0);
  CHECK_EQ(agora_rtc_conn_unregister_observer(p->conn), 0);
  agora_rtc_conn_destroy(p->conn);
  agora_local_audio_track_destroy(p->track);
  agora_audio_pcm_data_sender_destroy(p->sender);
}

static void free_recs(void) {
  for (int i = 0; i < nrecs; i++) { pthread_mutex_destroy(&recs[i]->mu); free(recs[i]->pcm); free(recs[i]); }
  nrecs = 0;
}

static void pattern(int16_t* pcm, int n, int seed) {
  for (int i = 0; i < n; i++) pcm[i] = (int16_t)(((i * 37 + seed * 101) % 20000) - 10000);
}

static void* service_up(const char* app_id) {
  void* svc = agora_service_create();
  agora_service_config cfg = { .enable_audio_processor = 1, .enable_video = 1, .app_id = app_id,
                               .area_code = 0xFFFFFFFFu, .channel_profile = 1, .audio_scenario = 7 };
  CHECK_EQ(agora_service_initialize(svc, &cfg), 0);
  return svc;
}

/* ---- cross-process: the child sends, the parent receives ---- */
static int child_main(void) {
  void* svc = service_up("lbtest");
  void* factory = agora_service_create_media_node_factory(svc);
  peer c;
  peer_open(&c, svc, factory, "xproc", "child");
  if (!wait_event(c.r, "joined(parent);", 5000)) return 2;
  CHECK_EQ(agora_local_user_publish_audio(c.user, c.track), 0);
  int16_t pcm[160 * 10];
  pattern(pcm, 1600, 7);
  CHECK_EQ(agora_audio_pcm_data_sender_send(c.sender, pcm, 0, 1600, 2, 1, 16000), 0);
  for (int t = 0; t < 3000 && loopback_track_frames_sent(c.track) < 10; t += 5) sleep_ms(5);
  int sid = 0;
  CHECK_EQ(agora_rtc_conn_create_data_stream(c.conn, &sid, 1, 1), 0);
  CHECK_EQ(agora_rtc_conn_send_stream_message(c.conn, sid, "from-child", 10), 0);
  /* a 640x480 I420 frame is 8 datagram fragments across processes */
  void* vsender = agora_media_node_factory_create_video_frame_sender(factory);
  void* vtrack = agora_service_create_custom_video_track_frame(svc, vsender);
  CHECK(vsender && vtrack);
  agora_local_video_track_set_enabled(vtrack, 1);
  CHECK_EQ(agora_local_user_publish_video(c.user, vtrack), 0);
  unsigned char* pic = malloc(640 * 480 * 3 / 2);
  i420_pattern(pic, 640, 480, 5);
  external_video_frame vf = { .type = 1, .format = 1, .buffer = pic, .stride = 640, .height = 480,
                              .metadata_buffer = (uint8_t*)"xmeta", .metadata_size = 5 };
  for (int t = 0; t < 5000 && !has_msg(c.r, "parent:1:got-video;"); t += 50) {
    CHECK_EQ(agora_video_frame_sender_send(vsender, &vf), 0);
    sleep_ms(50);
  }
  CHECK(has_msg(c.r, "parent:1:got-video;"));
  free(pic);
  wait_event(c.r, "meta(parent,bye);", 5000);
  CHECK_EQ(agora_local_user_unpublish_video(c.user, vtrack), 0);
  agora_local_video_track_destroy(vtrack);
  agora_video_frame_sender_destroy(vsender);
  peer_close(&c);
  agora_media_node_factory_destroy(factory);
  agora_service_release(svc);
  free_recs();
  vrecs_free();
  return failures ? 1 : 0;
}

static void test_cross_process(void* svc, void* factory, pid_t child) {
  peer p;
  peer_open(&p, svc, factory, "xproc", "parent");
  CHECK(wait_event(p.r, "joined(child);", 5000));
  CHECK(wait_frames(p.r, 10, 5000));
  int16_t expect[1600];
  pattern(expect, 1600, 7);
  pthread_mutex_lock(&p.r->mu);
  CHECK_EQ(p.r->pcm_len, sizeof expect);
  CHECK(memcmp(p.r->pcm, expect, sizeof expect) == 0);
  pthread_mutex_unlock(&p.r->mu);
  for (int t = 0; t < 3000 && !has_msg(p.r, "child:1:from-child;"); t += 5) sleep_ms(5);
  CHECK(has_msg(p.r, "child:1:from-child;"));
  vrec* vr = vrec_new(0);
  CHECK_EQ(agora_local_user_register_video_frame_observer(p.user, vr->handle), 0);
  CHECK_EQ(agora_local_user_subscribe_all_video(p.user, NULL), 0);
  CHECK(wait_vframes(vr, 0, 1, 5000));
  unsigned char* want = malloc(640 * 480 * 3 / 2);
  i420_pattern(want, 640, 480, 5);
  pthread_mutex_lock(&vr->mu);
  CHECK_EQ(vr->w, 640);
  CHECK_EQ(vr->h, 480);
  CHECK_EQ(vr->last_len, 640 * 480 * 3 / 2);
  CHECK(vr->last && memcmp(vr->last, want, 640 * 480 * 3 / 2) == 0);
  CHECK(strcmp(vr->meta, "xmeta") == 0);
  CHECK(strcmp(vr->uid, "child") == 0);
  pthread_mutex_unlock(&vr->mu);
  free(want);
  int psid = 0;
  CHECK_EQ(agora_rtc_conn_create_data_stream(p.conn, &psid, 1, 1), 0);
  CHECK_EQ(agora_rtc_conn_send_stream_message(p.conn, psid, "got-video", 9), 0);
  CHECK_EQ(agora_local_user_unregister_video_frame_observer(p.user, vr->handle), 0);
  agora_video_frame_observer2_destroy(vr->handle);
  CHECK_EQ(agora_local_user_send_audio_meta_data(p.user, "bye", 3), 0);
  CHECK(wait_event(p.r, "left(child,0);", 5000));
  int status = 0;
  CHECK_EQ(waitpid(child, &status, 0), child);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  peer_close(&p);
}

/* ---- in-process cases ---- */
static void test_bad_arguments(void* svc, void* factory) {
  CHECK_EQ(agora_service_initialize(NULL, NULL), -1);
  agora_service_config cfg = { .app_id = "x" };
  CHECK_EQ(agora_service_initialize(svc, &cfg), -5);      /* one initialized service per process */
  void* other = agora_service_create();
  CHECK_EQ(agora_service_initialize(other, NULL), -2);
  cfg.app_id = "";
  CHECK_EQ(agora_service_initialize(other, &cfg), -101);
  CHECK_EQ(agora_service_release(other), 0);
  rtc_conn_config cc = { .auto_subscribe_audio = 1 };
  void* conn = agora_rtc_conn_create(svc, &cc);
  void* user = agora_rtc_conn_get_local_user(conn);
  CHECK_EQ(agora_rtc_conn_connect(NULL, NULL, "c", "u"), -1);
  CHECK_EQ(agora_rtc_conn_connect(user, NULL, "c", "u"), -1);          /* wrong kind */
  CHECK_EQ(agora_rtc_conn_connect(conn, NULL, "", "u"), -2);
  CHECK_EQ(agora_rtc_conn_connect(conn, NULL, "bad*name", "u"), -2);
  char longname[80];
  memset(longname, 'a', 65); longname[65] = 0;
  CHECK_EQ(agora_rtc_conn_connect(conn, NULL, longname, "u"), -2);
  CHECK_EQ(agora_rtc_conn_connect(conn, NULL, "ok", ""), -2);
  CHECK_EQ(agora_local_user_publish_audio(conn, NULL), -1);
  CHECK_EQ(agora_rtc_conn_register_observer(conn, NULL), -1);
  int sid = 0;
  for (int i = 1; i <= 5; i++) { CHECK_EQ(agora_rtc_conn_create_data_stream(conn, &sid, 0, 0), 0); CHECK_EQ(sid, i); }
  CHECK_EQ(agora_rtc_conn_create_data_stream(conn, &sid, 0, 0), -2);
  CHECK_EQ(agora_rtc_conn_create_data_stream(conn, NULL, 0, 0), -2);
  CHECK_EQ(agora_rtc_conn_send_stream_message(conn, 1, "x", 1), -113);
  CHECK_EQ(agora_rtc_conn_send_stream_message(conn, 9, "x", 1), -2);
  CHECK_EQ(agora_rtc_conn_send_stream_message(conn, 1, NULL, 1), -2);
  CHECK_EQ(agora_rtc_conn_send_stream_message(conn, 1, "x", 1025), -2);
  CHECK_EQ(agora_local_user_send_audio_meta_data(user, "x", 0), -2);
  void* sender = agora_media_node_factory_create_audio_pcm_data_sender(factory);
  int16_t pcm[960] = {0};
  CHECK_EQ(agora_audio_pcm_data_sender_send(sender, pcm, 0, 160, 2, 1, 16000), -3);   /* no track yet */
  void* track = agora_service_create_custom_audio_track_pcm(svc, sender);
  CHECK_EQ(agora_audio_pcm_data_sender_send(sender, pcm, 0, 160, 2, 1, 16000), -3);   /* disabled */
  agora_local_audio_track_set_enabled(track, 1);
  CHECK_EQ(agora_audio_pcm_data_sender_send(sender, NULL, 0, 160, 2, 1, 16000), -2);
  CHECK_EQ(agora_audio_pcm_data_sender_send(sender, pcm, 0, 160, 4, 1, 16000), -2);
  CHECK_EQ(agora_audio_pcm_data_sender_send(sender, pcm, 0, 160, 2, 3, 16000), -2);
  CHECK_EQ(agora_audio_pcm_data_sender_send(sender, pcm, 0, 150, 2, 1, 16000), -2);
  CHECK_EQ(agora_audio_pcm_data_sender_send(sender, pcm, 0, 160, 2, 1, 22050), -2);
  agora_local_audio_track_set_max_bufferd_frame_number(track, 2);
  CHECK_EQ(agora_audio_pcm_data_sender_send(sender, pcm, 0, 480, 2, 1, 16000), -6);   /* 3 > 2 frames */
  CHECK_EQ(loopback_track_frames_queued(track), 0);
  CHECK_EQ(agora_local_audio_track_is_enabled(track), 1);
  char buf[64];
  CHECK_EQ(loopback_get_recorded(track, "track.max_buffered_frames", buf, sizeof buf), 1);
  CHECK(strcmp(buf, "2") == 0);
  CHECK_EQ(loopback_get_recorded(track, "track.nope", buf, sizeof buf), -1);
  CHECK_EQ(loopback_get_recorded(conn, "conn.auto_subscribe_audio", buf, 1), -6);
  CHECK_EQ(loopback_get_recorded(NULL, "service.app_id", buf, sizeof buf), 6);
  CHECK(strcmp(buf, "lbtest") == 0);
  /* A NULL token and an empty one are told apart. */
  CHECK_EQ(agora_rtc_conn_connect(conn, "", "tokens", "u"), 0);
  CHECK_EQ(loopback_get_recorded(conn, "conn.token_null", buf, sizeof buf), 1);
  CHECK(strcmp(buf, "0") == 0);
  CHECK_EQ(agora_rtc_conn_disconnect(conn), 0);
  CHECK_EQ(agora_rtc_conn_connect(conn, NULL, "tokens", "u"), 0);
  CHECK_EQ(loopback_get_recorded(conn, "conn.token_null", buf, sizeof buf), 1);
  CHECK(strcmp(buf, "1") == 0);
  CHECK_EQ(agora_rtc_conn_disconnect(conn), 0);
  agora_local_audio_track_set_enabled(track, 0);
  agora_local_audio_track_destroy(track);
  agora_audio_pcm_data_sender_destroy(sender);
  agora_rtc_conn_destroy(conn);
  CHECK_EQ(loopback_order_violations(), 0);
  CHECK_EQ(loopback_sizeof("local_user_observer"), 296);
  CHECK_EQ(loopback_sizeof("nope"), 0);
}

static void test_two_peers(void* svc, void* factory) {
  peer a, b, c;
  peer_open(&a, svc, factory, "room", "alice");
  peer_open(&b, svc, factory, "room", "bob");
  CHECK(wait_event(a.r, "connecting(2,0);connected(3,1);", 2000));
  CHECK(wait_event(a.r, "joined(bob);", 2000));
  CHECK(wait_event(b.r, "joined(alice);", 2000));
  CHECK_EQ(agora_local_user_publish_audio(a.user, a.track), 0);
  CHECK(wait_event(a.r, "published;", 2000));

  /* byte-exact delivery at the same format */
  int16_t pcm[160 * 20];
  pattern(pcm, 160 * 20, 1);
  CHECK_EQ(agora_audio_pcm_data_sender_send(a.sender, pcm, 0, 160 * 20, 2, 1, 16000), 0);
  CHECK(wait_frames(b.r, 20, 3000));
  pthread_mutex_lock(&b.r->mu);
  CHECK_EQ(b.r->pcm_len, sizeof pcm);
  CHECK(memcmp(b.r->pcm, pcm, sizeof pcm) == 0);
  CHECK_EQ(b.r->subscribed, 1);
  CHECK(b.r->remote_track != NULL && b.r->remote_track != a.track && b.r->remote_track != a.conn);
  CHECK(b.r->last_rms > 80 && b.r->last_rms <= 127);
  pthread_mutex_unlock(&b.r->mu);
  CHECK_EQ(rec_frames(a.r), 0);                          /* nobody hears themselves */
  CHECK_EQ(loopback_track_frames_sent(a.track), 20);
  CHECK_EQ(loopback_conn_frames_delivered(b.conn), 20);
  CHECK_EQ(loopback_conn_frames_lost(b.conn), 0);

  /* resampled and remixed delivery for a third peer */
  peer_open(&c, svc, factory, "room", "carol");
  CHECK_EQ(agora_local_user_set_playback_audio_frame_before_mixing_parameters(c.user, 2, 48000), 0);
  CHECK(wait_event(c.r, "joined(alice);", 2000));
  CHECK(wait_event(a.r, "joined(carol);", 2000));
  CHECK_EQ(agora_local_user_set_audio_volume_indication_parameters(c.user, 50, 3, 1), 0);
  CHECK_EQ(agora_audio_pcm_data_sender_send(a.sender, pcm, 0, 160 * 20, 2, 1, 16000), 0);
  CHECK(wait_frames(c.r, 20, 3000));
  pthread_mutex_lock(&c.r->mu);
  CHECK_EQ(c.r->last_samples, 480);
  CHECK_EQ(c.r->last_channels, 2);
  CHECK_EQ(c.r->last_rate, 48000);
  CHECK_EQ(c.r->pcm_len, 20 * 480 * 2 * 2);
  pthread_mutex_unlock(&c.r->mu);
  sleep_ms(100);
  pthread_mutex_lock(&c.r->mu);
  CHECK(c.r->volume_calls >= 1 && c.r->last_total_volume > 0);
  pthread_mutex_unlock(&c.r->mu);

  /* clear_sender_buffer: nothing queued before the call goes out afterwards */
  long long sent0 = loopback_track_frames_sent(a.track);
  CHECK_EQ(agora_audio_pcm_data_sender_send(a.sender, pcm, 0, 160 * 20, 2, 1, 16000), 0);
  CHECK_EQ(agora_local_audio_track_clear_sender_buffer(a.track), 0);
  CHECK_EQ(loopback_track_frames_queued(a.track), 0);
  long long sent1 = loopback_track_frames_sent(a.track);
  sleep_ms(200);
  CHECK_EQ(loopback_track_frames_sent(a.track), sent1);
  CHECK_EQ((sent1 - sent0) + loopback_track_frames_cleared(a.track), 20);

  /* data stream: in order, to others only */
  int sid = 0;
  CHECK_EQ(agora_rtc_conn_create_data_stream(a.conn, &sid, 1, 1), 0);
  char msg[8], expect[512] = "";
  for (int i = 0; i < 10; i++) {
    snprintf(msg, sizeof msg, "m%d", i);
    CHECK_EQ(agora_rtc_conn_send_stream_message(a.conn, sid, msg, (uint32_t)strlen(msg)), 0);
    size_t n = strlen(expect);
    snprintf(expect + n, sizeof expect - n, "alice:%d:%s;", sid, msg);
  }
  CHECK_EQ(agora_local_user_send_audio_meta_data(b.user, "hi", 2), 0);
  CHECK(wait_event(a.r, "meta(bob,hi);", 2000));
  sleep_ms(50);
  pthread_mutex_lock(&b.r->mu); CHECK(strcmp(b.r->msgs, expect) == 0); pthread_mutex_unlock(&b.r->mu);
  pthread_mutex_lock(&c.r->mu); CHECK(strcmp(c.r->msgs, expect) == 0); pthread_mutex_unlock(&c.r->mu);
  pthread_mutex_lock(&a.r->mu); CHECK(a.r->msgs[0] == 0); pthread_mutex_unlock(&a.r->mu);

  /* leaving: on_disconnected has run when disconnect returns; others see user_left(QUIT) */
  CHECK_EQ(agora_rtc_conn_disconnect(c.conn), 0);
  pthread_mutex_lock(&c.r->mu); CHECK(c.r->disconnected); pthread_mutex_unlock(&c.r->mu);
  CHECK(has_event(c.r, "disconnected(1,5);"));
  CHECK(wait_event(a.r, "left(carol,0);", 2000));
  CHECK(wait_event(b.r, "left(carol,0);", 2000));
  CHECK_EQ(agora_rtc_conn_disconnect(c.conn), 0);        /* not connected: still 0 */
  peer_close(&c);
  peer_close(&b);
  peer_close(&a);
  CHECK_EQ(loopback_order_violations(), 0);
}

static int near(int a, int b) { return a - b <= 1 && b - a <= 1; }

static void test_video(void* svc, void* factory) {
  peer a, b, e;
  peer_open(&a, svc, factory, "video", "alice");
  peer_open(&b, svc, factory, "video", "bob");
  peer_open(&e, svc, factory, "video", "eve");
  CHECK(wait_event(b.r, "joined(alice);", 2000));
  CHECK(wait_event(e.r, "joined(alice);", 2000));
  void* vs = agora_media_node_factory_create_video_frame_sender(factory);
  void* vt = agora_service_create_custom_video_track_frame(svc, vs);
  CHECK(vs && vt && vs != vt);
  CHECK(agora_service_create_custom_video_track_frame(svc, vs) == NULL);   /* one track per sender */
  CHECK(agora_service_create_custom_video_track_frame(svc, a.sender) == NULL);   /* a PCM sender */
  video_encoder_config ec = { .codec_type = 2, .dimensions = { 64, 48 }, .frame_rate = 25 };
  CHECK_EQ(agora_local_video_track_set_video_encoder_config(vt, &ec), 0);
  video_encoder_config bad = ec;
  bad.frame_rate = -1;
  CHECK_EQ(agora_local_video_track_set_video_encoder_config(vt, &bad), -2);
  bad = ec; bad.codec_type = 4;
  CHECK_EQ(agora_local_video_track_set_video_encoder_config(vt, &bad), -2);
  char buf[256];
  CHECK(loopback_get_recorded(vt, "vtrack.encoder_config", buf, sizeof buf) > 0);
  CHECK(strcmp(buf, "2,64x48,25,0,0,0,0,0,0") == 0);

  unsigned char pic[68 * 48 * 3 / 2];
  i420_pattern(pic, 64, 48, 1);
  external_video_frame f = { .type = 1, .format = 1, .buffer = pic, .stride = 64, .height = 48, .rotation = 90,
                             .timestamp = 1234, .metadata_buffer = (uint8_t*)"hello metadata", .metadata_size = 14 };
  CHECK_EQ(agora_video_frame_sender_send(vs, &f), -3);          /* track not enabled */
  agora_local_video_track_set_enabled(vt, 1);
  CHECK_EQ(agora_local_video_track_get_state(vt), 1);
  CHECK_EQ(agora_local_user_publish_video(a.user, vt), 0);
  CHECK(wait_event(a.r, "vpublished;", 2000));

  vrec* rb = vrec_new(0);
  CHECK_EQ(agora_local_user_register_video_frame_observer(b.user, rb->handle), 0);
  CHECK_EQ(agora_local_user_subscribe_all_video(b.user, NULL), 0);
  sleep_ms(30);
  CHECK_EQ(agora_video_frame_sender_send(vs, &f), 0);
  CHECK(wait_vframes(rb, 0, 1, 2000));
  CHECK(wait_event(b.r, "vsubscribed(alice,0);first_video(alice,64x48);", 2000));
  pthread_mutex_lock(&rb->mu);
  CHECK_EQ(rb->w, 64); CHECK_EQ(rb->h, 48); CHECK_EQ(rb->ys, 64); CHECK_EQ(rb->us, 32); CHECK_EQ(rb->vs, 32);
  CHECK_EQ(rb->rotation, 90);
  CHECK(rb->last_len == sizeof pic - 4 * 48 * 3 / 2 && memcmp(rb->last, pic, rb->last_len) == 0);
  CHECK(strcmp(rb->meta, "hello metadata") == 0);
  CHECK(strcmp(rb->uid, "alice") == 0);
  pthread_mutex_unlock(&rb->mu);
  CHECK_EQ(loopback_video_track_frames_sent(vt), 1);
  CHECK_EQ(loopback_conn_video_frames_delivered(b.conn), 1);
  CHECK_EQ(loopback_conn_video_frames_delivered(e.conn), 0);    /* eve subscribed to nothing */
  CHECK_EQ(loopback_conn_video_frames_delivered(a.conn), 0);
  CHECK_EQ(agora_local_video_track_get_state(vt), 2);

  /* crop: a 68-pixel-wide I420 picture with 2 pixels cropped on each side */
  unsigned char wide[68 * 48 * 3 / 2];
  for (int y = 0; y < 48; y++) for (int x = 0; x < 68; x++) wide[y * 68 + x] = (unsigned char)(x < 2 || x >= 66 ? 0 : 200);
  memset(wide + 68 * 48, 100, 34 * 24 * 2);
  external_video_frame cf = { .type = 1, .format = 1, .buffer = wide, .stride = 68, .height = 48, .crop_left = 2,
                              .crop_right = 2 };
  CHECK_EQ(agora_video_frame_sender_send(vs, &cf), 0);
  CHECK(wait_vframes(rb, 0, 2, 2000));
  pthread_mutex_lock(&rb->mu);
  CHECK_EQ(rb->w, 64);
  int all200 = 1;
  for (int i = 0; i < 64 * 48; i++) all200 &= rb->last[i] == 200;
  CHECK(all200);
  pthread_mutex_unlock(&rb->mu);

  /* RGBA and BGRA of one solid colour, BT.709 full range: the I420 values of that colour */
  unsigned char rgba[64 * 48 * 4], bgra[64 * 48 * 4];
  for (int i = 0; i < 64 * 48; i++) {
    rgba[4 * i] = 0; rgba[4 * i + 1] = 177; rgba[4 * i + 2] = 64; rgba[4 * i + 3] = 200;
    bgra[4 * i] = 64; bgra[4 * i + 1] = 177; bgra[4 * i + 2] = 0; bgra[4 * i + 3] = 200;
  }
  external_video_frame rf = { .type = 1, .format = 4, .buffer = rgba, .stride = 64, .height = 48,
                              .color_space = { 1, 1, 1, 2 } };
  CHECK_EQ(agora_video_frame_sender_send(vs, &rf), 0);
  CHECK(wait_vframes(rb, 0, 3, 2000));
  pthread_mutex_lock(&rb->mu);
  CHECK(near(rb->y0, 131) && near(rb->u0, 92) && near(rb->v0, 45));
  CHECK(!rb->has_alpha);
  pthread_mutex_unlock(&rb->mu);
  CHECK(loopback_get_recorded(vt, "vtrack.color_space", buf, sizeof buf) > 0);
  CHECK(strcmp(buf, "1,1,1,2") == 0);
  rf.buffer = bgra; rf.format = 2;
  CHECK_EQ(agora_video_frame_sender_send(vs, &rf), 0);
  CHECK(wait_vframes(rb, 0, 4, 2000));
  pthread_mutex_lock(&rb->mu);
  CHECK(near(rb->y0, 131) && near(rb->u0, 92) && near(rb->v0, 45));
  pthread_mutex_unlock(&rb->mu);
  /* the default tuple converts as BT.601 limited range */
  rf.color_space = (color_space_type){ 0, 0, 0, 0 };
  CHECK_EQ(agora_video_frame_sender_send(vs, &rf), 0);
  CHECK(wait_vframes(rb, 0, 5, 2000));
  pthread_mutex_lock(&rb->mu);
  CHECK(near(rb->y0, 16 + (int)(219.0 / 255 * (0.587 * 177 + 0.114 * 64) + 0.5)));
  pthread_mutex_unlock(&rb->mu);

  /* alpha: kept only when the encoder config says encode_alpha */
  rf.fill_alpha_buffer = 1;
  CHECK_EQ(agora_video_frame_sender_send(vs, &rf), 0);
  CHECK(wait_vframes(rb, 0, 6, 2000));
  pthread_mutex_lock(&rb->mu); CHECK(!rb->has_alpha); pthread_mutex_unlock(&rb->mu);
  CHECK(loopback_get_recorded(vt, "vtrack.alpha_ignored", buf, sizeof buf) > 0 && strcmp(buf, "1") == 0);
  ec.encode_alpha = 1;
  CHECK_EQ(agora_local_video_track_set_video_encoder_config(vt, &ec), 0);
  CHECK_EQ(agora_video_frame_sender_send(vs, &rf), 0);
  CHECK(wait_vframes(rb, 0, 7, 2000));
  pthread_mutex_lock(&rb->mu); CHECK(rb->has_alpha && rb->a0 == 200); pthread_mutex_unlock(&rb->mu);

  /* bad frames: each check names one field */
  external_video_frame x = f;
  x.type = 3; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -4);
  x = f; x.format = 8; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -4);
  x = f; x.format = 5; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.stride = 63; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.height = 0; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.stride = 5000; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.buffer = NULL; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.crop_left = 40; x.crop_right = 40; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.crop_top = 1; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.rotation = 45; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.metadata_size = 2000; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.metadata_buffer = NULL; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.fill_alpha_buffer = 1; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);   /* I420 has no alpha */
  x = f; x.alpha_mode = 9; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.color_space.range_id = 7; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  x = f; x.color_space.matrix_id = 3; CHECK_EQ(agora_video_frame_sender_send(vs, &x), -2);
  CHECK_EQ(agora_video_frame_sender_send(NULL, &f), -1);
  CHECK_EQ(agora_video_frame_sender_send(vs, NULL), -1);
  CHECK_EQ(agora_video_frame_sender_send(a.sender, &f), -1);                            /* wrong kind */
  CHECK(loopback_get_recorded(vt, "vtrack.rejected", buf, sizeof buf) > 0 && strcmp(buf, "17") == 0);   /* 16 + the disabled-track send */
  CHECK_EQ(loopback_video_track_frames_sent(vt), 7);

  /* statistics come from the counters and must be destroyed */
  local_video_track_stats* st = agora_local_video_track_get_statistics(vt);
  CHECK(st != NULL);
  CHECK_EQ(st->frames_encoded, 7);
  CHECK_EQ(st->width, 64);
  CHECK_EQ(loopback_live_handles_of_kind(LB_KIND_STATS), 1);
  agora_local_video_track_destroy_statistics(vt, st);
  CHECK_EQ(loopback_live_handles_of_kind(LB_KIND_STATS), 0);

  /* encoded H.264: Annex-B bytes move unchanged to encoded-frame observers only */
  void* es = agora_media_node_factory_create_video_encoded_image_sender(factory);
  sender_options so = { .cc_mode = 0, .codec_type = 2, .target_bitrate = 640 };
  void* et = agora_service_create_custom_video_track_encoded(svc, es, &so);
  CHECK(es && et);
  agora_local_video_track_set_enabled(et, 1);
  CHECK_EQ(agora_local_user_publish_video(a.user, et), 0);
  vrec* re = vrec_new(1);
  CHECK_EQ(agora_local_user_register_video_encoded_frame_observer(e.user, re->handle), 0);
  video_subscription_options vo = { .type = 0, .encoded_frame_only = 1 };
  CHECK_EQ(agora_local_user_subscribe_all_video(e.user, &vo), 0);
  sleep_ms(30);
  const uint8_t nal[] = { 0, 0, 0, 1, 0x67, 0x42, 0, 0x1f, 0, 0, 0, 1, 0x65, 0x88, 0x84 };
  encoded_video_frame_info info = { .codec_type = 2, .width = 352, .height = 288, .frames_per_second = 30,
                                    .frame_type = 3 };
  CHECK_EQ(agora_video_encoded_image_sender_send(es, nal, sizeof nal, &info), 1);
  CHECK(wait_vframes(re, 1, 1, 2000));
  pthread_mutex_lock(&re->mu);
  CHECK(re->enc_len == sizeof nal && memcmp(re->enc, nal, sizeof nal) == 0);
  CHECK_EQ(re->enc_info.codec_type, 2);
  CHECK_EQ(re->enc_info.width, 352);
  CHECK_EQ(re->enc_info.frame_type, 3);
  pthread_mutex_unlock(&re->mu);
  CHECK(wait_event(e.r, "vsubscribed(alice,1);", 2000));
  const uint8_t avcc[] = { 0, 0, 0, 5, 0x65, 1, 2, 3, 4 };
  CHECK_EQ(agora_video_encoded_image_sender_send(es, avcc, sizeof avcc, &info), -2);   /* not Annex-B */
  info.codec_type = 1;
  CHECK_EQ(agora_video_encoded_image_sender_send(es, nal, sizeof nal, &info), -2);     /* not the track's codec */
  info.codec_type = 2; info.frame_type = 9;
  CHECK_EQ(agora_video_encoded_image_sender_send(es, nal, sizeof nal, &info), -2);
  CHECK_EQ(agora_video_encoded_image_sender_send(es, nal, sizeof nal, NULL), -2);
  CHECK_EQ(loopback_conn_encoded_video_frames_delivered(e.conn), 1);
  sleep_ms(30);
  CHECK_EQ(vrec_frames(rb, 0), 7);                              /* raw observers get no encoded frames */

  /* encoded audio: checked and counted */
  void* as = agora_media_node_factory_create_audio_encoded_frame_sender(factory);
  void* at = agora_service_create_custom_audio_track_encoded(svc, as, 1);
  CHECK(as && at);
  CHECK(agora_service_create_custom_audio_track_encoded(svc, as, 1) == NULL);
  agora_local_audio_track_set_enabled(at, 1);
  CHECK_EQ(agora_local_user_publish_audio(a.user, at), 0);
  const uint8_t aac[] = { 0x21, 0x10, 0x05, 0x00, 0xa0, 0x19 };
  encoded_audio_frame_info ai = { .speech = 0, .codec = 8, .sample_rate_hz = 16000, .samples_per_channel = 1024,
                                  .send_even_if_empty = 1, .number_of_channels = 1 };
  CHECK_EQ(agora_audio_encoded_frame_sender_send(as, aac, sizeof aac, &ai), 0);
  ai.samples_per_channel = 0;
  CHECK_EQ(agora_audio_encoded_frame_sender_send(as, aac, sizeof aac, &ai), 0);
  CHECK_EQ(loopback_track_frames_sent(at), 2);
  CHECK(loopback_get_recorded(at, "atrack.samples", buf, sizeof buf) > 0 && strcmp(buf, "2048") == 0);
  ai.codec = 2;
  CHECK_EQ(agora_audio_encoded_frame_sender_send(as, aac, sizeof aac, &ai), -2);
  ai.codec = 8; ai.number_of_channels = 3;
  CHECK_EQ(agora_audio_encoded_frame_sender_send(as, aac, sizeof aac, &ai), -2);
  CHECK_EQ(agora_audio_encoded_frame_sender_send(vs, aac, sizeof aac, &ai), -1);

  /* unpublishing stops delivery */
  CHECK_EQ(agora_local_user_unpublish_video(a.user, vt), 0);
  CHECK(wait_event(a.r, "vunpublished;", 2000));
  sleep_ms(30);
  CHECK_EQ(agora_video_frame_sender_send(vs, &f), 0);
  sleep_ms(60);
  CHECK_EQ(vrec_frames(rb, 0), 7);

  CHECK_EQ(agora_local_user_unregister_video_frame_observer(b.user, rb->handle), 0);
  CHECK_EQ(agora_local_user_unregister_video_frame_observer(b.user, rb->handle), -2);
  agora_video_frame_observer2_destroy(rb->handle);
  CHECK_EQ(agora_local_user_unregister_video_encoded_frame_observer(e.user, re->handle), 0);
  agora_video_encoded_frame_observer_destroy(re->handle);
  CHECK_EQ(agora_local_user_unpublish_video(a.user, et), 0);
  CHECK_EQ(agora_local_user_unpublish_audio(a.user, at), 0);
  agora_local_video_track_set_enabled(vt, 0);
  agora_local_video_track_destroy(vt);
  agora_video_frame_sender_destroy(vs);
  agora_local_video_track_destroy(et);
  agora_video_encoded_image_sender_destroy(es);
  agora_local_audio_track_destroy(at);
  agora_audio_encoded_frame_sender_destroy(as);
  peer_close(&e);
  peer_close(&b);
  peer_close(&a);
  CHECK_EQ(loopback_order_violations(), 0);
  CHECK_EQ(loopback_live_handles_of_kind(LB_KIND_MEDIA_SENDER), 0);
  CHECK_EQ(loopback_live_handles_of_kind(LB_KIND_LOCAL_VIDEO_TRACK), 0);
  CHECK_EQ(loopback_live_handles_of_kind(LB_KIND_VIDEO_OBSERVER), 0);
}

/* Agora's data-stream limits: 60 packets/s per stream, 30 KB/s per client. */
static void test_stream_limits(void* svc, void* factory) {
  peer a, b;
  peer_open(&a, svc, factory, "limits", "alice");
  peer_open(&b, svc, factory, "limits", "bob");
  CHECK(wait_event(a.r, "connected(3,1);", 2000));
  int s1 = 0, s2 = 0;
  CHECK_EQ(agora_rtc_conn_create_data_stream(a.conn, &s1, 1, 1), 0);
  CHECK_EQ(agora_rtc_conn_create_data_stream(a.conn, &s2, 1, 1), 0);
  for (int i = 0; i < 60; i++) CHECK_EQ(agora_rtc_conn_send_stream_message(a.conn, s1, "0123456789", 10), 0);
  CHECK_EQ(agora_rtc_conn_send_stream_message(a.conn, s1, "x", 1), -12);   /* the 61st packet in a second */
  char kb[1024];
  memset(kb, 'k', sizeof kb);
  /* 600 bytes sent on s1; s2 may add 29 x 1 KB (30296 bytes) but not a 30th */
  for (int i = 0; i < 29; i++) CHECK_EQ(agora_rtc_conn_send_stream_message(a.conn, s2, kb, sizeof kb), 0);
  CHECK_EQ(agora_rtc_conn_send_stream_message(a.conn, s2, kb, sizeof kb), -115);
  CHECK_EQ(loopback_conn_stream_rejected(a.conn), 2);
  sleep_ms(1050);
  CHECK_EQ(agora_rtc_conn_send_stream_message(a.conn, s1, "again", 5), 0);
  CHECK_EQ(agora_rtc_conn_send_stream_message(a.conn, s2, kb, sizeof kb), 0);
  /* a connection made after loopback_set_stream_limits gets those */
  CHECK_EQ(loopback_set_stream_limits(2, 0), 0);
  peer c;
  peer_open(&c, svc, factory, "limits", "carol");
  CHECK(wait_event(c.r, "connected(3,1);", 2000));
  int s3 = 0;
  CHECK_EQ(agora_rtc_conn_create_data_stream(c.conn, &s3, 1, 1), 0);
  CHECK_EQ(agora_rtc_conn_send_stream_message(c.conn, s3, kb, sizeof kb), 0);
  CHECK_EQ(agora_rtc_conn_send_stream_message(c.conn, s3, kb, sizeof kb), 0);
  CHECK_EQ(agora_rtc_conn_send_stream_message(c.conn, s3, kb, sizeof kb), -12);
  CHECK_EQ(loopback_set_stream_limits(-1, -1), 0);
  peer_close(&c);
  peer_close(&b);
  peer_close(&a);
}

static void test_faults_and_violations(void* svc, void* factory) {
  CHECK_EQ(loopback_set_faults(-1, -1, -1, 1), 0);
  peer p;
  peer_open(&p, svc, factory, "tok", "t1");
  CHECK(wait_event(p.r, "connecting(2,0);failure(5,8);", 2000));
  CHECK_EQ(loopback_set_faults(-1, -1, 100, 0), 0);
  peer q, r;
  peer_open(&q, svc, factory, "drop", "q");
  peer_open(&r, svc, factory, "drop", "r");
  CHECK(wait_event(q.r, "lost(5);failure(5,14);", 2000));
  CHECK(wait_event(r.r, "left(q,1);", 2000));
  CHECK_EQ(loopback_set_faults(-1, -1, -1, -1), 0);
  peer_close(&p);
  peer_close(&q);
  peer_close(&r);
  CHECK_EQ(loopback_order_violations(), 0);
  /* destroying a connected connection with its observer still registered: two violations */
  peer v;
  peer_open(&v, svc, factory, "viol", "v");
  CHECK(wait_event(v.r, "connected(3,1);", 2000));
  agora_rtc_conn_destroy(v.conn);
  CHECK_EQ(loopback_order_violations(), 2);
  agora_local_audio_track_destroy(v.track);
  agora_audio_pcm_data_sender_destroy(v.sender);
  /* destroying a published video track and a registered video observer: two more */
  peer w;
  peer_open(&w, svc, factory, "viol2", "w");
  void* vs = agora_media_node_factory_create_video_frame_sender(factory);
  void* vt = agora_service_create_custom_video_track_frame(svc, vs);
  CHECK_EQ(agora_local_user_publish_video(w.user, vt), 0);
  agora_local_video_track_destroy(vt);
  CHECK_EQ(loopback_order_violations(), 3);
  agora_video_frame_sender_destroy(vs);
  vrec* vr = vrec_new(0);
  CHECK_EQ(agora_local_user_register_video_frame_observer(w.user, vr->handle), 0);
  agora_video_frame_observer2_destroy(vr->handle);
  CHECK_EQ(loopback_order_violations(), 4);
  peer_close(&w);
}

int main(int argc, char** argv) {
  int fork_ok = !(argc > 1 && strcmp(argv[1], "--no-fork") == 0);
  pid_t child = -1;
  if (fork_ok) {   /* fork before the library starts threads in this process */
    child = fork();
    if (child == 0) { sleep_ms(200); _exit(child_main()); }
  }
  CHECK_EQ(loopback_is_loopback(), 1);
  void* svc = service_up("lbtest");
  void* factory = agora_service_create_media_node_factory(svc);
  if (fork_ok) test_cross_process(svc, factory, child);
  test_bad_arguments(svc, factory);
  test_two_peers(svc, factory);
  test_video(svc, factory);
  test_stream_limits(svc, factory);
  test_faults_and_violations(svc, factory);
  agora_media_node_factory_destroy(factory);
  CHECK_EQ(agora_service_release(svc), 0);
  CHECK_EQ(loopback_live_handles(), 0);
  CHECK_EQ(loopback_live_handles_of_kind(LB_KIND_OBSERVER), 0);
  CHECK_EQ(loopback_live_handles_of_kind(LB_KIND_CONN_INFO), 0);
  free_recs();
  vrecs_free();
  printf("%s (%d failure%s)\n", failures ? "FAILED" : "OK", failures, failures == 1 ? "" : "s");
  return failures ? 1 : 0;
}
