/* Service, media node factory, PCM sender, local audio track and parameter handles. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lb_internal.h"


typedef struct lb_factory { lb_hdr hdr; } lb_factory;

static int svc_children_alive(void) {
  return lb_live_get(K_FACTORY) + lb_live_get(K_CONN) + lb_live_get(K_SENDER) + lb_live_get(K_TRACK) +
         lb_live_get(LB_KIND_MEDIA_SENDER) + lb_live_get(LB_KIND_LOCAL_VIDEO_TRACK);
}

AGORA_API AGORA_HANDLE agora_service_create(void) {
  lb_service* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  lb_reg_add(s, K_SERVICE);
  lb_reg_add(&s->param, K_PARAM);
  lb_live_add(K_SERVICE, 1);
  return s;
}

AGORA_API int agora_service_initialize(AGORA_HANDLE svc, const agora_service_config* cfg) {
  if (!lb_reg_is(svc, K_SERVICE)) return -1;
  if (!cfg) return -ERR_INVALID_ARGUMENT;
  if (!cfg->app_id || !cfg->app_id[0]) return -ERR_INVALID_APP_ID;
  lb_service* s = svc;
  pthread_mutex_lock(&g_lb.lock);
  int refused = g_lb.service != NULL;
  if (!refused) {
    s->cfg = *cfg;
    s->app_id = strdup(cfg->app_id);
    s->cfg.app_id = s->app_id;
    s->initialized = 1;
    g_lb.service = s;
  }
  pthread_mutex_unlock(&g_lb.lock);
  if (refused) return -ERR_REFUSED;
  if (lb_runtime_start() != 0) return -ERR_FAILED;
  return 0;
}

AGORA_API int agora_service_release(AGORA_HANDLE svc) {
  if (!lb_reg_is(svc, K_SERVICE)) return -1;
  lb_service* s = svc;
  int children = 0;
  pthread_mutex_lock(&g_lb.lock);
  if (g_lb.service == s) {
    g_lb.service = NULL;
    children = svc_children_alive();
  }
  pthread_mutex_unlock(&g_lb.lock);
  if (children) lb_violation("agora_service_release with %d live child handle(s)", children);
  /* The threads serve every live connection/track; they stop only when nothing is left. */
  if (s->initialized && !children) lb_runtime_stop();
  lb_reg_del(&s->param);
  lb_reg_del(s);
  lb_live_add(K_SERVICE, -1);
  if (s->initialized && !children) lb_param_clear();
  free(s->app_id);
  free(s->log_file);
  free(s);
  return 0;
}

AGORA_API int agora_service_set_log_file(AGORA_HANDLE svc, const char* file_path, unsigned int file_size) {
  if (!lb_reg_is(svc, K_SERVICE)) return -1;
  if (!file_path) return -ERR_INVALID_ARGUMENT;
  lb_service* s = svc;
  pthread_mutex_lock(&g_lb.lock);
  free(s->log_file);
  s->log_file = strdup(file_path);
  s->log_size = file_size;
  s->log_file_set = 1;
  pthread_mutex_unlock(&g_lb.lock);
  return 0;
}

AGORA_API int agora_service_set_log_filter(AGORA_HANDLE svc, unsigned int filters) {
  if (!lb_reg_is(svc, K_SERVICE)) return -1;
  lb_service* s = svc;
  pthread_mutex_lock(&g_lb.lock);
  s->log_filter = filters;
  s->log_filter_set = 1;
  pthread_mutex_unlock(&g_lb.lock);
  return 0;
}

AGORA_API AGORA_HANDLE agora_service_get_agora_parameter(AGORA_HANDLE svc) {
  if (!lb_reg_is(svc, K_SERVICE)) return NULL;
  return &((lb_service*)svc)->param;
}

static int ext_name(char* out, size_t len, const char* provider, const char* extension) {
  if (!provider || !extension || !provider[0] || !extension[0]) return -ERR_INVALID_ARGUMENT;
  snprintf(out, len, "%s/%s", provider, extension);
  return 0;
}

/* Removes "name" from the comma list; returns 1 if it was there. */
static int ext_list_remove(char* list, const char* name) {
  size_t n = strlen(name);
  for (char* p = list; *p;) {
    char* end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == n && strncmp(p, name, n) == 0) {
      if (end) memmove(p, end + 1, strlen(end + 1) + 1);
      else if (p > list) p[-1] = '\0';
      else *p = '\0';
      return 1;
    }
    if (!end) break;
    p = end + 1;
  }
  return 0;
}

AGORA_API int agora_service_enable_extension(AGORA_HANDLE svc, const char* provider, const char* extension,
                                             const char* track_id, unsigned int auto_enable_on_track) {
  (void)track_id; (void)auto_enable_on_track;
  if (!lb_reg_is(svc, K_SERVICE)) return -1;
  char name[256];
  int rc = ext_name(name, sizeof name, provider, extension);
  if (rc) return rc;
  lb_service* s = svc;
  pthread_mutex_lock(&g_lb.lock);
  ext_list_remove(s->extensions, name);
  size_t used = strlen(s->extensions);
  if (used + strlen(name) + 2 < sizeof s->extensions)
    snprintf(s->extensions + used, sizeof s->extensions - used, "%s%s", used ? "," : "", name);
  pthread_mutex_unlock(&g_lb.lock);
  return 0;
}

AGORA_API int agora_service_disable_extension(AGORA_HANDLE svc, const char* provider, const char* extension,
                                              const char* track_id) {
  (void)track_id;
  if (!lb_reg_is(svc, K_SERVICE)) return -1;
  char name[256];
  int rc = ext_name(name, sizeof name, provider, extension);
  if (rc) return rc;
  lb_service* s = svc;
  pthread_mutex_lock(&g_lb.lock);
  ext_list_remove(s->extensions, name);
  pthread_mutex_unlock(&g_lb.lock);
  return 0;
}

AGORA_API int agora_service_load_extension_provider(AGORA_HANDLE svc, const char* path, unsigned int unload_after_use) {
  (void)unload_after_use;
  if (!lb_reg_is(svc, K_SERVICE)) return -1;
  return path && path[0] ? 0 : -ERR_INVALID_ARGUMENT;
}

/* ---- factory and PCM sender ---- */

AGORA_API AGORA_HANDLE agora_service_create_media_node_factory(AGORA_HANDLE svc) {
  if (!lb_reg_is(svc, K_SERVICE) || !((lb_service*)svc)->initialized) return NULL;
  lb_factory* f = calloc(1, sizeof *f);
  if (!f) return NULL;
  lb_reg_add(f, K_FACTORY);
  lb_live_add(K_FACTORY, 1);
  return f;
}

AGORA_API void agora_media_node_factory_destroy(AGORA_HANDLE factory) {
  if (!lb_reg_is(factory, K_FACTORY)) return;
  int senders = lb_live_get(K_SENDER) + lb_live_get(LB_KIND_MEDIA_SENDER);
  if (senders) lb_violation("agora_media_node_factory_destroy with %d live sender(s)", senders);
  lb_reg_del(factory);
  lb_live_add(K_FACTORY, -1);
  free(factory);
}

AGORA_API AGORA_HANDLE agora_media_node_factory_create_audio_pcm_data_sender(AGORA_HANDLE factory) {
  if (!lb_reg_is(factory, K_FACTORY)) return NULL;
  lb_sender* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  lb_reg_add(s, K_SENDER);
  lb_live_add(K_SENDER, 1);
  return s;
}

AGORA_API void agora_audio_pcm_data_sender_destroy(AGORA_HANDLE sender) {
  if (!lb_reg_is(sender, K_SENDER)) return;
  lb_sender* s = sender;
  lb_reg_del(s);
  pthread_mutex_lock(&g_lb.lock);
  lb_track* t = s->track;
  if (t) {
    pthread_mutex_lock(&t->mu);
    t->sender = NULL;
    pthread_mutex_unlock(&t->mu);
  }
  pthread_mutex_unlock(&g_lb.lock);
  if (t) lb_violation("agora_audio_pcm_data_sender_destroy while its audio track is alive");
  lb_live_add(K_SENDER, -1);
  free(s);
}

static int valid_rate(uint32_t r) {
  return r == 8000 || r == 16000 || r == 24000 || r == 32000 || r == 44100 || r == 48000;
}

/* Appends n 10 ms frames to the send buffer; called with t->mu held and room checked. */
static int track_append(lb_track* t, const int16_t* pcm, int n, int spf, int channels, int rate) {
  for (int i = 0; i < n; i++) {
    lb_frame* f = lb_frame_new(rate, channels, spf);
    if (!f) return -ERR_FAILED;
    memcpy(f->pcm, pcm + (size_t)i * spf * channels, (size_t)spf * channels * sizeof(int16_t));
    t->ring[(t->head + t->count) % t->ring_cap] = f;
    t->count++;
  }
  return 0;
}

/* Keeps ring capacity >= max_frames, preserving order. Called with t->mu held. */
static int track_reserve(lb_track* t, int cap) {
  if (cap <= t->ring_cap) return 0;
  lb_frame** ring = malloc((size_t)cap * sizeof *ring);
  if (!ring) return -1;
  for (int i = 0; i < t->count; i++) ring[i] = t->ring[(t->head + i) % t->ring_cap];
  free(t->ring);
  t->ring = ring;
  t->ring_cap = cap;
  t->head = 0;
  return 0;
}

AGORA_API int agora_audio_pcm_data_sender_send(AGORA_HANDLE sender, const void* audio_data, uint32_t capture_timestamp,
                                               uint32_t samples_per_channel, uint32_t bytes_per_sample,
                                               uint32_t number_of_channels, uint32_t sample_rate) {
  (void)capture_timestamp;
  if (!lb_reg_is(sender, K_SENDER)) return -1;
  if (!audio_data || bytes_per_sample != 2 || (number_of_channels != 1 && number_of_channels != 2) ||
      !valid_rate(sample_rate) || samples_per_channel == 0 || samples_per_channel % (sample_rate / 100) != 0)
    return -ERR_INVALID_ARGUMENT;
  int spf = (int)(sample_rate / 100), n = (int)(samples_per_channel / (uint32_t)spf), rc;
  pthread_mutex_lock(&g_lb.lock);
  lb_track* t = ((lb_sender*)sender)->track;
  if (!t) { pthread_mutex_unlock(&g_lb.lock); return -ERR_NOT_READY; }
  /* Taking t->mu before dropping g_lb.lock keeps the track alive: destroy detaches under g_lb.lock. */
  pthread_mutex_lock(&t->mu);
  pthread_mutex_unlock(&g_lb.lock);
  if (!t->enabled) rc = -ERR_NOT_READY;
  else if (t->count + n > t->max_frames) rc = -ERR_BUFFER_TOO_SMALL;
  else if (track_reserve(t, t->max_frames) != 0) rc = -ERR_FAILED;
  else rc = track_append(t, audio_data, n, spf, (int)number_of_channels, (int)sample_rate);
  pthread_mutex_unlock(&t->mu);
  return rc;
}

/* ---- local audio track ---- */

AGORA_API AGORA_HANDLE agora_service_create_custom_audio_track_pcm(AGORA_HANDLE svc, AGORA_HANDLE pcm_sender) {
  if (!lb_reg_is(svc, K_SERVICE) || !((lb_service*)svc)->initialized) return NULL;
  lb_track* t = calloc(1, sizeof *t);
  if (!t) return NULL;
  pthread_mutex_init(&t->mu, NULL);
  pthread_cond_init(&t->cv, NULL);
  t->max_frames = 30;
  t->publish_volume = 100;
  t->serial = atomic_fetch_add(&g_lb.next_serial, 1) + 1;
  pthread_mutex_lock(&g_lb.lock);
  lb_sender* s = lb_reg_is(pcm_sender, K_SENDER) ? pcm_sender : NULL;
  int ok = s && !s->track;
  if (ok) { s->track = t; t->sender = s; }
  pthread_mutex_unlock(&g_lb.lock);
  if (!ok || track_reserve(t, t->max_frames) != 0) {
    if (ok) { pthread_mutex_lock(&g_lb.lock); s->track = NULL; pthread_mutex_unlock(&g_lb.lock); }
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t->ring);
    free(t);
    return NULL;
  }
  lb_reg_add(t, K_TRACK);
  lb_live_add(K_TRACK, 1);
  lb_shard_add_track(t);
  return t;
}

static lb_track* track_of(void* h) { return lb_reg_is(h, K_TRACK) ? h : NULL; }

/* Drops every queued frame; called with t->mu held. */
static int track_clear_locked(lb_track* t) {
  int n = t->count;
  for (int i = 0; i < n; i++) lb_frame_unref(t->ring[(t->head + i) % t->ring_cap]);
  t->head = 0;
  t->count = 0;
  t->cleared += n;
  t->spurt_next = 1;  /* what is sent next starts a new talk spurt */
  return n;
}

AGORA_API void agora_local_audio_track_set_enabled(AGORA_HANDLE track, int enable) {
  lb_track* t = track_of(track);
  if (!t) return;
  pthread_mutex_lock(&t->mu);
  t->enabled = enable != 0;
  if (!t->enabled) track_clear_locked(t);
  pthread_mutex_unlock(&t->mu);
}

#define TRACK_GET(t, field) ({ pthread_mutex_lock(&(t)->mu); __typeof__((t)->field) v_ = (t)->field; \
                               pthread_mutex_unlock(&(t)->mu); v_; })

AGORA_API int agora_local_audio_track_is_enabled(AGORA_HANDLE track) {
  lb_track* t = track_of(track);
  return t ? TRACK_GET(t, enabled) : -1;
}

static int track_published(lb_track* t) {
  pthread_mutex_lock(&g_lb.pub_lock);
  int n = t->npubs;
  pthread_mutex_unlock(&g_lb.pub_lock);
  return n;
}

AGORA_API int agora_local_audio_track_get_state(AGORA_HANDLE track) {
  lb_track* t = track_of(track);
  if (!t) return -1;
  if (!TRACK_GET(t, enabled)) return LOCAL_AUDIO_STREAM_STATE_STOPPED;
  return track_published(t) ? LOCAL_AUDIO_STREAM_STATE_ENCODING : LOCAL_AUDIO_STREAM_STATE_RECORDING;
}

AGORA_API int agora_local_audio_track_adjust_publish_volume(AGORA_HANDLE track, int volume) {
  lb_track* t = track_of(track);
  if (!t) return -1;
  if (volume < 0 || volume > 400) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->mu);
  t->publish_volume = volume;
  pthread_mutex_unlock(&t->mu);
  return 0;
}

AGORA_API int agora_local_audio_track_get_publish_volume(AGORA_HANDLE track, int* volume) {
  lb_track* t = track_of(track);
  if (!t) return -1;
  if (!volume) return -ERR_INVALID_ARGUMENT;
  *volume = TRACK_GET(t, publish_volume);
  return 0;
}

AGORA_API void agora_local_audio_track_set_max_bufferd_frame_number(AGORA_HANDLE track, int number) {
  lb_track* t = track_of(track);
  if (!t || number <= 0) return;
  pthread_mutex_lock(&t->mu);
  if (track_reserve(t, number) == 0) t->max_frames = number;
  pthread_mutex_unlock(&t->mu);
}

AGORA_API void agora_local_audio_track_set_send_delay_ms(AGORA_HANDLE track, int delay_ms) {
  lb_track* t = track_of(track);
  if (!t) return;
  pthread_mutex_lock(&t->mu);
  t->send_delay_ms = delay_ms;
  pthread_mutex_unlock(&t->mu);
}

AGORA_API int agora_local_audio_track_clear_sender_buffer(AGORA_HANDLE track) {
  lb_track* t = track_of(track);
  if (!t) return -1;
  /* The worker pops under t->mu and never transmits a frame it has not popped, so once this
     returns nothing queued before the call can go out. */
  pthread_mutex_lock(&t->mu);
  track_clear_locked(t);
  pthread_mutex_unlock(&t->mu);
  return 0;
}

static void track_unpublish_everywhere(lb_track* t) {
  pthread_mutex_lock(&g_lb.pub_lock);
  for (int i = 0; i < t->npubs; i++) {
    lb_conn* c = t->pubs[i];
    for (int j = 0; j < c->npubs; j++)
      if (c->pubs[j] == t) { c->pubs[j] = c->pubs[--c->npubs]; break; }
  }
  t->npubs = 0;
  pthread_mutex_unlock(&g_lb.pub_lock);
}

AGORA_API void agora_local_audio_track_destroy(AGORA_HANDLE track) {
  lb_track* t = track_of(track);
  if (!t) return;
  lb_reg_del(t);
  if (track_published(t)) {
    lb_violation("agora_local_audio_track_destroy while the track is published");
    track_unpublish_everywhere(t);
  }
  pthread_mutex_lock(&g_lb.lock);
  if (t->sender) t->sender->track = NULL;
  if (t->esender) t->esender->track = NULL;
  pthread_mutex_unlock(&g_lb.lock);
  lb_shard_del_track(t);     /* waits until no worker holds it */
  pthread_mutex_lock(&t->mu);
  track_clear_locked(t);
  pthread_mutex_unlock(&t->mu);
  pthread_mutex_destroy(&t->mu);
  pthread_cond_destroy(&t->cv);
  free(t->ring);
  free(t->pubs);
  free(t);
  lb_live_add(K_TRACK, -1);
}

static void send_audio(lb_conn* c, void* frame) { lb_conn_broadcast_audio(c, frame); }

/*
 * One worker tick for a track: pop one frame if enabled, stamp it, and hand it to every
 * connection the track is published on. Unpublished tracks still drain (real-time pacing).
 */
void lb_track_tick(lb_track* t) {
  pthread_mutex_lock(&t->mu);
  if (!t->enabled || t->count == 0) { pthread_mutex_unlock(&t->mu); return; }
  lb_frame* f = t->ring[t->head];
  t->head = (t->head + 1) % t->ring_cap;
  t->count--;
  f->seq = t->next_seq++;
  f->more_follows = t->count > 0;
  f->spurt_start = t->spurt_next;
  t->spurt_next = 0;
  t->sent++;
  if (t->publish_volume != 100) lb_apply_gain(f->pcm, f->samples * f->channels, t->publish_volume);
  pthread_mutex_unlock(&t->mu);

  lb_each_publisher(&t->pubs, &t->npubs, send_audio, f);
  lb_frame_unref(f);
}

/* ---- parameters ---- */

static int param_ok(void* p, const char* key) { return lb_reg_is(p, K_PARAM) && key && key[0]; }

static void param_store(const char* key, const char* value) {
  char full[300];
  snprintf(full, sizeof full, "param.%s", key);
  lb_param_record(full, value);
}

AGORA_API int agora_parameter_set_int(AGORA_HANDLE p, const char* key, int value) {
  if (!lb_reg_is(p, K_PARAM)) return -1;
  if (!param_ok(p, key)) return -ERR_INVALID_ARGUMENT;
  char v[24];
  snprintf(v, sizeof v, "%d", value);
  param_store(key, v);
  return 0;
}

AGORA_API int agora_parameter_set_bool(AGORA_HANDLE p, const char* key, bool value) {
  if (!lb_reg_is(p, K_PARAM)) return -1;
  if (!param_ok(p, key)) return -ERR_INVALID_ARGUMENT;
  param_store(key, value ? "1" : "0");
  return 0;
}

AGORA_API int agora_parameter_set_string(AGORA_HANDLE p, const char* key, const char* value) {
  if (!lb_reg_is(p, K_PARAM)) return -1;
  if (!param_ok(p, key) || !value) return -ERR_INVALID_ARGUMENT;
  param_store(key, value);
  return 0;
}

AGORA_API int agora_parameter_get_int(AGORA_HANDLE p, const char* key, int* value) {
  if (!lb_reg_is(p, K_PARAM)) return -1;
  if (!param_ok(p, key) || !value) return -ERR_INVALID_ARGUMENT;
  char full[300], v[64];
  snprintf(full, sizeof full, "param.%s", key);
  if (!lb_param_lookup(full, v, sizeof v)) return -ERR_NOT_READY;
  char* end;
  errno = 0;
  long x = strtol(v, &end, 10);
  if (errno || end == v || *end) return -ERR_INVALID_ARGUMENT;
  *value = (int)x;
  return 0;
}

/* ---- minimal JSON walker for set_parameters: top-level "key": value pairs ---- */

static const char* json_ws(const char* p) { while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++; return p; }

/* Parses a JSON string at p (at the quote) into out; returns the char after the closing quote. */
static const char* json_string(const char* p, char* out, size_t len) {
  size_t n = 0;
  for (p++; *p && *p != '"'; p++) {
    char ch = *p;
    if (ch == '\\' && p[1]) {
      p++;
      ch = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
    }
    if (n + 1 < len) out[n++] = ch;
  }
  out[n] = '\0';
  return *p == '"' ? p + 1 : NULL;
}

/* Returns the end of the value starting at p (object/array/string/literal). */
static const char* json_skip(const char* p) {
  int depth = 0, in_str = 0;
  for (; *p; p++) {
    if (in_str) { if (*p == '\\' && p[1]) p++; else if (*p == '"') in_str = 0; continue; }
    if (*p == '"') in_str = 1;
    else if (*p == '{' || *p == '[') depth++;
    else if (*p == '}' || *p == ']') { if (depth == 0) return p; if (--depth == 0) return p + 1; }
    else if (*p == ',' && depth == 0) return p;
  }
  return p;
}

static int json_record_pairs(const char* json) {
  const char* p = json_ws(json);
  if (*p != '{') return -ERR_INVALID_ARGUMENT;
  p = json_ws(p + 1);
  char key[256], val[1024];
  while (*p == '"') {
    if (!(p = json_string(p, key, sizeof key))) return -ERR_INVALID_ARGUMENT;
    p = json_ws(p);
    if (*p != ':') return -ERR_INVALID_ARGUMENT;
    p = json_ws(p + 1);
    if (*p == '"') {
      if (!(p = json_string(p, val, sizeof val))) return -ERR_INVALID_ARGUMENT;
    } else {
      const char* end = json_skip(p);
      size_t n = (size_t)(end - p);
      while (n && (p[n - 1] == ' ' || p[n - 1] == '\n' || p[n - 1] == '\t' || p[n - 1] == '\r')) n--;
      if (n >= sizeof val) n = sizeof val - 1;
      memcpy(val, p, n);
      val[n] = '\0';
      if (strcmp(val, "true") == 0) strcpy(val, "1");
      else if (strcmp(val, "false") == 0) strcpy(val, "0");
      p = end;
    }
    param_store(key, val);
    p = json_ws(p);
    if (*p == ',') p = json_ws(p + 1);
  }
  return *p == '}' ? 0 : -ERR_INVALID_ARGUMENT;
}

AGORA_API int agora_parameter_set_parameters(AGORA_HANDLE p, const char* json) {
  if (!lb_reg_is(p, K_PARAM)) return -1;
  if (!json) return -ERR_INVALID_ARGUMENT;
  lb_param_record("param.@json", json);
  return json_record_pairs(json);
}

/* ---- loopback_get_recorded for the service, tracks and parameters ---- */

static int service_recorded(lb_service* s, const char* key, char* out, size_t len) {
  const agora_service_config* c = &s->cfg;
  if (!strcmp(key, "service.enable_audio_processor")) snprintf(out, len, "%d", c->enable_audio_processor);
  else if (!strcmp(key, "service.enable_audio_device")) snprintf(out, len, "%d", c->enable_audio_device);
  else if (!strcmp(key, "service.enable_video")) snprintf(out, len, "%d", c->enable_video);
  else if (!strcmp(key, "service.app_id")) snprintf(out, len, "%s", s->app_id ? s->app_id : "");
  else if (!strcmp(key, "service.area_code")) snprintf(out, len, "%u", c->area_code);
  else if (!strcmp(key, "service.channel_profile")) snprintf(out, len, "%d", c->channel_profile);
  else if (!strcmp(key, "service.audio_scenario")) snprintf(out, len, "%d", c->audio_scenario);
  else if (!strcmp(key, "service.use_string_uid")) snprintf(out, len, "%d", c->use_string_uid);
  else if (!strcmp(key, "service.domain_limit")) snprintf(out, len, "%d", c->domain_limit);
  else if (!strcmp(key, "service.log_file") && s->log_file_set) snprintf(out, len, "%s", s->log_file);
  else if (!strcmp(key, "service.log_size") && s->log_file_set) snprintf(out, len, "%u", s->log_size);
  else if (!strcmp(key, "service.log_filter") && s->log_filter_set) snprintf(out, len, "%u", s->log_filter);
  else if (!strcmp(key, "service.extensions")) snprintf(out, len, "%s", s->extensions);
  else return -1;
  return 0;
}

static int track_recorded(lb_track* t, const char* key, char* out, size_t len) {
  int rc = 0;
  pthread_mutex_lock(&t->mu);
  if (!strcmp(key, "track.enabled")) snprintf(out, len, "%d", t->enabled);
  else if (!strcmp(key, "track.send_delay_ms")) snprintf(out, len, "%d", t->send_delay_ms);
  else if (!strcmp(key, "track.max_buffered_frames")) snprintf(out, len, "%d", t->max_frames);
  else if (!strcmp(key, "track.publish_volume")) snprintf(out, len, "%d", t->publish_volume);
  else if (strcmp(key, "track.published") != 0) rc = -1;
  pthread_mutex_unlock(&t->mu);
  if (rc == 0 && !strcmp(key, "track.published")) snprintf(out, len, "%d", track_published(t) > 0);
  return rc;
}

LB_API int loopback_get_recorded(void* handle, const char* key, char* buf, int buf_len) {
  if (!key) return -1;
  char out[2048];
  int rc = -1;
  if (!strncmp(key, "param.", 6)) {
    rc = lb_param_lookup(key, out, sizeof out) ? 0 : -1;
  } else if (!strncmp(key, "service.", 8)) {
    pthread_mutex_lock(&g_lb.lock);
    lb_service* s = handle ? (lb_reg_is(handle, K_SERVICE) ? handle : NULL) : g_lb.service;
    if (s) rc = service_recorded(s, key, out, sizeof out);
    pthread_mutex_unlock(&g_lb.lock);
  } else if (!strncmp(key, "track.", 6)) {
    if (lb_reg_is(handle, K_TRACK)) rc = track_recorded(handle, key, out, sizeof out);
  } else if (!strncmp(key, "vtrack.", 7)) {
    rc = lb_vtrack_recorded(handle, key, out, sizeof out);
  } else if (!strncmp(key, "atrack.", 7)) {
    if (lb_reg_is(handle, K_TRACK)) rc = lb_encoded_audio_recorded(handle, key, out, sizeof out);
  } else {
    return lb_conn_recorded(handle, key, buf, buf_len);
  }
  return rc < 0 ? -1 : lb_write_text(buf, buf_len, out);
}

#define TRACK_COUNTER(name, expr)                                  \
  LB_API long long name(void* track) {                             \
    lb_track* t = track_of(track);                                 \
    if (!t) return -1;                                             \
    pthread_mutex_lock(&t->mu);                                    \
    long long v = (expr);                                          \
    pthread_mutex_unlock(&t->mu);                                  \
    return v;                                                      \
  }
TRACK_COUNTER(loopback_track_frames_sent, t->sent)
TRACK_COUNTER(loopback_track_frames_queued, t->count)
TRACK_COUNTER(loopback_track_frames_cleared, t->cleared)
