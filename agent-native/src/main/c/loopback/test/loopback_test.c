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
  .on_audio_volume_indication = on_volume,
};
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
  agora_service_config cfg = { .enable_audio_processor = 1, .app_id = app_id, .area_code = 0xFFFFFFFFu,
                               .channel_profile = 1, .audio_scenario = 7 };
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
  wait_event(c.r, "meta(parent,bye);", 5000);
  peer_close(&c);
  agora_media_node_factory_destroy(factory);
  agora_service_release(svc);
  free_recs();
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
  for (int t = 0; t < 3000 && !strstr(p.r->msgs, "child:1:from-child;"); t += 5) sleep_ms(5);
  CHECK(strstr(p.r->msgs, "child:1:from-child;") != NULL);
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
  test_faults_and_violations(svc, factory);
  agora_media_node_factory_destroy(factory);
  CHECK_EQ(agora_service_release(svc), 0);
  CHECK_EQ(loopback_live_handles(), 0);
  CHECK_EQ(loopback_live_handles_of_kind(LB_KIND_OBSERVER), 0);
  CHECK_EQ(loopback_live_handles_of_kind(LB_KIND_CONN_INFO), 0);
  free_recs();
  printf("%s (%d failure%s)\n", failures ? "FAILED" : "OK", failures, failures == 1 ? "" : "s");
  return failures ? 1 : 0;
}
