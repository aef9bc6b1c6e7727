/*
 * Worker threads "agora-lb-w<i>": every 10 ms, on an absolute CLOCK_MONOTONIC deadline, each
 * worker drains one frame from each of its tracks and then runs the tick of each of its
 * connections (events, playout, volume indication, fault timers). Objects are sharded by
 * serial, so a tick costs time proportional to the objects of that shard only. Worker i ticks
 * i/n of a tick after worker 0: a frame sent on one worker reaches a receiver on another a fixed
 * part of a tick later. (Started back to back, they ticked within microseconds of each other, and
 * a sender's frame raced the receiver's playout: wake-up jitter far below a millisecond reordered
 * them, the receiver counted a late frame, and its jitter buffer deepened every minute or so.)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lb_internal.h"

#define TICK_NS 10000000L

static pthread_mutex_t rt_lock = PTHREAD_MUTEX_INITIALIZER;   /* start/stop only */

static lb_worker* shard_of(uint64_t serial, int* idx) {
  *idx = (int)(serial % (uint64_t)g_lb.nworkers);
  return &g_lb.workers[*idx];
}

static int grow(void** arr, int* cap, int need, size_t elem) {
  if (need <= *cap) return 0;
  int n = *cap ? *cap * 2 : 16;
  while (n < need) n *= 2;
  void* p = realloc(*arr, (size_t)n * elem);
  if (!p) return -1;
  *arr = p;
  *cap = n;
  return 0;
}

void lb_shard_add_conn(lb_conn* c) {
  lb_worker* w = shard_of(c->serial, &c->shard);
  pthread_mutex_lock(&w->lock);
  if (grow((void**)&w->conns, &w->conns_cap, w->nconns + 1, sizeof *w->conns) == 0) {
    c->shard_idx = w->nconns;
    w->conns[w->nconns++] = c;
  }
  pthread_mutex_unlock(&w->lock);
}

void lb_shard_del_conn(lb_conn* c) {
  lb_worker* w = &g_lb.workers[c->shard];
  pthread_mutex_lock(&w->lock);
  int i = c->shard_idx;
  if (i < w->nconns && w->conns[i] == c) {
    w->conns[i] = w->conns[--w->nconns];
    w->conns[i]->shard_idx = i;
  }
  pthread_mutex_unlock(&w->lock);
}

void lb_shard_add_track(lb_track* t) {
  lb_worker* w = shard_of(t->serial, &t->shard);
  pthread_mutex_lock(&w->lock);
  if (grow((void**)&w->tracks, &w->tracks_cap, w->ntracks + 1, sizeof *w->tracks) == 0) {
    t->shard_idx = w->ntracks;
    w->tracks[w->ntracks++] = t;
  }
  pthread_mutex_unlock(&w->lock);
}

/* Unlinks the track and waits until no worker still holds it from a snapshot. */
void lb_shard_del_track(lb_track* t) {
  lb_worker* w = &g_lb.workers[t->shard];
  pthread_mutex_lock(&w->lock);
  int i = t->shard_idx;
  if (i < w->ntracks && w->tracks[i] == t) {
    w->tracks[i] = w->tracks[--w->ntracks];
    w->tracks[i]->shard_idx = i;
  }
  pthread_mutex_unlock(&w->lock);
  pthread_mutex_lock(&t->mu);
  while (t->holds > 0) pthread_cond_wait(&t->cv, &t->mu);
  pthread_mutex_unlock(&t->mu);
}

static void tick_tracks(lb_worker* w) {
  pthread_mutex_lock(&w->lock);
  int n = w->ntracks;
  if (grow((void**)&w->snap_t, &w->snap_t_cap, n, sizeof *w->snap_t) != 0) n = 0;
  for (int i = 0; i < n; i++) {
    lb_track* t = w->snap_t[i] = w->tracks[i];
    pthread_mutex_lock(&t->mu);
    t->holds++;
    pthread_mutex_unlock(&t->mu);
  }
  pthread_mutex_unlock(&w->lock);
  for (int i = 0; i < n; i++) {
    lb_track* t = w->snap_t[i];
    lb_track_tick(t);
    pthread_mutex_lock(&t->mu);
    if (--t->holds == 0) pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
  }
}

static void tick_conns(lb_worker* w, int64_t now) {
  pthread_mutex_lock(&w->lock);
  int n = w->nconns;
  if (grow((void**)&w->snap_c, &w->snap_c_cap, n, sizeof *w->snap_c) != 0) n = 0;
  for (int i = 0; i < n; i++) {
    w->snap_c[i] = w->conns[i];
    lb_conn_hold(w->snap_c[i]);
  }
  pthread_mutex_unlock(&w->lock);
  for (int i = 0; i < n; i++) {
    lb_conn_tick(w->snap_c[i], now);
    if (lb_conn_release(w->snap_c[i])) lb_conn_free(w->snap_c[i]);
  }
}

static void timespec_add_ns(struct timespec* t, long ns) {
  t->tv_nsec += ns;
  while (t->tv_nsec >= 1000000000L) { t->tv_nsec -= 1000000000L; t->tv_sec++; }
}

static void* worker_main(void* arg) {
  lb_worker* w = arg;
  char name[16];
  snprintf(name, sizeof name, "agora-lb-w%d", w->index);
  pthread_setname_np(pthread_self(), name);
  struct timespec next = w->first_tick;
  while (!atomic_load(&g_lb.stop)) {
    timespec_add_ns(&next, TICK_NS);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {}
    tick_tracks(w);
    tick_conns(w, lb_now_ms());
    /* After a long stall (debugger, overloaded host) skip the missed ticks instead of bursting,
       keeping this worker's phase. */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec > next.tv_sec + 1) {
      long long behind = (long long)(now.tv_sec - next.tv_sec) * 1000000000LL + (now.tv_nsec - next.tv_nsec);
      long long skip = behind / TICK_NS * TICK_NS;
      next.tv_sec += (time_t)(skip / 1000000000LL);
      timespec_add_ns(&next, (long)(skip % 1000000000LL));
    }
  }
  lb_conn_thread_cleanup();
  return NULL;
}

static int env_workers(void) {
  const char* v = getenv("AGORA_LOOPBACK_WORKERS");
  int n = v ? atoi(v) : 2;
  return n < 1 ? 1 : n > LB_MAX_WORKERS ? LB_MAX_WORKERS : n;
}

int lb_runtime_start(void) {
  pthread_mutex_lock(&rt_lock);
  int rc = 0;
  if (!g_lb.running) {
    atomic_store(&g_lb.stop, 0);
    g_lb.nworkers = env_workers();
    int started = 0;
    struct timespec base;
    clock_gettime(CLOCK_MONOTONIC, &base);
    for (int i = 0; i < g_lb.nworkers; i++) {
      lb_worker* w = &g_lb.workers[i];
      w->index = i;
      w->first_tick = base;
      timespec_add_ns(&w->first_tick, TICK_NS * i / g_lb.nworkers);
      pthread_mutex_init(&w->lock, NULL);
      if (pthread_create(&w->thread, NULL, worker_main, w) != 0) { rc = -1; break; }
      started++;
    }
    if (rc == 0) rc = lb_io_start();
    if (rc != 0) {
      atomic_store(&g_lb.stop, 1);
      for (int i = 0; i < started; i++) pthread_join(g_lb.workers[i].thread, NULL);
    } else {
      g_lb.running = 1;
    }
  }
  pthread_mutex_unlock(&rt_lock);
  return rc;
}

void lb_runtime_stop(void) {
  pthread_mutex_lock(&rt_lock);
  if (g_lb.running) {
    atomic_store(&g_lb.stop, 1);
    for (int i = 0; i < g_lb.nworkers; i++) pthread_join(g_lb.workers[i].thread, NULL);
    lb_io_stop();
    for (int i = 0; i < g_lb.nworkers; i++) {
      lb_worker* w = &g_lb.workers[i];
      free(w->conns); free(w->tracks); free(w->snap_c); free(w->snap_t);
      pthread_mutex_destroy(&w->lock);
      memset(w, 0, sizeof *w);
    }
    g_lb.running = 0;
  }
  pthread_mutex_unlock(&rt_lock);
}
