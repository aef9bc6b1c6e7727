/*
 * Channel membership and message delivery. Members in this process are reached directly
 * (lb_conn_on_peer_msg on the member, under the channel lock that keeps it alive); members
 * in other processes through their socket. Both paths end in lb_conn_on_peer_msg, so they
 * behave identically.
 *
 * Library lock order (outer first): io_lock -> channel.mu -> conn.mu -> g_lb.lock -> track.mu,
 * and pub_lock -> conn.mu. Nothing here calls back into the app.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lb_internal.h"

struct lb_channel {
  lb_channel* next;               /* guarded by g_lb.lock */
  uint64_t key;
  int refs;                       /* guarded by g_lb.lock */
  pthread_mutex_t mu;
  lb_conn** members;              /* guarded by mu */
  int n, cap;
};

typedef struct ext_peer { char uid[LB_MAX_UID + 1]; char path[LB_PATH_MAX]; } ext_peer;

static uint64_t channel_key(const char* app_id, const char* channel) {
  uint64_t h = lb_fnv1a64(app_id, strlen(app_id), 0xcbf29ce484222325ULL);
  h = lb_fnv1a64("\n", 1, h);
  return lb_fnv1a64(channel, strlen(channel), h);
}

static lb_channel* channel_get(uint64_t key) {
  pthread_mutex_lock(&g_lb.lock);
  lb_channel* ch = g_lb.channels;
  while (ch && ch->key != key) ch = ch->next;
  if (!ch && (ch = calloc(1, sizeof *ch)) != NULL) {
    ch->key = key;
    pthread_mutex_init(&ch->mu, NULL);
    ch->next = g_lb.channels;
    g_lb.channels = ch;
  }
  if (ch) ch->refs++;
  pthread_mutex_unlock(&g_lb.lock);
  return ch;
}

static void channel_put(lb_channel* ch) {
  pthread_mutex_lock(&g_lb.lock);
  if (--ch->refs == 0) {
    lb_channel** pp = &g_lb.channels;
    while (*pp != ch) pp = &(*pp)->next;
    *pp = ch->next;
    pthread_mutex_destroy(&ch->mu);
    free(ch->members);
    free(ch);
  }
  pthread_mutex_unlock(&g_lb.lock);
}

/* Copies the socket peers of c; the caller frees *out. Called with c->mu held. */
static int collect_ext_peers(lb_conn* c, ext_peer** out) {
  int n = 0;
  for (lb_remote* r = c->remotes; r; r = r->next) n += r->path[0] != 0;
  *out = NULL;
  if (!n || !(*out = malloc((size_t)n * sizeof **out))) return 0;
  int i = 0;
  for (lb_remote* r = c->remotes; r; r = r->next)
    if (r->path[0]) { memcpy((*out)[i].uid, r->uid, sizeof r->uid); memcpy((*out)[i].path, r->path, LB_PATH_MAX); i++; }
  return n;
}

static void send_to_ext(lb_conn* c, ext_peer* peers, int n, const lb_peer_msg* m) {
  int retry = m->kind != WIRE_AUDIO;   /* video too: a frame missing a fragment is lost whole */
  for (int i = 0; i < n; i++) {
    int rc = lb_wire_send(peers[i].path, m, retry);
    if (rc == -ECONNREFUSED || rc == -ENOENT) {
      /* The peer process died without LEAVE: remove its stale socket and report it dropped. */
      unlink(peers[i].path);
      lb_peer_msg leave = { .kind = WIRE_LEAVE, .uid = peers[i].uid, .path = peers[i].path,
                            .flag = USER_OFFLINE_DROPPED };
      if (c) lb_conn_on_peer_msg(c, &leave);
    }
  }
}

int lb_channel_join(lb_conn* c, const char* app_id) {
  pthread_mutex_lock(&c->mu);
  uint64_t key = channel_key(app_id, c->channel);
  pthread_mutex_unlock(&c->mu);
  lb_channel* ch = channel_get(key);
  if (!ch) return -1;
  pthread_mutex_lock(&ch->mu);
  if (ch->n == ch->cap) {
    int cap = ch->cap ? ch->cap * 2 : 4;
    lb_conn** m = realloc(ch->members, (size_t)cap * sizeof *m);
    if (!m) { pthread_mutex_unlock(&ch->mu); channel_put(ch); return -1; }
    ch->members = m;
    ch->cap = cap;
  }
  /* Publishing is read after chan is set: a concurrent publish either sees chan (and its
     PUBLISH queues behind this join on ch->mu) or is seen here. */
  pthread_mutex_lock(&c->mu);
  c->chan = ch;
  char uid[LB_MAX_UID + 1];
  snprintf(uid, sizeof uid, "%s", c->user_id);
  int publishing = lb_conn_pub_flags(c);
  pthread_mutex_unlock(&c->mu);
  lb_peer_msg join = { .kind = WIRE_JOIN, .uid = uid, .path = "", .flag = publishing };
  for (int i = 0; i < ch->n; i++) {
    lb_conn* m = ch->members[i];
    lb_conn_on_peer_msg(m, &join);
    pthread_mutex_lock(&m->mu);
    char muid[LB_MAX_UID + 1];
    snprintf(muid, sizeof muid, "%s", m->user_id);
    int mpub = lb_conn_pub_flags(m);
    pthread_mutex_unlock(&m->mu);
    lb_peer_msg hello = { .kind = WIRE_HELLO, .uid = muid, .path = "", .flag = mpub };
    lb_conn_on_peer_msg(c, &hello);
  }
  ch->members[ch->n++] = c;
  pthread_mutex_unlock(&ch->mu);
  return 0;
}

void lb_channel_leave(lb_conn* c, int reason) {
  pthread_mutex_lock(&c->mu);
  lb_channel* ch = c->chan;
  lb_sock* sock = c->sock;
  c->chan = NULL;
  c->sock = NULL;
  ext_peer* peers;
  int npeers = collect_ext_peers(c, &peers);
  char uid[LB_MAX_UID + 1];
  snprintf(uid, sizeof uid, "%s", c->user_id ? c->user_id : "");
  lb_remote_free_all(c);
  pthread_mutex_unlock(&c->mu);
  if (sock) lb_sock_close(sock);
  if (!ch) { free(peers); return; }
  lb_peer_msg leave = { .kind = WIRE_LEAVE, .uid = uid, .path = "", .flag = reason };
  pthread_mutex_lock(&ch->mu);
  for (int i = 0; i < ch->n; i++)
    if (ch->members[i] == c) { ch->members[i] = ch->members[--ch->n]; break; }
  for (int i = 0; i < ch->n; i++) lb_conn_on_peer_msg(ch->members[i], &leave);
  pthread_mutex_unlock(&ch->mu);
  send_to_ext(NULL, peers, npeers, &leave);
  free(peers);
  channel_put(ch);
}

/* Sends m to every other member of c's channel. No-op when c is not joined. */
void lb_channel_send(lb_conn* c, const lb_peer_msg* m) {
  pthread_mutex_lock(&c->mu);
  lb_channel* ch = c->chan;
  ext_peer* peers = NULL;
  int npeers = 0;
  if (ch) {
    /* c's own reference keeps ch alive while c->mu is held; take one for the send. */
    pthread_mutex_lock(&g_lb.lock);
    ch->refs++;
    pthread_mutex_unlock(&g_lb.lock);
    npeers = collect_ext_peers(c, &peers);
  }
  pthread_mutex_unlock(&c->mu);
  if (!ch) return;
  pthread_mutex_lock(&ch->mu);
  for (int i = 0; i < ch->n; i++)
    if (ch->members[i] != c) lb_conn_on_peer_msg(ch->members[i], m);
  pthread_mutex_unlock(&ch->mu);
  send_to_ext(c, peers, npeers, m);
  free(peers);
  channel_put(ch);
}
