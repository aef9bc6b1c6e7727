/* Exported connection and local-user functions (argument checks, state changes, events). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lb_internal.h"

static lb_conn* conn_of(void* h) { return lb_reg_is(h, K_CONN) ? h : NULL; }
static lb_conn* user_of(void* h) { return lb_reg_is(h, K_USER) ? ((lb_user*)h)->conn : NULL; }

static int env_int(const char* name, int dflt) {
  const char* v = getenv(name);
  return v && *v ? atoi(v) : dflt;
}

AGORA_API AGORA_HANDLE agora_rtc_conn_create(AGORA_HANDLE svc, const rtc_conn_config* cfg) {
  if (!lb_reg_is(svc, K_SERVICE) || !((lb_service*)svc)->initialized) return NULL;
  lb_conn* c = calloc(1, sizeof *c);
  if (!c) return NULL;
  pthread_mutex_init(&c->mu, NULL);
  pthread_cond_init(&c->cv, NULL);
  c->serial = atomic_fetch_add(&g_lb.next_serial, 1) + 1;
  if (cfg) c->cfg = *cfg;
  else c->cfg = (rtc_conn_config){ .client_role_type = 1, .channel_profile = 1 };
  c->state = CONNECTION_STATE_DISCONNECTED;
  c->sub_all = c->cfg.auto_subscribe_audio != 0;
  c->vsub_all = c->cfg.auto_subscribe_video != 0;
  c->user_role = c->cfg.client_role_type;
  c->user.conn = c;
  lb_reg_add(c, K_CONN);
  lb_reg_add(&c->user, K_USER);
  lb_reg_add(&c->param, K_PARAM);
  lb_live_add(K_CONN, 1);
  lb_shard_add_conn(c);
  return c;
}

AGORA_API AGORA_HANDLE agora_rtc_conn_get_local_user(AGORA_HANDLE conn) {
  lb_conn* c = conn_of(conn);
  return c ? &c->user : NULL;
}

AGORA_API AGORA_HANDLE agora_rtc_conn_get_agora_parameter(AGORA_HANDLE conn) {
  lb_conn* c = conn_of(conn);
  return c ? &c->param : NULL;
}

/* Agora's allowed channel-name characters. */
static int valid_channel(const char* s) {
  size_t n = s ? strlen(s) : 0;
  if (n == 0 || n > LB_MAX_CHANNEL) return 0;
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == ' ') continue;
    if (!strchr("!#$%&()+-:;<=.>?@[]^_{|}~", ch)) return 0;
  }
  return 1;
}

static void read_faults(lb_conn* c) {
  pthread_mutex_lock(&g_lb.lock);
  int loss = g_lb.fault_loss, delay = g_lb.fault_delay, disc = g_lb.fault_disconnect, tok = g_lb.fault_token;
  pthread_mutex_unlock(&g_lb.lock);
  c->loss = loss >= 0 ? loss : env_int("AGORA_LOOPBACK_LOSS_PERCENT", 0);
  c->delay_ms = delay >= 0 ? delay : env_int("AGORA_LOOPBACK_DELAY_MS", 0);
  c->disconnect_after_ms = disc >= 0 ? disc : env_int("AGORA_LOOPBACK_DISCONNECT_AFTER_MS", 0);
  c->require_token = tok >= 0 ? tok : env_int("AGORA_LOOPBACK_REQUIRE_TOKEN", 0);
  c->rng = (uint64_t)env_int("AGORA_LOOPBACK_SEED", 1) * 0x9e3779b97f4a7c15ULL + c->serial;
  pthread_mutex_lock(&g_lb.lock);
  int pps = g_lb.limit_pps, bps = g_lb.limit_bps;
  pthread_mutex_unlock(&g_lb.lock);
  /* Agora's documented data-stream limits: 60 packets/s per stream, 30 KB/s per client (1 KB packets). */
  c->ds_pps = pps >= 0 ? pps : env_int("AGORA_LOOPBACK_STREAM_PACKETS_PER_SEC", 60);
  c->ds_bps = bps >= 0 ? bps : env_int("AGORA_LOOPBACK_STREAM_BYTES_PER_SEC", 30 * 1024);
  if (c->ds_pps > LB_DS_RING) c->ds_pps = LB_DS_RING;
  if (!c->rng) c->rng = 1;
}

/* Builds the rendezvous folder and this connection's socket path; 0 on success. */
static int make_paths(lb_conn* c, const char* app_id) {
  char base[LB_PATH_MAX];
  const char* dir = getenv("AGORA_LOOPBACK_DIR");
  if (dir && *dir) snprintf(base, sizeof base, "%s", dir);
  else snprintf(base, sizeof base, "/tmp/agora-loopback-%u", (unsigned)getuid());
  uint64_t h = lb_fnv1a64(app_id, strlen(app_id), 0xcbf29ce484222325ULL);
  h = lb_fnv1a64("\n", 1, h);
  h = lb_fnv1a64(c->channel, strlen(c->channel), h);
  int n1 = snprintf(c->folder, sizeof c->folder, "%s/%016llx", base, (unsigned long long)h);
  int n2 = snprintf(c->sock_path, sizeof c->sock_path, "%s/%d-%llu.sock", c->folder, (int)getpid(),
                    (unsigned long long)c->serial);
  if (n1 < 0 || n2 < 0 || (size_t)n2 >= sizeof c->sock_path) return -1;
  mkdir(base, 0700);
  if (mkdir(c->folder, 0700) != 0 && errno != EEXIST) return -1;
  return 0;
}

static char* app_id_copy(void) {
  pthread_mutex_lock(&g_lb.lock);
  char* id = g_lb.service && g_lb.service->app_id ? strdup(g_lb.service->app_id) : NULL;
  pthread_mutex_unlock(&g_lb.lock);
  return id;
}

/* Joins in process, then opens the socket and announces itself to other processes. */
static void join_channel(lb_conn* c, const char* app_id) {
  if (lb_channel_join(c, app_id) != 0) return;
  char folder[LB_PATH_MAX], path[LB_PATH_MAX];
  pthread_mutex_lock(&c->mu);
  int publishing = lb_conn_pub_flags(c);
  memcpy(folder, c->folder, sizeof folder);
  memcpy(path, c->sock_path, sizeof path);
  pthread_mutex_unlock(&c->mu);
  if (!path[0]) {
    fprintf(stderr, "agora-loopback: socket path too long or folder not writable; in-process only\n");
    return;
  }
  lb_sock* s = lb_sock_open(c, path);
  if (!s) return;
  pthread_mutex_lock(&c->mu);
  int still_joined = c->chan != NULL;
  if (still_joined) c->sock = s;
  pthread_mutex_unlock(&c->mu);
  if (!still_joined) { lb_sock_close(s); return; }
  lb_scan_and_join(c, folder, path, publishing);
}

AGORA_API int agora_rtc_conn_connect(AGORA_HANDLE conn, const char* token, const char* channel_id, user_id_t user_id) {
  lb_conn* c = conn_of(conn);
  if (!c) return -1;
  if (!valid_channel(channel_id) || !user_id || !user_id[0] || strlen(user_id) > LB_MAX_UID)
    return -ERR_INVALID_ARGUMENT;
  char* app_id = app_id_copy();
  if (!app_id) return -ERR_NOT_INITIALIZED;
  pthread_mutex_lock(&c->mu);
  if (c->state == CONNECTION_STATE_CONNECTING || c->state == CONNECTION_STATE_CONNECTED || c->chan) {
    pthread_mutex_unlock(&c->mu);
    free(app_id);
    return -ERR_JOIN_CHANNEL_REJECTED;
  }
  free(c->token); free(c->channel); free(c->user_id);
  c->token = strdup(token ? token : "");
  c->token_null = token == NULL;
  c->channel = strdup(channel_id);
  c->user_id = strdup(user_id);
  read_faults(c);
  if (make_paths(c, app_id) != 0) c->sock_path[0] = '\0';
  c->state = CONNECTION_STATE_CONNECTING;
  c->drop_at_ms = 0;
  int token_ok = !c->require_token || (token && token[0]);
  lb_conn_ev_push(c, EV_CONNECTING, 0, NULL, 0, NULL);
  lb_conn_ev_push(c, token_ok ? EV_CONNECTED : EV_FAILURE, CONNECTION_CHANGED_INVALID_TOKEN, NULL, 0, NULL);
  pthread_mutex_unlock(&c->mu);
  if (token_ok) join_channel(c, app_id);
  free(app_id);
  return 0;
}

AGORA_API int agora_rtc_conn_disconnect(AGORA_HANDLE conn) {
  lb_conn* c = conn_of(conn);
  if (!c) return -1;
  pthread_mutex_lock(&c->mu);
  int was = c->state;
  c->state = CONNECTION_STATE_DISCONNECTED;
  c->drop_at_ms = 0;
  if (was != CONNECTION_STATE_DISCONNECTED) lb_conn_purge_events(c);
  pthread_mutex_unlock(&c->mu);
  if (was == CONNECTION_STATE_DISCONNECTED) return 0;
  lb_channel_leave(c, USER_OFFLINE_QUIT);
  pthread_mutex_lock(&c->mu);
  uint64_t seq = lb_conn_ev_push(c, EV_DISCONNECTED, 0, NULL, 0, NULL);
  pthread_mutex_unlock(&c->mu);
  /* on_disconnected is delivered before this returns, so nothing of this session follows. */
  lb_conn_wait_event(c, seq);
  return 0;
}

AGORA_API int agora_rtc_conn_renew_token(AGORA_HANDLE conn, const char* token) {
  lb_conn* c = conn_of(conn);
  if (!c) return -1;
  if (!token) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&c->mu);
  free(c->token);
  c->token = strdup(token);
  pthread_mutex_unlock(&c->mu);
  return 0;
}

AGORA_API void agora_rtc_conn_destroy(AGORA_HANDLE conn) {
  lb_conn* c = conn_of(conn);
  if (!c) return;
  pthread_mutex_lock(&c->mu);
  int connected = c->state == CONNECTION_STATE_CONNECTING || c->state == CONNECTION_STATE_CONNECTED;
  int observers = c->has_co + c->has_uo + c->has_fo + c->nvobs + c->nveobs;
  lb_vobs* vobs[2 * LB_MAX_VOBS];
  int nv = 0;
  for (int i = 0; i < c->nvobs; i++) vobs[nv++] = c->vobs[i];
  for (int i = 0; i < c->nveobs; i++) vobs[nv++] = c->veobs[i];
  pthread_mutex_unlock(&c->mu);
  if (connected) lb_violation("agora_rtc_conn_destroy while connected (disconnect first)");
  if (observers) lb_violation("agora_rtc_conn_destroy with %d observer(s) still registered", observers);
  agora_rtc_conn_disconnect(c);
  lb_channel_leave(c, USER_OFFLINE_QUIT);   /* no-op unless a fault left it half-joined */
  lb_conn_unregister(c, OBS_CONN | OBS_USER | OBS_FRAME);
  for (int i = 0; i < nv; i++) lb_conn_unregister_vobs(c, vobs[i]);
  lb_reg_del(&c->param);
  lb_reg_del(&c->user);
  lb_reg_del(c);
  pthread_mutex_lock(&g_lb.pub_lock);
  for (int i = 0; i < c->npubs; i++) {
    lb_track* t = c->pubs[i];
    for (int j = 0; j < t->npubs; j++)
      if (t->pubs[j] == c) { t->pubs[j] = t->pubs[--t->npubs]; break; }
  }
  c->npubs = 0;
  for (int i = 0; i < c->nvpubs; i++) {
    lb_vtrack* t = c->vpubs[i];
    for (int j = 0; j < t->npubs; j++)
      if (t->pubs[j] == c) { t->pubs[j] = t->pubs[--t->npubs]; break; }
  }
  c->nvpubs = 0;
  pthread_mutex_unlock(&g_lb.pub_lock);
  lb_shard_del_conn(c);
  lb_live_add(K_CONN, -1);
  pthread_mutex_lock(&c->mu);
  if (lb_in_callback()) {
    c->dead = LB_DEAD_DEFERRED;   /* the worker frees it when it lets go */
    pthread_mutex_unlock(&c->mu);
    return;
  }
  c->dead = LB_DEAD_WAITED;
  while (c->holds > 0) pthread_cond_wait(&c->cv, &c->mu);
  pthread_mutex_unlock(&c->mu);
  lb_conn_free(c);
}

static int register_obs(lb_conn* c, int which, const void* obs, size_t size) {
  pthread_mutex_lock(&c->mu);
  int* has = which == OBS_CONN ? &c->has_co : which == OBS_USER ? &c->has_uo : &c->has_fo;
  void* dst = which == OBS_CONN ? (void*)&c->co : which == OBS_USER ? (void*)&c->uo : (void*)&c->fo;
  memcpy(dst, obs, size);
  if (!*has) lb_live_add(LB_KIND_OBSERVER, 1);
  *has = 1;
  pthread_mutex_unlock(&c->mu);
  return 0;
}

AGORA_API int agora_rtc_conn_register_observer(AGORA_HANDLE conn, rtc_conn_observer* observer) {
  lb_conn* c = conn_of(conn);
  if (!c || !observer) return -1;
  return register_obs(c, OBS_CONN, observer, sizeof *observer);
}

AGORA_API int agora_rtc_conn_unregister_observer(AGORA_HANDLE conn) {
  lb_conn* c = conn_of(conn);
  if (!c) return -1;
  lb_conn_unregister(c, OBS_CONN);
  return 0;
}

AGORA_API int agora_local_user_register_observer(AGORA_HANDLE local_user, local_user_observer* observer) {
  lb_conn* c = user_of(local_user);
  if (!c || !observer) return -1;
  return register_obs(c, OBS_USER, observer, sizeof *observer);
}

AGORA_API int agora_local_user_unregister_observer(AGORA_HANDLE local_user) {
  lb_conn* c = user_of(local_user);
  if (!c) return -1;
  lb_conn_unregister(c, OBS_USER);
  return 0;
}

AGORA_API int agora_local_user_register_audio_frame_observer(AGORA_HANDLE local_user, audio_frame_observer* observer) {
  lb_conn* c = user_of(local_user);
  if (!c || !observer) return -1;
  return register_obs(c, OBS_FRAME, observer, sizeof *observer);
}

AGORA_API int agora_local_user_unregister_audio_frame_observer(AGORA_HANDLE local_user) {
  lb_conn* c = user_of(local_user);
  if (!c) return -1;
  lb_conn_unregister(c, OBS_FRAME);
  return 0;
}

/* ---- data streams and metadata ---- */

AGORA_API int agora_rtc_conn_create_data_stream(AGORA_HANDLE conn, int* stream_id, int reliable, int ordered) {
  (void)reliable; (void)ordered;
  lb_conn* c = conn_of(conn);
  if (!c) return -1;
  if (!stream_id) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&c->mu);
  int id = c->nstreams < LB_MAX_STREAMS ? ++c->nstreams : -1;
  pthread_mutex_unlock(&c->mu);
  if (id < 0) return -ERR_INVALID_ARGUMENT;
  *stream_id = id;
  return 0;
}

AGORA_API int agora_rtc_conn_send_stream_message(AGORA_HANDLE conn, int stream_id, const char* data, uint32_t length) {
  lb_conn* c = conn_of(conn);
  if (!c) return -1;
  pthread_mutex_lock(&c->mu);
  int known = stream_id >= 1 && stream_id <= c->nstreams;
  int joined = c->state == CONNECTION_STATE_CONNECTED && c->chan;
  int rc = !known || !data || length == 0 || length > LB_MAX_MSG ? -ERR_INVALID_ARGUMENT
         : !joined ? -ERR_NOT_IN_CHANNEL : lb_conn_ds_admit(c, stream_id, length);
  pthread_mutex_unlock(&c->mu);
  if (rc != 0) return rc;
  lb_peer_msg m = { .kind = WIRE_STREAM, .stream_id = stream_id, .data = data, .len = length };
  lb_conn_send_msg(c, &m);
  return 0;
}

AGORA_API int agora_local_user_send_audio_meta_data(AGORA_HANDLE local_user, const char* meta_data, size_t length) {
  lb_conn* c = user_of(local_user);
  if (!c) return -1;
  if (!meta_data || length == 0 || length > LB_MAX_MSG) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&c->mu);
  int joined = c->state == CONNECTION_STATE_CONNECTED && c->chan;
  pthread_mutex_unlock(&c->mu);
  if (!joined) return -ERR_NOT_IN_CHANNEL;
  lb_peer_msg m = { .kind = WIRE_METADATA, .data = meta_data, .len = length };
  lb_conn_send_msg(c, &m);
  return 0;
}

AGORA_API int agora_rtc_conn_enable_encryption(AGORA_HANDLE conn, int enabled, const encryption_config* config) {
  lb_conn* c = conn_of(conn);
  if (!c) return -1;
  if (enabled && (!config || config->encryption_mode < 1 || config->encryption_mode > 8)) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&c->mu);
  c->encryption = enabled ? config->encryption_mode : 0;
  pthread_mutex_unlock(&c->mu);
  return 0;
}

AGORA_API rtc_conn_info* agora_rtc_conn_get_conn_info(AGORA_HANDLE conn) {
  lb_conn* c = conn_of(conn);
  if (!c) return NULL;
  pthread_mutex_lock(&c->mu);
  int state = c->state;
  pthread_mutex_unlock(&c->mu);
  return lb_conn_info_new(c, state);
}

AGORA_API void agora_rtc_conn_destroy_conn_info(AGORA_HANDLE conn, rtc_conn_info* info) {
  if (!conn_of(conn) || !info) return;
  lb_conn_info_free(info);
}

/* ---- publishing ---- */

static int link_track(lb_conn* c, lb_track* t) {
  int rc = 0;
  pthread_mutex_lock(&g_lb.pub_lock);
  for (int i = 0; i < c->npubs; i++) if (c->pubs[i] == t) rc = 1;
  if (!rc && c->npubs == c->pubs_cap) {
    int cap = c->pubs_cap ? c->pubs_cap * 2 : 2;
    lb_track** p = realloc(c->pubs, (size_t)cap * sizeof *p);
    if (p) { c->pubs = p; c->pubs_cap = cap; } else rc = -1;
  }
  if (!rc && t->npubs == t->pubs_cap) {
    int cap = t->pubs_cap ? t->pubs_cap * 2 : 2;
    lb_conn** p = realloc(t->pubs, (size_t)cap * sizeof *p);
    if (p) { t->pubs = p; t->pubs_cap = cap; } else rc = -1;
  }
  if (!rc) { c->pubs[c->npubs++] = t; t->pubs[t->npubs++] = c; }
  pthread_mutex_unlock(&g_lb.pub_lock);
  return rc;
}

static int unlink_track(lb_conn* c, lb_track* t) {
  int found = 0;
  pthread_mutex_lock(&g_lb.pub_lock);
  for (int i = 0; i < c->npubs; i++)
    if (c->pubs[i] == t) { c->pubs[i] = c->pubs[--c->npubs]; found = 1; break; }
  for (int i = 0; found && i < t->npubs; i++)
    if (t->pubs[i] == c) { t->pubs[i] = t->pubs[--t->npubs]; break; }
  pthread_mutex_unlock(&g_lb.pub_lock);
  return found;
}

static void announce_publishing(lb_conn* c, int delta, int ev, void* track) {
  pthread_mutex_lock(&c->mu);
  int before = c->publishing > 0;
  c->publishing += delta;
  int after = c->publishing > 0;
  const char* ch = c->channel ? c->channel : "";
  lb_conn_ev_push(c, ev, 0, ch, strlen(ch) + 1, track);
  pthread_mutex_unlock(&c->mu);
  if (before != after) {
    lb_peer_msg m = { .kind = after ? WIRE_PUBLISH : WIRE_UNPUBLISH, .flag = after };
    extern void lb_conn_send_msg(lb_conn* c, lb_peer_msg* m);
    lb_conn_send_msg(c, &m);
  }
}

AGORA_API int agora_local_user_publish_audio(AGORA_HANDLE local_user, AGORA_HANDLE local_audio_track) {
  lb_conn* c = user_of(local_user);
  if (!c) return -1;
  if (!lb_reg_is(local_audio_track, K_TRACK)) return -ERR_INVALID_ARGUMENT;
  int rc = link_track(c, local_audio_track);
  if (rc < 0) return -ERR_FAILED;
  if (rc == 0) announce_publishing(c, 1, EV_PUBLISHED, local_audio_track);
  return 0;
}

AGORA_API int agora_local_user_unpublish_audio(AGORA_HANDLE local_user, AGORA_HANDLE local_audio_track) {
  lb_conn* c = user_of(local_user);
  if (!c) return -1;
  if (!lb_reg_is(local_audio_track, K_TRACK)) return -ERR_INVALID_ARGUMENT;
  if (unlink_track(c, local_audio_track)) announce_publishing(c, -1, EV_UNPUBLISHED, local_audio_track);
  return 0;
}

/* ---- subscriptions ---- */

static int subscription_change(void* local_user, const char* uid, int op) {
  lb_conn* c = user_of(local_user);
  if (!c) return -1;
  if ((op == 0 || op == 1) && (!uid || !uid[0])) return -ERR_INVALID_ARGUMENT;
  lb_conn_subscription(c, uid, op);
  return 0;
}

AGORA_API int agora_local_user_subscribe_audio(AGORA_HANDLE u, user_id_t uid) { return subscription_change(u, uid, 0); }
AGORA_API int agora_local_user_unsubscribe_audio(AGORA_HANDLE u, user_id_t uid) { return subscription_change(u, uid, 1); }
AGORA_API int agora_local_user_subscribe_all_audio(AGORA_HANDLE u) { return subscription_change(u, NULL, 2); }
AGORA_API int agora_local_user_unsubscribe_all_audio(AGORA_HANDLE u) { return subscription_change(u, NULL, 3); }

/* ---- local user settings ---- */

AGORA_API int agora_local_user_set_playback_audio_frame_before_mixing_parameters(AGORA_HANDLE local_user,
                                                                                 unsigned int channels,
                                                                                 unsigned int sample_rate_hz) {
  lb_conn* c = user_of(local_user);
  if (!c) return -1;
  int rate_ok = sample_rate_hz == 8000 || sample_rate_hz == 16000 || sample_rate_hz == 24000 ||
                sample_rate_hz == 32000 || sample_rate_hz == 44100 || sample_rate_hz == 48000;
  if ((channels != 1 && channels != 2) || !rate_ok) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&c->mu);
  c->pb_channels = (int)channels;
  c->pb_rate = (int)sample_rate_hz;
  pthread_mutex_unlock(&c->mu);
  return 0;
}

AGORA_API int agora_local_user_set_audio_volume_indication_parameters(AGORA_HANDLE local_user, int interval_in_ms,
                                                                      int smooth, bool report_vad) {
  lb_conn* c = user_of(local_user);
  if (!c) return -1;
  pthread_mutex_lock(&c->mu);
  c->vol_interval = interval_in_ms;
  c->vol_smooth = smooth;
  c->vol_vad = report_vad;
  c->vol_next_ms = lb_now_ms() + (interval_in_ms > 0 ? interval_in_ms : 0);
  pthread_mutex_unlock(&c->mu);
  return 0;
}

AGORA_API int agora_local_user_set_audio_scenario(AGORA_HANDLE local_user, int scenario) {
  lb_conn* c = user_of(local_user);
  if (!c) return -1;
  if (scenario < 0 || scenario > 10) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&c->mu);
  c->audio_scenario = scenario;
  pthread_mutex_unlock(&c->mu);
  return 0;
}

AGORA_API void agora_local_user_set_user_role(AGORA_HANDLE local_user, int role) {
  lb_conn* c = user_of(local_user);
  if (!c || (role != 1 && role != 2)) return;
  pthread_mutex_lock(&c->mu);
  c->user_role = role;
  pthread_mutex_unlock(&c->mu);
}

AGORA_API int agora_local_user_get_user_role(AGORA_HANDLE local_user) {
  lb_conn* c = user_of(local_user);
  if (!c) return -1;
  pthread_mutex_lock(&c->mu);
  int role = c->user_role;
  pthread_mutex_unlock(&c->mu);
  return role;
}

/* ---- test API: counters and recorded values ---- */

#define CONN_COUNTER(name, field)                   \
  LB_API long long name(void* conn) {               \
    lb_conn* c = conn_of(conn);                     \
    return c ? atomic_load(&c->field) : -1;         \
  }
CONN_COUNTER(loopback_conn_frames_received, received)
CONN_COUNTER(loopback_conn_frames_delivered, delivered)
CONN_COUNTER(loopback_conn_underruns, underruns)
CONN_COUNTER(loopback_conn_frames_lost, lost)
CONN_COUNTER(loopback_conn_video_frames_received, vreceived)
CONN_COUNTER(loopback_conn_video_frames_delivered, vdelivered)
CONN_COUNTER(loopback_conn_video_frames_dropped, vdropped)
CONN_COUNTER(loopback_conn_encoded_video_frames_delivered, edelivered)

LB_API long long loopback_conn_stream_rejected(void* conn) {
  lb_conn* c = conn_of(conn);
  if (!c) return -1;
  pthread_mutex_lock(&c->mu);
  long long n = c->ds_rejected_rate + c->ds_rejected_bytes;
  pthread_mutex_unlock(&c->mu);
  return n;
}

static int conn_key(lb_conn* c, const char* key, char* out, size_t len) {
  const rtc_conn_config* k = &c->cfg;
  const audio_subscription_options* a = &k->audio_subs_options;
  struct { const char* name; long long v; } ints[] = {
    {"conn.auto_subscribe_audio", k->auto_subscribe_audio}, {"conn.auto_subscribe_video", k->auto_subscribe_video},
    {"conn.enable_audio_recording_or_playout", k->enable_audio_recording_or_playout},
    {"conn.max_send_bitrate", k->max_send_bitrate}, {"conn.min_port", k->min_port}, {"conn.max_port", k->max_port},
    {"conn.audio_subs.packet_only", a->packet_only}, {"conn.audio_subs.pcm_data_only", a->pcm_data_only},
    {"conn.audio_subs.bytes_per_sample", a->bytes_per_sample},
    {"conn.audio_subs.number_of_channels", a->number_of_channels},
    {"conn.audio_subs.sample_rate_hz", a->sample_rate_hz}, {"conn.client_role_type", k->client_role_type},
    {"conn.channel_profile", k->channel_profile}, {"conn.audio_recv_media_packet", k->audio_recv_media_packet},
    {"conn.audio_recv_encoded_frame", k->audio_recv_encoded_frame},
    {"conn.video_recv_media_packet", k->video_recv_media_packet}, {"conn.state", c->state},
    {"conn.token_null", c->token_null}, {"conn.stream_packets_per_sec", c->ds_pps},
    {"conn.stream_bytes_per_sec", c->ds_bps},
  };
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
    if (!strcmp(key, ints[i].name)) { snprintf(out, len, "%lld", ints[i].v); return 0; }
  const char* s = !strcmp(key, "conn.token") ? c->token : !strcmp(key, "conn.channel") ? c->channel
                : !strcmp(key, "conn.user_id") ? c->user_id : NULL;
  if (!s) return -1;
  snprintf(out, len, "%s", s);
  return 0;
}

static int user_key(lb_conn* c, const char* key, char* out, size_t len) {
  if (!strcmp(key, "user.playback_before_mixing")) snprintf(out, len, "%d,%d", c->pb_channels, c->pb_rate);
  else if (!strcmp(key, "user.audio_scenario")) snprintf(out, len, "%d", c->audio_scenario);
  else if (!strcmp(key, "user.volume_indication"))
    snprintf(out, len, "%d,%d,%d", c->vol_interval, c->vol_smooth, c->vol_vad);
  else if (!strcmp(key, "user.user_role")) snprintf(out, len, "%d", c->user_role);
  else if (!strcmp(key, "user.video_subscription"))
    snprintf(out, len, "all=%d,encoded_only=%d,users=%d", c->vsub_all, c->vsub_all_encoded, c->vsub.n);
  else if (!strcmp(key, "user.video_observers")) snprintf(out, len, "%d,%d", c->nvobs, c->nveobs);
  else return -1;
  return 0;
}

int lb_conn_recorded(void* h, const char* key, char* buf, int buf_len) {
  int is_conn = !strncmp(key, "conn.", 5), is_user = !strncmp(key, "user.", 5);
  lb_conn* c = is_conn ? conn_of(h) : is_user ? user_of(h) : NULL;
  if (!c) return -1;
  char out[1100];
  pthread_mutex_lock(&c->mu);
  int rc = is_conn ? conn_key(c, key, out, sizeof out) : user_key(c, key, out, sizeof out);
  pthread_mutex_unlock(&c->mu);
  return rc < 0 ? -1 : lb_write_text(buf, buf_len, out);
}
