/*
 * Connections and their local users: the API functions, the per-connection event queue, and
 * the worker-side tick that dispatches events and plays out received audio.
 *
 * Callback discipline: callbacks run only on the connection's worker thread, never with any
 * library lock held. cb_enter() snapshots the observers and marks the connection busy under
 * c->mu; the unregister/disconnect/destroy functions clear the observer and then wait until
 * the connection is not busy (unless called from that very callback), so no callback of an
 * observer runs after its unregister returns.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lb_internal.h"


static __thread lb_conn* tl_cb_conn;   /* connection whose callback runs on this thread */

typedef struct obs_snap {
  int has_co, has_uo, has_fo;
  rtc_conn_observer co;
  local_user_observer uo;
  audio_frame_observer fo;
  int nvobs, nveobs;
  struct { void* h; video_frame_observer2 fn; } vobs[LB_MAX_VOBS];
  struct { void* h; video_encoded_frame_observer fn; } veobs[LB_MAX_VOBS];
} obs_snap;


/* ---- small string list for subscribe/unsubscribe ---- */

static int sl_find(const lb_strlist* l, const char* s) {
  for (int i = 0; i < l->n; i++) if (strcmp(l->v[i], s) == 0) return i;
  return -1;
}
static void sl_add(lb_strlist* l, const char* s) {
  if (sl_find(l, s) >= 0) return;
  if (l->n == l->cap) {
    int cap = l->cap ? l->cap * 2 : 4;
    char** v = realloc(l->v, (size_t)cap * sizeof *v);
    if (!v) return;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = strdup(s);
}
static void sl_del(lb_strlist* l, const char* s) {
  int i = sl_find(l, s);
  if (i < 0) return;
  free(l->v[i]);
  l->v[i] = l->v[--l->n];
}
static void sl_clear(lb_strlist* l) {
  for (int i = 0; i < l->n; i++) free(l->v[i]);
  l->n = 0;
}

/* ---- lifetime ---- */

void lb_conn_hold(lb_conn* c) {
  pthread_mutex_lock(&c->mu);
  c->holds++;
  pthread_mutex_unlock(&c->mu);
}

int lb_conn_release(lb_conn* c) {
  pthread_mutex_lock(&c->mu);
  int last = --c->holds == 0;
  int free_now = last && c->dead == LB_DEAD_DEFERRED;
  if (last) pthread_cond_broadcast(&c->cv);
  pthread_mutex_unlock(&c->mu);
  return free_now;
}

static void ev_free_all(lb_conn* c) {
  while (c->ev_head) {
    lb_event* e = c->ev_head;
    c->ev_head = e->next;
    free(e->uid);
    free(e);
  }
  c->ev_tail = NULL;
  c->ev_done = c->ev_pushed;
}

void lb_conn_free(lb_conn* c) {
  ev_free_all(c);
  lb_remote_free_all(c);
  while (c->dead_tracks) {
    lb_remote_track* t = c->dead_tracks;
    c->dead_tracks = t->next;
    lb_reg_del(t);
    free(t);
  }
  sl_clear(&c->sub); free(c->sub.v);
  sl_clear(&c->vsub); free(c->vsub.v);
  sl_clear(&c->vunsub); free(c->vunsub.v);
  sl_clear(&c->vsub_encoded); free(c->vsub_encoded.v);
  free(c->vpubs);
  sl_clear(&c->unsub); free(c->unsub.v);
  free(c->token); free(c->channel); free(c->user_id);
  free(c->pubs);
  pthread_mutex_destroy(&c->mu);
  pthread_cond_destroy(&c->cv);
  free(c);
}

/* ---- events ---- */

/* Queues an event; called with c->mu held. Returns its sequence number. */
static uint64_t ev_push(lb_conn* c, int type, int a, int b, const char* uid, const void* data, size_t len,
                        void* ptr, int delay_ms) {
  lb_event* e = calloc(1, sizeof *e + len);
  if (!e) return 0;
  e->type = type; e->a = a; e->b = b; e->ptr = ptr; e->len = len;
  e->uid = uid ? strdup(uid) : NULL;
  if (len) memcpy(e->data, data, len);
  e->ready_ms = lb_now_ms() + delay_ms;
  e->seq = ++c->ev_pushed;
  if (c->ev_tail) c->ev_tail->next = e; else c->ev_head = e;
  c->ev_tail = e;
  return e->seq;
}

static void cb_enter(lb_conn* c, obs_snap* s) {
  pthread_mutex_lock(&c->mu);
  s->has_co = c->has_co; s->has_uo = c->has_uo; s->has_fo = c->has_fo;
  if (s->has_co) s->co = c->co;
  if (s->has_uo) s->uo = c->uo;
  if (s->has_fo) s->fo = c->fo;
  s->nvobs = c->nvobs;
  for (int i = 0; i < c->nvobs; i++) { s->vobs[i].h = c->vobs[i]; s->vobs[i].fn = c->vobs[i]->raw; }
  s->nveobs = c->nveobs;
  for (int i = 0; i < c->nveobs; i++) { s->veobs[i].h = c->veobs[i]; s->veobs[i].fn = c->veobs[i]->enc; }
  c->cb_running = 1;
  c->cb_thread = pthread_self();
  pthread_mutex_unlock(&c->mu);
  tl_cb_conn = c;
}

static void cb_exit(lb_conn* c) {
  tl_cb_conn = NULL;
  pthread_mutex_lock(&c->mu);
  c->cb_running = 0;
  pthread_cond_broadcast(&c->cv);
  pthread_mutex_unlock(&c->mu);
}

/*
 * True on a worker thread inside any callback. Waiting there (for this or another connection
 * of the same worker) could deadlock, so the blocking API functions skip their waits.
 */
int lb_in_callback(void) { return tl_cb_conn != NULL; }

/* Waits until no callback of c runs on another thread; called with c->mu held. */
static void wait_not_in_callback(lb_conn* c) {
  if (lb_in_callback()) return;
  while (c->cb_running && !pthread_equal(c->cb_thread, pthread_self())) pthread_cond_wait(&c->cv, &c->mu);
}

void lb_conn_unregister(lb_conn* c, int which) {
  pthread_mutex_lock(&c->mu);
  if ((which & OBS_CONN) && c->has_co) { c->has_co = 0; lb_live_add(LB_KIND_OBSERVER, -1); }
  if ((which & OBS_USER) && c->has_uo) { c->has_uo = 0; lb_live_add(LB_KIND_OBSERVER, -1); }
  if ((which & OBS_FRAME) && c->has_fo) { c->has_fo = 0; lb_live_add(LB_KIND_OBSERVER, -1); }
  wait_not_in_callback(c);
  pthread_mutex_unlock(&c->mu);
}

uint64_t lb_conn_ev_push(lb_conn* c, int type, int a, const char* data, size_t len, void* ptr) {
  return ev_push(c, type, a, 0, NULL, data, len, ptr, 0);
}

void lb_conn_purge_events(lb_conn* c) { ev_free_all(c); }

/* Waits until the worker has dispatched event seq (and its callback returned). */
void lb_conn_wait_event(lb_conn* c, uint64_t seq) {
  pthread_mutex_lock(&c->mu);
  if (!lb_in_callback())
    while (c->ev_done < seq) pthread_cond_wait(&c->cv, &c->mu);
  pthread_mutex_unlock(&c->mu);
}

static uint32_t hash32(const char* s) {
  uint64_t h = lb_fnv1a64(s, strlen(s), 0xcbf29ce484222325ULL);
  return (uint32_t)(h ^ (h >> 32));
}

/* A fresh rtc_conn_info for one callback; freed right after it (so a kept pointer is caught). */
rtc_conn_info* lb_conn_info_new(lb_conn* c, int state) {
  pthread_mutex_lock(&c->mu);
  const char* ch = c->channel ? c->channel : "";
  const char* uid = c->user_id ? c->user_id : "";
  size_t lch = strlen(ch) + 1, luid = strlen(uid) + 1;
  rtc_conn_info* info = malloc(sizeof *info + lch + luid);
  if (info) {
    char* p = (char*)(info + 1);
    memcpy(p, ch, lch);
    memcpy(p + lch, uid, luid);
    info->id = (conn_id_t)c->serial;
    info->channel_id = p;
    info->state = state;
    info->local_user_id = p + lch;
    info->internal_uid = hash32(uid);
  }
  pthread_mutex_unlock(&c->mu);
  if (info) lb_live_add(LB_KIND_CONN_INFO, 1);
  return info;
}

void lb_conn_info_free(rtc_conn_info* info) {
  if (!info) return;
  free(info);
  lb_live_add(LB_KIND_CONN_INFO, -1);
}

static void set_state(lb_conn* c, int state, int only_if) {
  pthread_mutex_lock(&c->mu);
  if (!only_if || c->state == only_if) c->state = state;
  if (state == CONNECTION_STATE_CONNECTED && c->state == state && c->disconnect_after_ms > 0)
    c->drop_at_ms = lb_now_ms() + c->disconnect_after_ms;
  pthread_mutex_unlock(&c->mu);
}

static void dispatch_conn_state(lb_conn* c, const obs_snap* s, const lb_event* e) {
  int st = e->type == EV_CONNECTING ? CONNECTION_STATE_CONNECTING
         : e->type == EV_CONNECTED ? CONNECTION_STATE_CONNECTED
         : e->type == EV_DISCONNECTED ? CONNECTION_STATE_DISCONNECTED : CONNECTION_STATE_FAILED;
  if (!s->has_co) return;
  rtc_conn_info* info = lb_conn_info_new(c, st);
  if (!info) return;
  switch (e->type) {
    case EV_CONNECTING: if (s->co.on_connecting) s->co.on_connecting(c, info, CONNECTION_CHANGED_CONNECTING); break;
    case EV_CONNECTED: if (s->co.on_connected) s->co.on_connected(c, info, CONNECTION_CHANGED_JOIN_SUCCESS); break;
    case EV_DISCONNECTED:
      if (s->co.on_disconnected) s->co.on_disconnected(c, info, CONNECTION_CHANGED_LEAVE_CHANNEL);
      break;
    case EV_FAILURE: if (s->co.on_connection_failure) s->co.on_connection_failure(c, info, e->a); break;
    case EV_LOST: if (s->co.on_connection_lost) s->co.on_connection_lost(c, info); break;
    default: break;
  }
  lb_conn_info_free(info);
}

static void dispatch(lb_conn* c, const lb_event* e) {
  if (e->type == EV_CONNECTED) set_state(c, CONNECTION_STATE_CONNECTED, CONNECTION_STATE_CONNECTING);
  if (e->type == EV_FAILURE) set_state(c, CONNECTION_STATE_FAILED, 0);
  obs_snap s;
  cb_enter(c, &s);
  void* u = &c->user;
  const char* chan = e->data;   /* publish events carry the channel name */
  switch (e->type) {
    case EV_USER_JOINED: if (s.has_co && s.co.on_user_joined) s.co.on_user_joined(c, e->uid); break;
    case EV_USER_LEFT: if (s.has_co && s.co.on_user_left) s.co.on_user_left(c, e->uid, e->a); break;
    case EV_STREAM_MSG:
      if (s.has_uo && s.uo.on_stream_message) s.uo.on_stream_message(u, e->uid, e->a, e->data, e->len);
      break;
    case EV_METADATA:
      if (s.has_uo && s.uo.on_audio_meta_data_received) s.uo.on_audio_meta_data_received(u, e->uid, e->data, e->len);
      break;
    case EV_PUBLISHED:
      if (s.has_uo && s.uo.on_audio_track_publish_success) s.uo.on_audio_track_publish_success(u, e->ptr);
      if (s.has_uo && s.uo.on_audio_publish_state_changed)
        s.uo.on_audio_publish_state_changed(u, chan, STREAM_PUBLISH_NO_PUBLISHED, STREAM_PUBLISH_PUBLISHED, 0);
      break;
    case EV_UNPUBLISHED:
      if (s.has_uo && s.uo.on_audio_track_unpublished) s.uo.on_audio_track_unpublished(u, e->ptr);
      if (s.has_uo && s.uo.on_audio_publish_state_changed)
        s.uo.on_audio_publish_state_changed(u, chan, STREAM_PUBLISH_PUBLISHED, STREAM_PUBLISH_NO_PUBLISHED, 0);
      break;
    case EV_VPUBLISHED:
      if (s.has_uo && s.uo.on_video_track_publish_success) s.uo.on_video_track_publish_success(u, e->ptr);
      if (s.has_uo && s.uo.on_video_publish_state_changed)
        s.uo.on_video_publish_state_changed(u, chan, STREAM_PUBLISH_NO_PUBLISHED, STREAM_PUBLISH_PUBLISHED, 0);
      break;
    case EV_VUNPUBLISHED:
      if (s.has_uo && s.uo.on_video_track_unpublished) s.uo.on_video_track_unpublished(u, e->ptr);
      if (s.has_uo && s.uo.on_video_publish_state_changed)
        s.uo.on_video_publish_state_changed(u, chan, STREAM_PUBLISH_PUBLISHED, STREAM_PUBLISH_NO_PUBLISHED, 0);
      break;
    default: dispatch_conn_state(c, &s, e); break;
  }
  cb_exit(c);
}

/* Dispatches every queued event that is due, in order (a delayed one holds back later ones). */
static void dispatch_events(lb_conn* c, int64_t now) {
  for (;;) {
    pthread_mutex_lock(&c->mu);
    lb_event* e = c->ev_head;
    if (!e || e->ready_ms > now) { pthread_mutex_unlock(&c->mu); return; }
    c->ev_head = e->next;
    if (!c->ev_head) c->ev_tail = NULL;
    pthread_mutex_unlock(&c->mu);
    dispatch(c, e);
    pthread_mutex_lock(&c->mu);
    if (e->seq > c->ev_done) c->ev_done = e->seq;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    free(e->uid);
    free(e);
  }
}

/* ---- remote users (called with c->mu held) ---- */

static int is_subscribed(lb_conn* c, const char* uid) {
  if (sl_find(&c->sub, uid) >= 0) return 1;
  return c->sub_all && sl_find(&c->unsub, uid) < 0;
}

static int is_vsubscribed(lb_conn* c, const char* uid) {
  if (sl_find(&c->vsub, uid) >= 0) return 1;
  return c->vsub_all && sl_find(&c->vunsub, uid) < 0;
}

static int is_vencoded_only(lb_conn* c, const char* uid) {
  if (sl_find(&c->vsub, uid) >= 0) return sl_find(&c->vsub_encoded, uid) >= 0;
  return c->vsub_all_encoded;
}

int lb_conn_pub_flags(lb_conn* c) {
  return (c->publishing > 0 ? LB_PUB_AUDIO : 0) | (c->vpublishing > 0 ? LB_PUB_VIDEO : 0);
}

static lb_remote* remote_find(lb_conn* c, const char* uid) {
  for (lb_remote* r = c->remotes; r; r = r->next)
    if (strcmp(r->uid, uid) == 0) return r;
  return NULL;
}

static void remote_flush(lb_remote* r) {
  for (int i = 0; i < r->qn; i++) lb_frame_unref(r->q[(r->qh + i) % LB_JB_CAP].f);
  r->qh = r->qn = 0;
  r->playing = 0;
  r->starved_ms = 0;
  r->last_more = 0;
}

static void remote_vflush(lb_remote* r) {
  for (int i = 0; i < r->vqn; i++) lb_vframe_unref(r->vq[(r->vqh + i) % LB_VQ_CAP]);
  r->vqh = r->vqn = 0;
}

static void remote_unlink(lb_conn* c, lb_remote* r) {
  lb_remote** pp = &c->remotes;
  while (*pp != r) pp = &(*pp)->next;
  *pp = r->next;
  remote_flush(r);
  remote_vflush(r);
  r->track->next = c->dead_tracks;   /* the app may still hold the handle as a key */
  c->dead_tracks = r->track;
  r->vtrack->next = c->dead_tracks;
  c->dead_tracks = r->vtrack;
  free(r);
}

void lb_remote_free_all(lb_conn* c) {
  while (c->remotes) remote_unlink(c, c->remotes);
}

static void refresh_subscriptions(lb_conn* c) {
  for (lb_remote* r = c->remotes; r; r = r->next) {
    int sub = is_subscribed(c, r->uid);
    if (r->subscribed && !sub) { remote_flush(r); r->sub_fired = 0; }
    r->subscribed = sub;
    int vsub = is_vsubscribed(c, r->uid);
    if (r->vsubscribed && !vsub) { remote_vflush(r); r->vsub_fired = 0; }
    r->vsubscribed = vsub;
    r->vencoded_only = is_vencoded_only(c, r->uid);
  }
}

static lb_remote* remote_add(lb_conn* c, const lb_peer_msg* m) {
  lb_remote* r = calloc(1, sizeof *r);
  lb_remote_track* t = calloc(1, sizeof *t);
  lb_remote_track* vt = calloc(1, sizeof *vt);
  if (!r || !t || !vt) { free(r); free(t); free(vt); return NULL; }
  snprintf(r->uid, sizeof r->uid, "%s", m->uid);
  snprintf(r->path, sizeof r->path, "%s", m->path ? m->path : "");
  r->publishing = (m->flag & LB_PUB_AUDIO) != 0;
  r->vpublishing = (m->flag & LB_PUB_VIDEO) != 0;
  r->subscribed = is_subscribed(c, r->uid);
  r->vsubscribed = is_vsubscribed(c, r->uid);
  r->vencoded_only = is_vencoded_only(c, r->uid);
  lb_reg_add(t, K_REMOTE_TRACK);
  lb_reg_add(vt, K_REMOTE_VTRACK);
  r->track = t;
  r->vtrack = vt;
  r->next = c->remotes;
  c->remotes = r;
  return r;
}

static void remote_enqueue_audio(lb_conn* c, lb_remote* r, lb_frame* f) {
  if (r->have_seq && f->seq != r->last_seq + 1 && f->seq > r->last_seq)
    atomic_fetch_add(&c->lost, (long long)(f->seq - r->last_seq - 1));
  r->last_seq = f->seq;
  r->have_seq = 1;
  if (!r->subscribed || !r->publishing) return;
  if (r->qn == LB_JB_CAP) {   /* overflow: drop the oldest, the receiver is not keeping up */
    lb_frame_unref(r->q[r->qh].f);
    r->qh = (r->qh + 1) % LB_JB_CAP;
    r->qn--;
  }
  lb_frame_ref(f);
  r->q[(r->qh + r->qn) % LB_JB_CAP] = (lb_jb_entry){ f, lb_now_ms() + c->delay_ms };
  r->qn++;
  r->last_more = f->more_follows;
}

/* Entry point for every peer message, from either path. Locks c->mu; never calls back. */
void lb_conn_on_peer_msg(lb_conn* c, const lb_peer_msg* m) {
  pthread_mutex_lock(&c->mu);
  lb_remote* r = c->chan ? remote_find(c, m->uid) : NULL;
  if (!c->chan) { pthread_mutex_unlock(&c->mu); return; }
  switch (m->kind) {
    case WIRE_JOIN:
    case WIRE_HELLO:
      if (!r && remote_add(c, m)) ev_push(c, EV_USER_JOINED, 0, 0, m->uid, NULL, 0, NULL, 0);
      break;
    case WIRE_LEAVE:
      if (r && (!m->path[0] || strcmp(r->path, m->path) == 0)) {
        remote_unlink(c, r);
        ev_push(c, EV_USER_LEFT, m->flag, 0, m->uid, NULL, 0, NULL, 0);
      }
      break;
    case WIRE_PUBLISH:
    case WIRE_UNPUBLISH:
      if (r) {
        r->publishing = m->kind == WIRE_PUBLISH;
        if (!r->publishing) { remote_flush(r); r->sub_fired = 0; }
      }
      break;
    case WIRE_VPUBLISH:
    case WIRE_VUNPUBLISH:
      if (r) {
        r->vpublishing = m->kind == WIRE_VPUBLISH;
        if (!r->vpublishing) { remote_vflush(r); r->vsub_fired = 0; }
      }
      break;
    case WIRE_VIDEO:
      atomic_fetch_add(&c->vreceived, 1);
      if (r && r->vsubscribed && r->vpublishing && m->vframe) {
        if (r->vqn == LB_VQ_CAP) {   /* the receiver is not keeping up: drop the oldest, as a jitter buffer does */
          lb_vframe_unref(r->vq[r->vqh]);
          r->vqh = (r->vqh + 1) % LB_VQ_CAP;
          r->vqn--;
          atomic_fetch_add(&c->vdropped, 1);
        }
        lb_vframe_ref(m->vframe);
        r->vq[(r->vqh + r->vqn) % LB_VQ_CAP] = m->vframe;
        r->vqn++;
      }
      break;
    case WIRE_AUDIO:
      atomic_fetch_add(&c->received, 1);
      if (r) remote_enqueue_audio(c, r, m->frame);
      break;
    case WIRE_STREAM:
      ev_push(c, EV_STREAM_MSG, m->stream_id, 0, m->uid, m->data, m->len, NULL, c->delay_ms);
      break;
    case WIRE_METADATA:
      ev_push(c, EV_METADATA, 0, 0, m->uid, m->data, m->len, NULL, c->delay_ms);
      break;
    default: break;
  }
  pthread_mutex_unlock(&c->mu);
}

/* ---- sending ---- */

static int roll_loss(lb_conn* c) {
  if (c->loss <= 0) return 0;
  c->rng ^= c->rng << 13; c->rng ^= c->rng >> 7; c->rng ^= c->rng << 17;   /* xorshift64 */
  return (int)(c->rng % 100) < c->loss;
}

/* Sends m from c to its channel, stamped with c's user id and socket path (copied under c->mu). */
void lb_conn_send_msg(lb_conn* c, lb_peer_msg* m) {
  char uid[LB_MAX_UID + 1], path[LB_PATH_MAX];
  pthread_mutex_lock(&c->mu);
  int joined = c->chan != NULL;
  snprintf(uid, sizeof uid, "%s", c->user_id ? c->user_id : "");
  memcpy(path, c->sock_path, sizeof path);
  pthread_mutex_unlock(&c->mu);
  if (!joined) return;
  m->uid = uid;
  m->path = path;
  lb_channel_send(c, m);
}

void lb_conn_broadcast_audio(lb_conn* c, lb_frame* f) {
  pthread_mutex_lock(&c->mu);
  int lost = roll_loss(c);
  pthread_mutex_unlock(&c->mu);
  if (lost) return;
  lb_peer_msg m = { .kind = WIRE_AUDIO, .flag = f->more_follows | (f->spurt_start ? 2 : 0), .frame = f };
  lb_conn_send_msg(c, &m);
}

void lb_each_publisher(lb_conn** const* pubs, const int* npubs, void (*send)(lb_conn*, void*), void* arg) {
  lb_conn* stack[8];
  lb_conn** conns = stack;
  pthread_mutex_lock(&g_lb.pub_lock);
  int n = *npubs;
  if (n > 8) conns = malloc((size_t)n * sizeof *conns);
  if (!conns) n = 0;
  for (int i = 0; i < n; i++) { conns[i] = (*pubs)[i]; lb_conn_hold(conns[i]); }
  pthread_mutex_unlock(&g_lb.pub_lock);
  for (int i = 0; i < n; i++) {
    send(conns[i], arg);
    if (lb_conn_release(conns[i])) lb_conn_free(conns[i]);
  }
  if (conns != stack) free(conns);
}

void lb_conn_broadcast_video(lb_conn* c, lb_vframe* f) {
  lb_peer_msg m = { .kind = WIRE_VIDEO, .vframe = f };
  lb_conn_send_msg(c, &m);
}

/* op as for audio; encoded_only is the subscription option of ops 0 and 2. */
void lb_conn_video_subscription(lb_conn* c, const char* uid, int op, int encoded_only) {
  pthread_mutex_lock(&c->mu);
  switch (op) {
    case 0:
      sl_add(&c->vsub, uid); sl_del(&c->vunsub, uid);
      if (encoded_only) sl_add(&c->vsub_encoded, uid); else sl_del(&c->vsub_encoded, uid);
      break;
    case 1: sl_del(&c->vsub, uid); sl_del(&c->vsub_encoded, uid); sl_add(&c->vunsub, uid); break;
    case 2: c->vsub_all = 1; c->vsub_all_encoded = encoded_only; sl_clear(&c->vunsub); break;
    default: c->vsub_all = 0; sl_clear(&c->vsub); sl_clear(&c->vsub_encoded); break;
  }
  refresh_subscriptions(c);
  pthread_mutex_unlock(&c->mu);
}

/* Guards lb_vobs.registered. Order: vobs_lock -> conn.mu; never taken by a callback thread. */
static pthread_mutex_t vobs_lock = PTHREAD_MUTEX_INITIALIZER;

int lb_conn_register_vobs(lb_conn* c, lb_vobs* o) {
  int raw = o->hdr.kind == K_VOBS, rc = 0;
  pthread_mutex_lock(&vobs_lock);
  pthread_mutex_lock(&c->mu);
  int* n = raw ? &c->nvobs : &c->nveobs;
  lb_vobs** arr = raw ? c->vobs : c->veobs;
  if (o->registered == c) rc = 1;
  else if (o->registered) rc = -ERR_INVALID_ARGUMENT;   /* one local user per observer handle here */
  else if (*n == LB_MAX_VOBS) rc = -ERR_FAILED;
  else { arr[(*n)++] = o; o->registered = c; }
  pthread_mutex_unlock(&c->mu);
  pthread_mutex_unlock(&vobs_lock);
  if (rc == 0) lb_live_add(LB_KIND_OBSERVER, 1);
  return rc < 0 ? rc : 0;
}

int lb_conn_unregister_vobs(lb_conn* c, lb_vobs* o) {
  int raw = o->hdr.kind == K_VOBS, found = 0;
  pthread_mutex_lock(&vobs_lock);
  pthread_mutex_lock(&c->mu);
  int* n = raw ? &c->nvobs : &c->nveobs;
  lb_vobs** arr = raw ? c->vobs : c->veobs;
  for (int i = 0; i < *n; i++)
    if (arr[i] == o) { arr[i] = arr[--(*n)]; found = 1; break; }
  if (found) o->registered = NULL;
  pthread_mutex_unlock(&vobs_lock);
  if (found) {
    lb_live_add(LB_KIND_OBSERVER, -1);
    wait_not_in_callback(c);
  }
  pthread_mutex_unlock(&c->mu);
  return found ? 0 : -ERR_INVALID_ARGUMENT;
}

lb_conn* lb_vobs_registered_hold(lb_vobs* o) {
  pthread_mutex_lock(&vobs_lock);
  lb_conn* c = o->registered;
  if (c) lb_conn_hold(c);
  pthread_mutex_unlock(&vobs_lock);
  return c;
}

/* Sliding one-second windows: packets per stream, bytes per connection. c->mu held. */
int lb_conn_ds_admit(lb_conn* c, int stream_id, uint32_t length) {
  int64_t now = lb_now_ms();
  int s = stream_id - 1;
  while (c->ds_pkt_n[s] > 0 && now - c->ds_pkt_ms[s][c->ds_pkt_head[s]] >= 1000) {
    c->ds_pkt_head[s] = (c->ds_pkt_head[s] + 1) % LB_DS_RING;
    c->ds_pkt_n[s]--;
  }
  while (c->ds_sent_n > 0 && now - c->ds_sent[c->ds_sent_head].ms >= 1000) {
    c->ds_sent_head = (c->ds_sent_head + 1) % LB_DS_BYTES_RING;
    c->ds_sent_n--;
  }
  long long bytes = 0;
  for (int i = 0; i < c->ds_sent_n; i++) bytes += c->ds_sent[(c->ds_sent_head + i) % LB_DS_BYTES_RING].bytes;
  if ((c->ds_pps > 0 && c->ds_pkt_n[s] >= c->ds_pps) || c->ds_pkt_n[s] == LB_DS_RING ||
      c->ds_sent_n == LB_DS_BYTES_RING) {
    c->ds_rejected_rate++;
    return -ERR_TOO_OFTEN;
  }
  if (c->ds_bps > 0 && bytes + length > (long long)c->ds_bps) {
    c->ds_rejected_bytes++;
    return -ERR_BITRATE_LIMIT;
  }
  c->ds_pkt_ms[s][(c->ds_pkt_head[s] + c->ds_pkt_n[s]) % LB_DS_RING] = now;
  c->ds_pkt_n[s]++;
  int i = (c->ds_sent_head + c->ds_sent_n) % LB_DS_BYTES_RING;
  c->ds_sent[i].ms = now;
  c->ds_sent[i].bytes = (int)length;
  c->ds_sent_n++;
  return 0;
}

/* op: 0 subscribe uid, 1 unsubscribe uid, 2 subscribe all, 3 unsubscribe all. */
void lb_conn_subscription(lb_conn* c, const char* uid, int op) {
  pthread_mutex_lock(&c->mu);
  switch (op) {
    case 0: sl_add(&c->sub, uid); sl_del(&c->unsub, uid); break;
    case 1: sl_del(&c->sub, uid); sl_add(&c->unsub, uid); break;
    case 2: c->sub_all = 1; sl_clear(&c->unsub); break;
    default: c->sub_all = 0; sl_clear(&c->sub); break;
  }
  refresh_subscriptions(c);
  pthread_mutex_unlock(&c->mu);
}

/* ---- playout ---- */

typedef struct play_item {
  lb_remote_track* track;
  int first, samples, channels, rate, rms;
  char uid[LB_MAX_UID + 1];
  int16_t pcm[960];               /* 10 ms at 48 kHz stereo */
} play_item;

static __thread play_item* tl_items;
static __thread int tl_items_cap;

static play_item* items_reserve(int n) {
  if (n > tl_items_cap) {
    play_item* p = realloc(tl_items, (size_t)n * sizeof *p);
    if (!p) return NULL;
    tl_items = p;
    tl_items_cap = n;
  }
  return tl_items;
}

typedef struct vplay_item {
  lb_vframe* f;
  lb_remote_track* vtrack;
  int first, encoded_only;
  char uid[LB_MAX_UID + 1];
} vplay_item;

static __thread vplay_item* tl_vitems;
static __thread int tl_vitems_cap;

void lb_conn_thread_cleanup(void) {
  free(tl_items);
  tl_items = NULL;
  tl_items_cap = 0;
  free(tl_vitems);
  tl_vitems = NULL;
  tl_vitems_cap = 0;
}

/* Adaptive jitter buffer, as real RTC receivers have: a talk spurt starts playing once jb_target
 * frames are queued (or its last frame is). The target starts at LB_JB_MIN (lowest latency) and
 * grows by one frame, up to LB_JB_MAX, when audio resumes within LB_JB_LATE_MS of running dry
 * mid-spurt (a late frame: jitter). A stream that stops mid-spurt (a sender whose buffer was cleared
 * on barge-in) still counts an underrun, but the first frame the sender sends after its clear starts
 * a new talk spurt (RTP's marker bit: RFC 3551 4.1), so the gap before it is not jitter and does not
 * deepen the buffer, however soon the next answer starts; and the new spurt waits for jb_target
 * frames before it plays, as the first one did (a receiver adapts its playout delay at spurt
 * boundaries), even when it arrives before the cleared one's tail has played. The target shrinks by one after
 * LB_JB_SHRINK_FRAMES frames played without jitter (a cleared spurt does not restart that count, so a
 * stream interrupted every few seconds can still shrink back after one late frame). */
#define LB_JB_MIN 2
#define LB_JB_MAX 6
#define LB_JB_SHRINK_FRAMES 500
#define LB_JB_LATE_MS 200

/* How many frames r plays this tick (0, 1 or 2); updates the talk-spurt state. c->mu held. */
static int frames_due(lb_conn* c, lb_remote* r, int64_t now) {
  if (r->jb_target < LB_JB_MIN) r->jb_target = LB_JB_MIN;
  int ready = 0;
  while (ready < r->qn && r->q[(r->qh + ready) % LB_JB_CAP].ready_ms <= now) ready++;
  if (r->starved_ms && ready > 0) {
    if (!r->q[r->qh].f->spurt_start) {  /* the same spurt went on: the gap was jitter */
      r->jb_clean = 0;
      if (now - r->starved_ms <= LB_JB_LATE_MS && r->jb_target < LB_JB_MAX) r->jb_target++;
    }
    r->starved_ms = 0;
  }
  /* A new talk spurt builds its cushion again, even when it follows the last one's tail at once. */
  if (r->playing && ready > 0 && r->q[r->qh].f->spurt_start) r->playing = 0;
  if (!r->playing) {
    int last_queued_ends_spurt = ready > 0 && !r->q[(r->qh + ready - 1) % LB_JB_CAP].f->more_follows;
    if (ready >= r->jb_target || last_queued_ends_spurt) r->playing = 1;
    else return 0;
  }
  if (ready == 0) {
    if (r->last_more) {
      atomic_fetch_add(&c->underruns, 1);
      r->starved_ms = now;  /* jitter, or the sender's clear: the next frame tells (spurt_start) */
    }
    r->playing = 0;
    return 0;
  }
  if (++r->jb_clean >= LB_JB_SHRINK_FRAMES) {
    r->jb_clean = 0;
    if (r->jb_target > LB_JB_MIN) r->jb_target--;
  }
  return ready > r->jb_target + 3 ? 2 : 1;
}

LB_API int loopback_conn_set_loss(void* conn, int percent) {
  lb_conn* c = lb_reg_is(conn, K_CONN) ? conn : NULL;
  if (!c || percent < 0 || percent > 100) return -1;
  pthread_mutex_lock(&c->mu);
  c->loss = percent;
  pthread_mutex_unlock(&c->mu);
  return 0;
}

static int remote_field(void* conn, const char* uid, int queued) {
  lb_conn* c = lb_reg_is(conn, K_CONN) ? conn : NULL;
  if (!c || !uid) return -1;
  pthread_mutex_lock(&c->mu);
  lb_remote* r = remote_find(c, uid);
  int v = !r ? -1 : queued ? r->qn : r->jb_target < LB_JB_MIN ? LB_JB_MIN : r->jb_target;
  pthread_mutex_unlock(&c->mu);
  return v;
}

LB_API int loopback_conn_jitter_target(void* conn, const char* uid) { return remote_field(conn, uid, 0); }
LB_API int loopback_conn_jitter_queued(void* conn, const char* uid) { return remote_field(conn, uid, 1); }

static void fill_item(lb_conn* c, lb_remote* r, play_item* it) {
  lb_frame* f = r->q[r->qh].f;
  r->qh = (r->qh + 1) % LB_JB_CAP;
  r->qn--;
  it->rate = c->pb_rate ? c->pb_rate : f->rate;
  it->channels = c->pb_channels ? c->pb_channels : f->channels;
  it->samples = lb_convert(&r->rs, f, it->rate, it->channels, it->pcm);
  double rms = lb_rms(it->pcm, it->samples * it->channels);
  it->rms = lb_rms_to_label(rms);
  int vol = lb_rms_to_volume(rms);
  if (vol > r->vol_max) r->vol_max = vol;
  r->vol_played = 1;
  it->track = r->track;
  it->first = !r->sub_fired;
  r->sub_fired = 1;
  memcpy(it->uid, r->uid, sizeof it->uid);
  lb_frame_unref(f);
}

static int collect_playout(lb_conn* c, int64_t now, char* chan, size_t chan_len) {
  pthread_mutex_lock(&c->mu);
  int n = 0, cap = 0;
  for (lb_remote* r = c->remotes; r; r = r->next) cap += 2;
  play_item* items = c->chan && cap ? items_reserve(cap) : NULL;
  if (items) {
    snprintf(chan, chan_len, "%s", c->channel);
    for (lb_remote* r = c->remotes; r; r = r->next) {
      if (!r->subscribed || !r->publishing) continue;
      for (int k = frames_due(c, r, now); k > 0; k--) fill_item(c, r, &items[n++]);
    }
  }
  pthread_mutex_unlock(&c->mu);
  return n;
}

static void deliver_item(lb_conn* c, const char* chan, play_item* it, int64_t now) {
  obs_snap s;
  cb_enter(c, &s);
  void* u = &c->user;
  if (it->first && s.has_uo) {
    if (s.uo.on_user_audio_track_subscribed) s.uo.on_user_audio_track_subscribed(u, it->uid, it->track);
    if (s.uo.on_audio_subscribe_state_changed)
      s.uo.on_audio_subscribe_state_changed(u, chan, it->uid, STREAM_SUBSCRIBE_SUBSCRIBING, STREAM_SUBSCRIBE_SUBSCRIBED, 0);
  }
  if (s.has_fo && s.fo.on_playback_audio_frame_before_mixing) {
    audio_frame af = { .type = 0, .samples_per_channel = it->samples, .bytes_per_sample = 2,
                       .channels = it->channels, .samples_per_sec = it->rate, .buffer = it->pcm,
                       .render_time_ms = now, .avsync_type = 0, .far_filed_flag = 1, .rms = it->rms };
    s.fo.on_playback_audio_frame_before_mixing(u, chan, it->uid, &af);
    atomic_fetch_add(&c->delivered, 1);
  }
  cb_exit(c);
}

static void playout(lb_conn* c, int64_t now) {
  char chan[LB_MAX_CHANNEL + 1];
  int n = collect_playout(c, now, chan, sizeof chan);
  for (int i = 0; i < n; i++) deliver_item(c, chan, &tl_items[i], now);
}

/* ---- video playout: every queued frame of every subscribed, publishing remote user ---- */

static int collect_video(lb_conn* c, char* chan, size_t chan_len) {
  pthread_mutex_lock(&c->mu);
  int n = 0, cap = 0;
  for (lb_remote* r = c->remotes; r; r = r->next) cap += r->vqn;
  if (!c->chan || cap == 0) { pthread_mutex_unlock(&c->mu); return 0; }
  if (cap > tl_vitems_cap) {
    vplay_item* p = realloc(tl_vitems, (size_t)cap * sizeof *p);
    if (!p) { pthread_mutex_unlock(&c->mu); return 0; }
    tl_vitems = p;
    tl_vitems_cap = cap;
  }
  snprintf(chan, chan_len, "%s", c->channel);
  for (lb_remote* r = c->remotes; r; r = r->next) {
    while (r->vqn > 0) {
      vplay_item* it = &tl_vitems[n++];
      it->f = r->vq[r->vqh];        /* the queue's reference moves to the item */
      r->vqh = (r->vqh + 1) % LB_VQ_CAP;
      r->vqn--;
      it->vtrack = r->vtrack;
      it->first = !r->vsub_fired;
      r->vsub_fired = 1;
      it->encoded_only = r->vencoded_only;
      memcpy(it->uid, r->uid, sizeof it->uid);
    }
  }
  pthread_mutex_unlock(&c->mu);
  return n;
}

static uid_t_agora numeric_uid(const char* s) {
  char* end;
  unsigned long v = strtoul(s, &end, 10);
  if (*s && !*end) return (uid_t_agora)v;
  uint64_t h = lb_fnv1a64(s, strlen(s), 0xcbf29ce484222325ULL);
  return (uid_t_agora)(h ^ (h >> 32));
}

static void deliver_video(lb_conn* c, const char* chan, vplay_item* it, int64_t now) {
  lb_vframe* f = it->f;
  obs_snap s;
  cb_enter(c, &s);
  void* u = &c->user;
  if (it->first && s.has_uo) {
    video_track_info info = { .is_local = 0, .owner_uid = numeric_uid(it->uid), .track_id = 1, .channel_id = chan,
                              .stream_type = 0, .codec_type = f->encoded ? f->info.codec_type : VIDEO_CODEC_H264,
                              .encoded_frame_only = it->encoded_only, .source_type = 0 };
    if (s.uo.on_user_video_track_subscribed) s.uo.on_user_video_track_subscribed(u, it->uid, &info, it->vtrack);
    if (s.uo.on_video_subscribe_state_changed)
      s.uo.on_video_subscribe_state_changed(u, chan, it->uid, STREAM_SUBSCRIBE_SUBSCRIBING, STREAM_SUBSCRIBE_SUBSCRIBED, 0);
    if (s.uo.on_first_remote_video_frame) s.uo.on_first_remote_video_frame(u, it->uid, f->width, f->height, 0);
  }
  if (!f->encoded && !it->encoded_only && s.nvobs > 0) {
    size_t ysz = (size_t)f->width * f->height, csz = ysz / 4;
    video_frame vf = { .type = VIDEO_PIXEL_I420, .width = f->width, .height = f->height, .y_stride = f->width,
                       .u_stride = f->width / 2, .v_stride = f->width / 2, .y_buffer = f->data,
                       .u_buffer = f->data + ysz, .v_buffer = f->data + ysz + csz, .rotation = f->rotation,
                       .render_time_ms = now, .avsync_type = 0,
                       .metadata_buffer = f->metadata_len ? f->data + f->image_len : NULL,
                       .metadata_size = f->metadata_len, .alpha_buffer = f->has_alpha ? f->data + ysz + 2 * csz : NULL,
                       .alpha_mode = f->alpha_mode };
    for (int i = 0; i < s.nvobs; i++)
      if (s.vobs[i].fn.on_frame) s.vobs[i].fn.on_frame(s.vobs[i].h, chan, it->uid, &vf);
    atomic_fetch_add(&c->vdelivered, 1);
  }
  if (f->encoded && s.nveobs > 0) {
    encoded_video_frame_info info = f->info;
    info.uid = numeric_uid(it->uid);
    for (int i = 0; i < s.nveobs; i++)
      if (s.veobs[i].fn.on_encoded_video_frame)
        s.veobs[i].fn.on_encoded_video_frame(s.veobs[i].h, info.uid, f->data, f->image_len, &info);
    atomic_fetch_add(&c->edelivered, 1);
  }
  cb_exit(c);
}

static void video_playout(lb_conn* c, int64_t now) {
  char chan[LB_MAX_CHANNEL + 1];
  int n = collect_video(c, chan, sizeof chan);
  for (int i = 0; i < n; i++) {
    deliver_video(c, chan, &tl_vitems[i], now);
    lb_vframe_unref(tl_vitems[i].f);
  }
}

/* ---- volume indication ---- */

static void volume_indication(lb_conn* c, int64_t now) {
  pthread_mutex_lock(&c->mu);
  if (c->vol_interval <= 0 || !c->chan || now < c->vol_next_ms) { pthread_mutex_unlock(&c->mu); return; }
  c->vol_next_ms = now + c->vol_interval;
  int n = 0, total = 0;
  for (lb_remote* r = c->remotes; r; r = r->next) n += r->vol_played;
  audio_volume_info* v = n ? calloc((size_t)n, sizeof *v) : NULL;
  char (*uids)[LB_MAX_UID + 1] = n ? calloc((size_t)n, sizeof *uids) : NULL;
  int i = 0;
  for (lb_remote* r = c->remotes; r && v && uids; r = r->next) {
    if (!r->vol_played) continue;
    memcpy(uids[i], r->uid, sizeof uids[i]);
    v[i] = (audio_volume_info){ uids[i], (unsigned)r->vol_max, r->vol_max > 0, 0.0 };
    if (r->vol_max > total) total = r->vol_max;
    r->vol_played = r->vol_max = 0;
    i++;
  }
  pthread_mutex_unlock(&c->mu);
  if (i > 0) {
    obs_snap s;
    cb_enter(c, &s);
    if (s.has_uo && s.uo.on_audio_volume_indication) s.uo.on_audio_volume_indication(&c->user, v, (unsigned)i, total);
    cb_exit(c);
  }
  free(v);
  free(uids);
}

/* ---- fault: forced disconnect ---- */

static void maybe_drop(lb_conn* c, int64_t now) {
  pthread_mutex_lock(&c->mu);
  int drop = c->drop_at_ms && now >= c->drop_at_ms && c->state == CONNECTION_STATE_CONNECTED;
  if (drop) {
    c->drop_at_ms = 0;
    c->state = CONNECTION_STATE_FAILED;
    ev_push(c, EV_LOST, 0, 0, NULL, NULL, 0, NULL, 0);
    ev_push(c, EV_FAILURE, CONNECTION_CHANGED_KEEP_ALIVE_TIMEOUT, 0, NULL, NULL, 0, NULL, 0);
  }
  pthread_mutex_unlock(&c->mu);
  if (drop) lb_channel_leave(c, USER_OFFLINE_DROPPED);
}

/*
 * One 10 ms tick. Events go before playout (a deviation from the spec's listed order) so
 * that on_user_joined always precedes the first audio of that user, as with the real SDK.
 */
void lb_conn_tick(lb_conn* c, int64_t now) {
  maybe_drop(c, now);
  dispatch_events(c, now);
  playout(c, now);
  video_playout(c, now);
  volume_indication(c, now);
}
