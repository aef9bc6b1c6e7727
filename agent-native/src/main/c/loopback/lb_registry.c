/* Handle registry, live-handle accounting, order violations, recorded parameters, clock. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lb_internal.h"

lb_global g_lb = {
  .lock = PTHREAD_MUTEX_INITIALIZER,
  .pub_lock = PTHREAD_MUTEX_INITIALIZER,
  .fault_loss = -1, .fault_delay = -1, .fault_disconnect = -1, .fault_token = -1,
  .limit_pps = -1, .limit_bps = -1,
};

/*
 * Every live handle is in an open-addressing set, so a stale, foreign or wrong-kind pointer is
 * rejected by lookup instead of being dereferenced: a mis-wired binding gets -1, not a crash.
 */
typedef struct { const void* key; int kind; } reg_slot;
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static reg_slot* reg_tab;                 /* guarded by reg_lock */
static size_t reg_cap, reg_used;          /* used counts tombstones too */
static const void* const REG_TOMB = (const void*)1;

static atomic_int live[LB_KIND_COUNT];
static atomic_int violations;

static size_t reg_hash(const void* p) {
  uint64_t x = (uint64_t)(uintptr_t)p;
  x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 33;
  return (size_t)x;
}

static void reg_insert_nolock(const void* key, int kind) {
  size_t i = reg_hash(key) & (reg_cap - 1);
  while (reg_tab[i].key && reg_tab[i].key != REG_TOMB) i = (i + 1) & (reg_cap - 1);
  if (!reg_tab[i].key) reg_used++;
  reg_tab[i].key = key;
  reg_tab[i].kind = kind;
}

static void reg_grow_nolock(void) {
  reg_slot* old = reg_tab;
  size_t old_cap = reg_cap;
  reg_cap = reg_cap ? reg_cap * 2 : 256;
  reg_tab = calloc(reg_cap, sizeof *reg_tab);
  if (!reg_tab) abort();
  reg_used = 0;
  for (size_t i = 0; i < old_cap; i++)
    if (old[i].key && old[i].key != REG_TOMB) reg_insert_nolock(old[i].key, old[i].kind);
  free(old);
}

static reg_slot* reg_find_nolock(const void* key) {
  if (!reg_cap) return NULL;
  size_t i = reg_hash(key) & (reg_cap - 1);
  while (reg_tab[i].key) {
    if (reg_tab[i].key == key) return &reg_tab[i];
    i = (i + 1) & (reg_cap - 1);
  }
  return NULL;
}

void lb_reg_add(void* h, int kind) {
  ((lb_hdr*)h)->magic = 0x4c420000u | (uint32_t)kind;
  ((lb_hdr*)h)->kind = kind;
  pthread_mutex_lock(&reg_lock);
  if ((reg_used + 1) * 2 > reg_cap) reg_grow_nolock();
  reg_insert_nolock(h, kind);
  pthread_mutex_unlock(&reg_lock);
}

void lb_reg_del(void* h) {
  pthread_mutex_lock(&reg_lock);
  reg_slot* s = reg_find_nolock(h);
  if (s) s->key = REG_TOMB;
  pthread_mutex_unlock(&reg_lock);
  ((lb_hdr*)h)->magic = 0xdeadbeefu;
}

int lb_reg_is(const void* h, int kind) {
  if (!h) return 0;
  pthread_mutex_lock(&reg_lock);
  reg_slot* s = reg_find_nolock(h);
  int ok = s && s->kind == kind;
  pthread_mutex_unlock(&reg_lock);
  return ok;
}

void lb_live_add(int kind, int delta) {
  if (kind >= 0 && kind < LB_KIND_COUNT) atomic_fetch_add(&live[kind], delta);
}

int lb_live_get(int kind) {
  return (kind >= 0 && kind < LB_KIND_COUNT) ? atomic_load(&live[kind]) : -1;
}

void lb_violation(const char* fmt, ...) {
  atomic_fetch_add(&violations, 1);
  char line[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  fprintf(stderr, "agora-loopback: order violation: %s\n", line);
}

int64_t lb_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t lb_fnv1a64(const void* data, size_t len, uint64_t h) {
  const unsigned char* p = data;
  for (size_t i = 0; i < len; i++) { h ^= p[i]; h *= 0x100000001b3ULL; }
  return h;
}

int lb_write_text(char* buf, int buf_len, const char* text) {
  int n = (int)strlen(text);
  if (!buf || buf_len < n + 1) return -ERR_BUFFER_TOO_SMALL;
  memcpy(buf, text, (size_t)n + 1);
  return n;
}

/* ---- recorded parameters: "param.<key>" -> last value, shared by every parameter handle ---- */
typedef struct kv { struct kv* next; char* key; char* value; } kv;
static kv* params;   /* guarded by g_lb.lock */

void lb_param_record(const char* key, const char* value) {
  pthread_mutex_lock(&g_lb.lock);
  kv* e = params;
  while (e && strcmp(e->key, key) != 0) e = e->next;
  if (!e) {
    e = calloc(1, sizeof *e);
    if (!e) abort();
    e->key = strdup(key);
    e->next = params;
    params = e;
  }
  free(e->value);
  e->value = strdup(value);
  pthread_mutex_unlock(&g_lb.lock);
}

int lb_param_lookup(const char* key, char* buf, size_t len) {
  int found = 0;
  pthread_mutex_lock(&g_lb.lock);
  for (kv* e = params; e; e = e->next)
    if (strcmp(e->key, key) == 0) { snprintf(buf, len, "%s", e->value); found = 1; break; }
  pthread_mutex_unlock(&g_lb.lock);
  return found;
}

void lb_param_clear(void) {
  pthread_mutex_lock(&g_lb.lock);
  while (params) { kv* e = params; params = e->next; free(e->key); free(e->value); free(e); }
  pthread_mutex_unlock(&g_lb.lock);
}

/* ---- global part of the test API ---- */
LB_API int loopback_is_loopback(void) { return 1; }
LB_API const char* loopback_version(void) { return "loopback-1 (abi 4.4.32-20250425)"; }
LB_API int loopback_order_violations(void) { return atomic_load(&violations); }
LB_API int loopback_live_handles_of_kind(int kind) { return lb_live_get(kind); }

LB_API int loopback_live_handles(void) {
  int n = 0;
  for (int k = LB_KIND_SERVICE; k <= LB_KIND_LOCAL_AUDIO_TRACK; k++) n += lb_live_get(k);
  for (int k = LB_KIND_MEDIA_SENDER; k <= LB_KIND_VIDEO_OBSERVER; k++) n += lb_live_get(k);
  return n;
}

LB_API int loopback_set_stream_limits(int packets_per_sec, int bytes_per_sec) {
  pthread_mutex_lock(&g_lb.lock);
  g_lb.limit_pps = packets_per_sec < 0 ? -1 : packets_per_sec;
  g_lb.limit_bps = bytes_per_sec < 0 ? -1 : bytes_per_sec;
  pthread_mutex_unlock(&g_lb.lock);
  return 0;
}

LB_API int loopback_set_faults(int loss_percent, int delay_ms, int disconnect_after_ms, int require_token) {
  if (loss_percent > 100) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_lb.lock);
  g_lb.fault_loss = loss_percent < 0 ? -1 : loss_percent;
  g_lb.fault_delay = delay_ms < 0 ? -1 : delay_ms;
  g_lb.fault_disconnect = disconnect_after_ms < 0 ? -1 : disconnect_after_ms;
  g_lb.fault_token = require_token < 0 ? -1 : require_token;
  pthread_mutex_unlock(&g_lb.lock);
  return 0;
}

LB_API size_t loopback_sizeof(const char* name) {
  static const struct { const char* name; size_t size; } table[] = {
    {"agora_service_config", sizeof(agora_service_config)},
    {"rtc_conn_config", sizeof(rtc_conn_config)},
    {"audio_subscription_options", sizeof(audio_subscription_options)},
    {"rtc_conn_info", sizeof(rtc_conn_info)},
    {"rtc_conn_observer", sizeof(rtc_conn_observer)},
    {"audio_frame_observer", sizeof(audio_frame_observer)},
    {"local_user_observer", sizeof(local_user_observer)},
    {"audio_frame", sizeof(audio_frame)},
    {"audio_params", sizeof(audio_params)},
    {"audio_volume_info", sizeof(audio_volume_info)},
    {"encryption_config", sizeof(encryption_config)},
    {"local_audio_stats", sizeof(local_audio_stats)},
    {"video_track_info", sizeof(video_track_info)},
    {"audio_encoder_config", sizeof(audio_encoder_config)},
    {"sender_options", sizeof(sender_options)},
    {"color_space_type", sizeof(color_space_type)},
    {"external_video_frame", sizeof(external_video_frame)},
    {"encoded_video_frame_info", sizeof(encoded_video_frame_info)},
    {"encoded_audio_frame_info", sizeof(encoded_audio_frame_info)},
    {"video_dimensions", sizeof(video_dimensions)},
    {"video_encoder_config", sizeof(video_encoder_config)},
    {"video_subscription_options", sizeof(video_subscription_options)},
    {"simulcast_stream_config", sizeof(simulcast_stream_config)},
    {"video_frame", sizeof(video_frame)},
    {"local_video_track_stats", sizeof(local_video_track_stats)},
    {"video_frame_observer2", sizeof(video_frame_observer2)},
    {"video_encoded_frame_observer", sizeof(video_encoded_frame_observer)},
  };
  if (!name) return 0;
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strcmp(table[i].name, name) == 0) return table[i].size;
  return 0;
}
