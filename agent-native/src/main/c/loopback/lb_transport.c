/*
 * Cross-process transport: one AF_UNIX datagram socket per joined connection in the channel's
 * rendezvous folder, one unbound socket for sending, and the "agora-lb-io" thread that reads
 * every socket through one epoll set and hands parsed messages to lb_conn_on_peer_msg.
 *
 * A socket entry (lb_sock) is detached from its connection under io_lock and freed by the io
 * thread after the batch in progress, so a stale epoll event never touches freed memory.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "lb_internal.h"

#define WIRE_MAGIC 0x4c424b31u   /* "LBK1" */
#define WIRE_SMALL 8192           /* control, audio and stream messages */
#define WIRE_MAX (65536 + 512)    /* the largest datagram: a video fragment */
#define VFRAG_PAYLOAD 60000       /* video bytes per fragment (a 640x480 I420 frame is 8 fragments) */
#define VASM_SLOTS 4              /* frames being reassembled per socket (one per sending peer) */
#define VFRAME_MAX_WIRE (LB_MAX_ENCODED_BYTES + 64 * 1024 * 1024)

typedef struct wire_hdr {
  uint32_t magic;
  uint8_t kind, pad;
  uint16_t uid_len;
  int32_t flag, stream_id;
  uint32_t seq, rate, samples, payload_len;
  uint16_t channels, pad2;
  char from[LB_PATH_MAX];
} wire_hdr;

/* A serialized video frame: this header, then image_len + metadata_len bytes. */
typedef struct vwire_frame {
  int32_t encoded, width, height, rotation, alpha_mode, has_alpha, metadata_len, pad;
  int64_t timestamp_ms;
  encoded_video_frame_info info;
  uint64_t image_len;
} vwire_frame;

/* One video frame being reassembled from the fragments of one sender. io thread only. */
typedef struct vasm {
  char from[LB_PATH_MAX];
  uint32_t id, total, got;
  uint8_t* buf;
} vasm;

struct lb_sock {
  int fd;
  lb_conn* conn;                  /* guarded by io_lock; NULL once closed */
  lb_sock* next_zombie;
  char path[LB_PATH_MAX];
  vasm vasm[VASM_SLOTS];          /* io thread only */
};

static pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;
static int epfd = -1, send_fd = -1;
static pthread_t io_thread;
static lb_sock* zombies;          /* guarded by io_lock */

static void sleep_ms(long ms) {
  struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
  nanosleep(&ts, NULL);
}

static int set_addr(struct sockaddr_un* a, const char* path) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  if (strlen(path) >= sizeof a->sun_path) return -1;
  strcpy(a->sun_path, path);
  return 0;
}

static int send_dgram(const struct sockaddr_un* a, const char* buf, size_t n, int retry) {
  /* max_dgram_qlen is small (10): control messages and video wait up to ~100 ms, audio is dropped. */
  for (int waited = 0;; waited++) {
    if (sendto(send_fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL, (const struct sockaddr*)a, sizeof *a) >= 0) return 0;
    int err = errno;
    if (err == EINTR) continue;
    if (err != EAGAIN || !retry || waited >= 100) return -err;
    sleep_ms(1);
  }
}

static atomic_uint vframe_ids;

/* A video frame goes as VFRAG datagrams of at most VFRAG_PAYLOAD bytes, in order. */
static int wire_send_video(const struct sockaddr_un* a, const lb_peer_msg* m) {
  const lb_vframe* f = m->vframe;
  size_t body = f->image_len + (size_t)f->metadata_len, total = sizeof(vwire_frame) + body;
  size_t uid_len = strlen(m->uid);
  if (total > VFRAME_MAX_WIRE) return -EMSGSIZE;
  uint8_t* ser = malloc(total);
  char* dg = malloc(sizeof(wire_hdr) + uid_len + VFRAG_PAYLOAD);
  if (!ser || !dg) { free(ser); free(dg); return -ENOMEM; }
  vwire_frame vh = { .encoded = f->encoded, .width = f->width, .height = f->height, .rotation = f->rotation,
                     .alpha_mode = f->alpha_mode, .has_alpha = f->has_alpha, .metadata_len = f->metadata_len,
                     .timestamp_ms = f->timestamp_ms, .info = f->info, .image_len = f->image_len };
  memcpy(ser, &vh, sizeof vh);
  memcpy(ser + sizeof vh, f->data, body);
  uint32_t id = atomic_fetch_add(&vframe_ids, 1) + 1;
  int rc = 0;
  for (size_t off = 0; off < total && rc == 0; off += VFRAG_PAYLOAD) {
    size_t chunk = total - off < VFRAG_PAYLOAD ? total - off : VFRAG_PAYLOAD;
    wire_hdr* h = (wire_hdr*)dg;
    memset(h, 0, sizeof *h);
    *h = (wire_hdr){ .magic = WIRE_MAGIC, .kind = WIRE_VFRAG, .uid_len = (uint16_t)uid_len, .seq = id,
                     .rate = (uint32_t)off, .samples = (uint32_t)total, .payload_len = (uint32_t)chunk };
    snprintf(h->from, sizeof h->from, "%s", m->path ? m->path : "");
    memcpy(dg + sizeof *h, m->uid, uid_len);
    memcpy(dg + sizeof *h + uid_len, ser + off, chunk);
    rc = send_dgram(a, dg, sizeof *h + uid_len + chunk, 1);
  }
  free(ser);
  free(dg);
  return rc;
}

int lb_wire_send(const char* path, const lb_peer_msg* m, int retry) {
  char buf[WIRE_SMALL];
  wire_hdr* h = (wire_hdr*)buf;
  size_t uid_len = strlen(m->uid);
  const void* payload = m->frame ? (const void*)m->frame->pcm : m->data;
  size_t plen = m->frame ? (size_t)m->frame->samples * m->frame->channels * 2 : m->len;
  if (m->vframe) {
    struct sockaddr_un va;
    if (set_addr(&va, path) != 0) return -ENAMETOOLONG;
    return wire_send_video(&va, m);
  }
  if (sizeof *h + uid_len + plen > sizeof buf) return -EMSGSIZE;
  memset(h, 0, sizeof *h);
  *h = (wire_hdr){ .magic = WIRE_MAGIC, .kind = (uint8_t)m->kind, .uid_len = (uint16_t)uid_len,
                   .flag = m->flag, .stream_id = m->stream_id, .payload_len = (uint32_t)plen };
  if (m->frame) {
    h->seq = m->frame->seq; h->rate = (uint32_t)m->frame->rate;
    h->samples = (uint32_t)m->frame->samples; h->channels = (uint16_t)m->frame->channels;
  }
  snprintf(h->from, sizeof h->from, "%s", m->path ? m->path : "");
  memcpy(buf + sizeof *h, m->uid, uid_len);
  if (plen) memcpy(buf + sizeof *h + uid_len, payload, plen);
  struct sockaddr_un a;
  if (set_addr(&a, path) != 0) return -ENAMETOOLONG;
  return send_dgram(&a, buf, sizeof *h + uid_len + plen, retry);
}

static void reply_hello(lb_conn* c, const char* to, const char* joiner_uid) {
  char uid[LB_MAX_UID + 1], path[LB_PATH_MAX];
  pthread_mutex_lock(&c->mu);
  int joined = c->chan != NULL, publishing = lb_conn_pub_flags(c);
  snprintf(uid, sizeof uid, "%s", c->user_id ? c->user_id : "");
  memcpy(path, c->sock_path, sizeof path);
  pthread_mutex_unlock(&c->mu);
  if (!joined) return;
  lb_peer_msg hello = { .kind = WIRE_HELLO, .uid = uid, .path = path, .flag = publishing };
  int rc = lb_wire_send(to, &hello, 1);
  if (rc == -ECONNREFUSED || rc == -ENOENT) {
    unlink(to);
    lb_peer_msg left = { .kind = WIRE_LEAVE, .uid = joiner_uid, .path = to, .flag = USER_OFFLINE_DROPPED };
    lb_conn_on_peer_msg(c, &left);
  }
}

/*
 * A HELLO answers our JOIN. If we started publishing before it arrived, the PUBLISH we sent then
 * did not reach this peer (it was not known yet): tell it what we publish now.
 */
static void announce_publishing_to(lb_conn* c, const char* to) {
  char uid[LB_MAX_UID + 1], path[LB_PATH_MAX];
  pthread_mutex_lock(&c->mu);
  int joined = c->chan != NULL, flags = lb_conn_pub_flags(c);
  snprintf(uid, sizeof uid, "%s", c->user_id ? c->user_id : "");
  memcpy(path, c->sock_path, sizeof path);
  pthread_mutex_unlock(&c->mu);
  if (!joined) return;
  if (flags & LB_PUB_AUDIO) {
    lb_peer_msg m = { .kind = WIRE_PUBLISH, .uid = uid, .path = path, .flag = 1 };
    lb_wire_send(to, &m, 1);
  }
  if (flags & LB_PUB_VIDEO) {
    lb_peer_msg m = { .kind = WIRE_VPUBLISH, .uid = uid, .path = path, .flag = 1 };
    lb_wire_send(to, &m, 1);
  }
}

static void vasm_reset(vasm* v) {
  free(v->buf);
  memset(v, 0, sizeof *v);
}

/* Turns a complete serialized frame into an lb_vframe, or NULL if it is malformed. */
static lb_vframe* vframe_parse(const uint8_t* p, size_t n) {
  vwire_frame h;
  if (n < sizeof h) return NULL;
  memcpy(&h, p, sizeof h);
  if (h.metadata_len < 0 || h.metadata_len > LB_MAX_VMETA || h.image_len > n ||
      sizeof h + h.image_len + (size_t)h.metadata_len != n)
    return NULL;
  if (!h.encoded) {
    size_t px = (size_t)h.width * (size_t)h.height;
    if (h.width <= 0 || h.height <= 0 || h.width > LB_MAX_VIDEO_DIM || h.height > LB_MAX_VIDEO_DIM || (h.width & 1) ||
        (h.height & 1) || h.image_len != px * 3 / 2 + (h.has_alpha ? px : 0))
      return NULL;
  } else if (h.image_len == 0 || h.image_len > LB_MAX_ENCODED_BYTES) {
    return NULL;
  }
  lb_vframe* f = lb_vframe_new((size_t)h.image_len, h.metadata_len);
  if (!f) return NULL;
  f->encoded = h.encoded; f->width = h.width; f->height = h.height; f->rotation = h.rotation;
  f->alpha_mode = h.alpha_mode; f->has_alpha = h.has_alpha; f->timestamp_ms = h.timestamp_ms; f->info = h.info;
  memcpy(f->data, p + sizeof h, (size_t)h.image_len + (size_t)h.metadata_len);
  return f;
}

/* One fragment of a video frame; delivers the frame when its last fragment arrives. io thread. */
static void handle_vfrag(lb_sock* s, const wire_hdr* h, const char* uid, const uint8_t* payload) {
  vasm* v = NULL;
  for (int i = 0; i < VASM_SLOTS && !v; i++) if (s->vasm[i].buf && !strcmp(s->vasm[i].from, h->from)) v = &s->vasm[i];
  if (h->rate == 0) {   /* first fragment */
    if (v) { vasm_reset(v); atomic_fetch_add(&s->conn->vlost, 1); }
    for (int i = 0; i < VASM_SLOTS && !v; i++) if (!s->vasm[i].buf) v = &s->vasm[i];
    if (!v) { v = &s->vasm[0]; vasm_reset(v); }
    if (h->samples < sizeof(vwire_frame) || h->samples > VFRAME_MAX_WIRE || !(v->buf = malloc(h->samples))) return;
    snprintf(v->from, sizeof v->from, "%s", h->from);
    v->id = h->seq;
    v->total = h->samples;
  } else if (!v || v->id != h->seq || v->got != h->rate || v->total != h->samples) {
    if (v) { vasm_reset(v); atomic_fetch_add(&s->conn->vlost, 1); }   /* a fragment went missing */
    return;
  }
  if ((size_t)v->got + h->payload_len > v->total) { vasm_reset(v); return; }
  memcpy(v->buf + v->got, payload, h->payload_len);
  v->got += h->payload_len;
  if (v->got < v->total) return;
  lb_vframe* f = vframe_parse(v->buf, v->total);
  vasm_reset(v);
  if (!f) return;
  lb_peer_msg m = { .kind = WIRE_VIDEO, .uid = uid, .path = h->from, .vframe = f };
  lb_conn_on_peer_msg(s->conn, &m);
  lb_vframe_unref(f);
}

/* Parses one datagram for socket s's connection; called on the io thread with io_lock held. */
static void handle_datagram(lb_sock* s, const char* buf, size_t n) {
  lb_conn* c = s->conn;
  const wire_hdr* h = (const wire_hdr*)buf;
  if (n < sizeof *h || h->magic != WIRE_MAGIC || h->uid_len == 0 || h->uid_len > LB_MAX_UID ||
      sizeof *h + h->uid_len + h->payload_len != n || memchr(h->from, 0, sizeof h->from) == NULL)
    return;
  char uid[LB_MAX_UID + 1];
  memcpy(uid, buf + sizeof *h, h->uid_len);
  uid[h->uid_len] = '\0';
  const char* payload = buf + sizeof *h + h->uid_len;
  if (h->kind == WIRE_VFRAG) {
    if (h->payload_len > 0) handle_vfrag(s, h, uid, (const uint8_t*)payload);
    return;
  }
  if (h->kind == WIRE_VIDEO) return;   /* only ever sent as fragments */
  lb_peer_msg m = { .kind = h->kind, .uid = uid, .path = h->from, .flag = h->flag, .stream_id = h->stream_id,
                    .data = payload, .len = h->payload_len };
  if (h->kind == WIRE_AUDIO) {
    if ((h->channels != 1 && h->channels != 2) || h->samples == 0 || h->samples > 480 ||
        (size_t)h->samples * h->channels * 2 != h->payload_len)
      return;
    m.frame = lb_frame_new((int)h->rate, h->channels, (int)h->samples);
    if (!m.frame) return;
    m.frame->seq = h->seq;
    m.frame->more_follows = h->flag & 1;
    m.frame->spurt_start = (h->flag & 2) != 0;
    memcpy(m.frame->pcm, payload, h->payload_len);
  }
  if ((h->kind == WIRE_STREAM || h->kind == WIRE_METADATA) && (h->payload_len == 0 || h->payload_len > LB_MAX_MSG))
    return;
  lb_conn_on_peer_msg(c, &m);
  if (m.frame) lb_frame_unref(m.frame);
  if (h->kind == WIRE_JOIN && h->from[0]) reply_hello(c, h->from, uid);
  if (h->kind == WIRE_HELLO && h->from[0]) announce_publishing_to(c, h->from);
}

static void drain_socket(lb_sock* s, char* buf) {
  for (int i = 0; i < 64 && s->conn; i++) {
    ssize_t n = recv(s->fd, buf, WIRE_MAX, MSG_DONTWAIT);
    if (n < 0) return;
    handle_datagram(s, buf, (size_t)n);
  }
}

static void free_zombies_locked(void) {
  while (zombies) {
    lb_sock* z = zombies;
    zombies = z->next_zombie;
    for (int i = 0; i < VASM_SLOTS; i++) vasm_reset(&z->vasm[i]);
    free(z);
  }
}

static void* io_main(void* arg) {
  (void)arg;
  pthread_setname_np(pthread_self(), "agora-lb-io");
  char* buf = malloc(WIRE_MAX);
  struct epoll_event evs[64];
  while (buf && !atomic_load(&g_lb.stop)) {
    int n = epoll_wait(epfd, evs, 64, 50);
    pthread_mutex_lock(&io_lock);
    for (int i = 0; i < n; i++) drain_socket(evs[i].data.ptr, buf);
    free_zombies_locked();
    pthread_mutex_unlock(&io_lock);
  }
  free(buf);
  return NULL;
}

int lb_io_start(void) {
  epfd = epoll_create1(EPOLL_CLOEXEC);
  send_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (send_fd >= 0) {
    int sndbuf = 4 << 20;   /* room for a few video frames in flight (capped by net.core.wmem_max) */
    setsockopt(send_fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  }
  if (epfd < 0 || send_fd < 0 || pthread_create(&io_thread, NULL, io_main, NULL) != 0) {
    if (epfd >= 0) close(epfd);
    if (send_fd >= 0) close(send_fd);
    epfd = send_fd = -1;
    return -1;
  }
  return 0;
}

/* Called after g_lb.stop is set. */
void lb_io_stop(void) {
  pthread_join(io_thread, NULL);
  pthread_mutex_lock(&io_lock);
  free_zombies_locked();
  pthread_mutex_unlock(&io_lock);
  close(epfd);
  close(send_fd);
  epfd = send_fd = -1;
}

lb_sock* lb_sock_open(lb_conn* c, const char* path) {
  lb_sock* s = calloc(1, sizeof *s);
  struct sockaddr_un a;
  if (!s || set_addr(&a, path) != 0) { free(s); return NULL; }
  snprintf(s->path, sizeof s->path, "%s", path);
  s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  unlink(path);
  if (s->fd < 0 || bind(s->fd, (struct sockaddr*)&a, sizeof a) != 0) {
    fprintf(stderr, "agora-loopback: cannot bind %s: %s\n", path, strerror(errno));
    if (s->fd >= 0) close(s->fd);
    free(s);
    return NULL;
  }
  int rcvbuf = 4 << 20;
  setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  s->conn = c;
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };
  pthread_mutex_lock(&io_lock);
  int rc = epoll_ctl(epfd, EPOLL_CTL_ADD, s->fd, &ev);
  pthread_mutex_unlock(&io_lock);
  if (rc != 0) { close(s->fd); unlink(path); free(s); return NULL; }
  return s;
}

void lb_sock_close(lb_sock* s) {
  pthread_mutex_lock(&io_lock);
  s->conn = NULL;
  epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
  close(s->fd);
  unlink(s->path);
  s->next_zombie = zombies;
  zombies = s;
  pthread_mutex_unlock(&io_lock);
}

static int ends_with(const char* s, const char* suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Sends JOIN to every socket of another process in the folder; removes sockets of dead ones. */
void lb_scan_and_join(lb_conn* c, const char* folder, const char* own_path, int publishing) {
  DIR* d = opendir(folder);
  if (!d) return;
  char uid[LB_MAX_UID + 1];
  pthread_mutex_lock(&c->mu);
  snprintf(uid, sizeof uid, "%s", c->user_id ? c->user_id : "");
  pthread_mutex_unlock(&c->mu);
  lb_peer_msg join = { .kind = WIRE_JOIN, .uid = uid, .path = own_path, .flag = publishing };
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (!ends_with(e->d_name, ".sock") || atoi(e->d_name) == (int)getpid()) continue;
    char path[LB_PATH_MAX + 256];
    snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
    int rc = lb_wire_send(path, &join, 1);
    if (rc == -ECONNREFUSED || rc == -ENOENT) unlink(path);
  }
  closedir(d);
}
