/*
 * Video and encoded media: the three media senders, local video tracks (raw frames or encoded
 * images), encoded audio tracks, video frame observers, video publishing and subscription.
 *
 * A raw frame is checked (buffer type, pixel format, stride, crop, rotation, metadata, alpha, colour
 * space), converted to I420 with the frame's colour space (as an encoder would), and handed, by
 * reference, to every connection the track is published on; receivers deliver it on their worker
 * tick (lb_conn.c). An encoded H.264/H.265 image must be Annex-B and is moved byte for byte to
 * encoded-frame observers. Encoded audio is checked and counted but not decoded, so receivers get no
 * PCM from it (see README.md).
 *
 * Lock order as in lb_channel.c; g_lb.lock -> track.mu; pub_lock -> conn.mu.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include "lb_internal.h"

/* ---- frames ---- */

lb_vframe* lb_vframe_new(size_t image_len, int metadata_len) {
  lb_vframe* f = malloc(sizeof *f + image_len + (size_t)metadata_len);
  if (!f) return NULL;
  memset(f, 0, sizeof *f);
  atomic_init(&f->refs, 1);
  f->image_len = image_len;
  f->metadata_len = metadata_len;
  return f;
}

void lb_vframe_ref(lb_vframe* f) { atomic_fetch_add(&f->refs, 1); }

void lb_vframe_unref(lb_vframe* f) {
  if (f && atomic_fetch_sub(&f->refs, 1) == 1) free(f);
}

/* ---- colour conversion (RGBA/BGRA -> I420), as an encoder's front end does ---- */

typedef struct yuv_coeffs { int yr, yg, yb, ur, ug, ub, vr, vg, vb, yoff; } yuv_coeffs;   /* x 65536 */

/* The all-zero tuple (what both wrappers send by default) converts as BT.601 limited range, the default
   of the libyuv-style conversion WebRTC-based encoders use; matrix 1 is BT.709, 9/10 BT.2020, 7
   SMPTE 240M, anything else BT.601; range 2 is full range, anything else limited. */
static void coeffs_for(const color_space_type* cs, yuv_coeffs* k) {
  double kr = 0.299, kb = 0.114;
  if (cs->matrix_id == 1) { kr = 0.2126; kb = 0.0722; }
  else if (cs->matrix_id == 9 || cs->matrix_id == 10) { kr = 0.2627; kb = 0.0593; }
  else if (cs->matrix_id == 7) { kr = 0.212; kb = 0.087; }
  double kg = 1.0 - kr - kb;
  int full = cs->range_id == 2;
  double ys = full ? 1.0 : 219.0 / 255.0, cscale = full ? 1.0 : 224.0 / 255.0;
  double cu = cscale / (2.0 * (1.0 - kb)), cv = cscale / (2.0 * (1.0 - kr));
  k->yr = (int)(kr * ys * 65536 + 0.5); k->yg = (int)(kg * ys * 65536 + 0.5); k->yb = (int)(kb * ys * 65536 + 0.5);
  k->ur = (int)(-kr * cu * 65536 - 0.5); k->ug = (int)(-kg * cu * 65536 - 0.5); k->ub = (int)((1 - kb) * cu * 65536 + 0.5);
  k->vr = (int)((1 - kr) * cv * 65536 + 0.5); k->vg = (int)(-kg * cv * 65536 - 0.5); k->vb = (int)(-kb * cv * 65536 - 0.5);
  k->yoff = full ? 0 : 16;
}

static uint8_t clamp8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

/* src points at the first cropped pixel; stride in pixels; ri/bi are the byte offsets of R and B. */
static void rgba_to_i420(const uint8_t* src, int stride, int w, int h, int ri, int bi, const yuv_coeffs* k,
                         uint8_t* y, uint8_t* u, uint8_t* v) {
  for (int row = 0; row < h; row++) {
    const uint8_t* p = src + (size_t)row * stride * 4;
    uint8_t* yr = y + (size_t)row * w;
    for (int x = 0; x < w; x++, p += 4)
      yr[x] = clamp8(k->yoff + ((k->yr * p[ri] + k->yg * p[1] + k->yb * p[bi] + 32768) >> 16));
  }
  int cw = w / 2;
  for (int row = 0; row < h / 2; row++) {
    const uint8_t* p0 = src + (size_t)(2 * row) * stride * 4;
    const uint8_t* p1 = p0 + (size_t)stride * 4;
    for (int x = 0; x < cw; x++, p0 += 8, p1 += 8) {
      int r = (p0[ri] + p0[4 + ri] + p1[ri] + p1[4 + ri] + 2) >> 2;
      int g = (p0[1] + p0[5] + p1[1] + p1[5] + 2) >> 2;
      int b = (p0[bi] + p0[4 + bi] + p1[bi] + p1[4 + bi] + 2) >> 2;
      u[(size_t)row * cw + x] = clamp8(128 + ((k->ur * r + k->ug * g + k->ub * b + 32768) >> 16));
      v[(size_t)row * cw + x] = clamp8(128 + ((k->vr * r + k->vg * g + k->vb * b + 32768) >> 16));
    }
  }
}

static void copy_plane(uint8_t* dst, int dst_w, const uint8_t* src, int src_stride, int rows) {
  for (int r = 0; r < rows; r++) memcpy(dst + (size_t)r * dst_w, src + (size_t)r * src_stride, (size_t)dst_w);
}

/* ---- value checks ---- */

static int valid_video_codec(int c) {
  return c == VIDEO_CODEC_VP8 || c == VIDEO_CODEC_H264 || c == VIDEO_CODEC_H265 || c == VIDEO_CODEC_GENERIC ||
         c == VIDEO_CODEC_GENERIC_H264 || c == VIDEO_CODEC_AV1 || c == VIDEO_CODEC_VP9 || c == VIDEO_CODEC_GENERIC_JPEG;
}
static int valid_rotation(int r) { return r == 0 || r == 90 || r == 180 || r == 270; }
static int in_set(int v, const int* set, int n) { for (int i = 0; i < n; i++) if (set[i] == v) return 1; return 0; }

/* The H.273 / WebM indices of agora-c-abi-video.md §6.3 (0 accepted everywhere: the default tuple). */
static int valid_color_space(const color_space_type* cs) {
  static const int prim[] = {0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 22};
  static const int xfer[] = {0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};
  static const int mat[] = {0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
  return in_set(cs->primaries_id, prim, 13) && in_set(cs->transfer_id, xfer, 18) && in_set(cs->matrix_id, mat, 14) &&
         cs->range_id >= 0 && cs->range_id <= 3;
}

static int annex_b(const uint8_t* p, uint32_t n) {
  return (n >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 1) || (n >= 3 && p[0] == 0 && p[1] == 0 && p[2] == 1);
}

/* ---- senders ---- */

static lb_msender* msender_new(void* factory, int kind) {
  if (!lb_reg_is(factory, K_FACTORY)) return NULL;
  lb_msender* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  lb_reg_add(s, kind);
  lb_live_add(LB_KIND_MEDIA_SENDER, 1);
  return s;
}

AGORA_API AGORA_HANDLE agora_media_node_factory_create_video_frame_sender(AGORA_HANDLE factory) {
  return msender_new(factory, K_VFSENDER);
}
AGORA_API AGORA_HANDLE agora_media_node_factory_create_video_encoded_image_sender(AGORA_HANDLE factory) {
  return msender_new(factory, K_VESENDER);
}
AGORA_API AGORA_HANDLE agora_media_node_factory_create_audio_encoded_frame_sender(AGORA_HANDLE factory) {
  return msender_new(factory, K_AESENDER);
}

static void msender_destroy(void* h, int kind, const char* fn) {
  if (!lb_reg_is(h, kind)) return;
  lb_msender* s = h;
  lb_reg_del(s);
  pthread_mutex_lock(&g_lb.lock);
  void* t = s->track;
  if (t && kind == K_AESENDER) ((lb_track*)t)->esender = NULL;
  else if (t) ((lb_vtrack*)t)->sender = NULL;
  pthread_mutex_unlock(&g_lb.lock);
  if (t) lb_violation("%s while its track is alive (destroy the track first)", fn);
  lb_live_add(LB_KIND_MEDIA_SENDER, -1);
  free(s);
}

AGORA_API void agora_video_frame_sender_destroy(AGORA_HANDLE sender) {
  msender_destroy(sender, K_VFSENDER, "agora_video_frame_sender_destroy");
}
AGORA_API void agora_video_encoded_image_sender_destroy(AGORA_HANDLE sender) {
  msender_destroy(sender, K_VESENDER, "agora_video_encoded_image_sender_destroy");
}
AGORA_API void agora_audio_encoded_frame_sender_destroy(AGORA_HANDLE sender) {
  msender_destroy(sender, K_AESENDER, "agora_audio_encoded_frame_sender_destroy");
}

/* ---- tracks ---- */

static int video_enabled(void* svc) {
  return lb_reg_is(svc, K_SERVICE) && ((lb_service*)svc)->initialized && ((lb_service*)svc)->cfg.enable_video;
}

/* Attaches a new track to sender s (which must be free); NULL if s is not a free sender of that kind. */
static lb_vtrack* vtrack_new(void* svc, void* sender, int kind) {
  if (!video_enabled(svc)) return NULL;
  lb_vtrack* t = calloc(1, sizeof *t);
  if (!t) return NULL;
  pthread_mutex_init(&t->mu, NULL);
  t->encoded = kind == K_VESENDER;
  pthread_mutex_lock(&g_lb.lock);
  lb_msender* s = lb_reg_is(sender, kind) ? sender : NULL;
  int ok = s && !s->track;
  if (ok) { s->track = t; t->sender = s; }
  pthread_mutex_unlock(&g_lb.lock);
  if (!ok) { pthread_mutex_destroy(&t->mu); free(t); return NULL; }
  lb_reg_add(t, K_VTRACK);
  lb_live_add(LB_KIND_LOCAL_VIDEO_TRACK, 1);
  return t;
}

AGORA_API AGORA_HANDLE agora_service_create_custom_video_track_frame(AGORA_HANDLE svc, AGORA_HANDLE sender) {
  return vtrack_new(svc, sender, K_VFSENDER);
}

AGORA_API AGORA_HANDLE agora_service_create_custom_video_track_encoded(AGORA_HANDLE svc, AGORA_HANDLE sender,
                                                                      sender_options* options) {
  sender_options o = options ? *options : (sender_options){ 0 };
  if ((o.cc_mode != 0 && o.cc_mode != 1) || (o.codec_type != 0 && !valid_video_codec(o.codec_type)) ||
      o.target_bitrate < 0)
    return NULL;
  lb_vtrack* t = vtrack_new(svc, sender, K_VESENDER);
  if (t) t->opts = o;
  return t;
}

AGORA_API AGORA_HANDLE agora_service_create_custom_audio_track_encoded(AGORA_HANDLE svc, AGORA_HANDLE sender,
                                                                      int mix_mode) {
  if (!lb_reg_is(svc, K_SERVICE) || !((lb_service*)svc)->initialized || (mix_mode != 0 && mix_mode != 1)) return NULL;
  lb_track* t = calloc(1, sizeof *t);
  if (!t) return NULL;
  pthread_mutex_init(&t->mu, NULL);
  pthread_cond_init(&t->cv, NULL);
  t->encoded = 1;
  t->mix_mode = mix_mode;
  t->publish_volume = 100;
  t->max_frames = 30;
  t->serial = atomic_fetch_add(&g_lb.next_serial, 1) + 1;
  pthread_mutex_lock(&g_lb.lock);
  lb_msender* s = lb_reg_is(sender, K_AESENDER) ? sender : NULL;
  int ok = s && !s->track;
  if (ok) { s->track = t; t->esender = s; }
  pthread_mutex_unlock(&g_lb.lock);
  if (!ok) { pthread_mutex_destroy(&t->mu); pthread_cond_destroy(&t->cv); free(t); return NULL; }
  lb_reg_add(t, K_TRACK);
  lb_live_add(K_TRACK, 1);
  lb_shard_add_track(t);     /* ticks like any track (there is never PCM to drain) */
  return t;
}

static lb_vtrack* vtrack_of(void* h) { return lb_reg_is(h, K_VTRACK) ? h : NULL; }

static int vtrack_published(lb_vtrack* t) {
  pthread_mutex_lock(&g_lb.pub_lock);
  int n = t->npubs;
  pthread_mutex_unlock(&g_lb.pub_lock);
  return n;
}

AGORA_API void agora_local_video_track_destroy(AGORA_HANDLE track) {
  lb_vtrack* t = vtrack_of(track);
  if (!t) return;
  lb_reg_del(t);
  pthread_mutex_lock(&g_lb.pub_lock);
  int published = t->npubs;
  for (int i = 0; i < t->npubs; i++) {
    lb_conn* c = t->pubs[i];
    for (int j = 0; j < c->nvpubs; j++)
      if (c->vpubs[j] == t) { c->vpubs[j] = c->vpubs[--c->nvpubs]; break; }
  }
  t->npubs = 0;
  pthread_mutex_unlock(&g_lb.pub_lock);
  if (published) lb_violation("agora_local_video_track_destroy while the track is published");
  pthread_mutex_lock(&g_lb.lock);
  if (t->sender) t->sender->track = NULL;
  pthread_mutex_unlock(&g_lb.lock);
  /* A send in progress holds t->mu (taken under g_lb.lock): wait for it. */
  pthread_mutex_lock(&t->mu);
  pthread_mutex_unlock(&t->mu);
  pthread_mutex_destroy(&t->mu);
  free(t->pubs);
  free(t);
  lb_live_add(LB_KIND_LOCAL_VIDEO_TRACK, -1);
}

AGORA_API void agora_local_video_track_set_enabled(AGORA_HANDLE track, int enable) {
  lb_vtrack* t = vtrack_of(track);
  if (!t) return;
  pthread_mutex_lock(&t->mu);
  t->enabled = enable != 0;
  pthread_mutex_unlock(&t->mu);
}

AGORA_API int agora_local_video_track_set_video_encoder_config(AGORA_HANDLE track, const video_encoder_config* cfg) {
  lb_vtrack* t = vtrack_of(track);
  if (!t) return -1;
  if (!cfg) return -ERR_INVALID_ARGUMENT;
  static const int degradation[] = {-1, 0, 1, 2, 3, 100};
  if ((cfg->codec_type != 0 && !valid_video_codec(cfg->codec_type)) || cfg->dimensions.width < 0 ||
      cfg->dimensions.height < 0 || cfg->dimensions.width > LB_MAX_VIDEO_DIM ||
      cfg->dimensions.height > LB_MAX_VIDEO_DIM || cfg->frame_rate < 0 || cfg->frame_rate > 120 || cfg->bitrate < -1 ||
      cfg->min_bitrate < -1 || cfg->orientation_mode < 0 || cfg->orientation_mode > 2 ||
      !in_set(cfg->degradation_preference, degradation, 6) || cfg->mirror_mode < 0 || cfg->mirror_mode > 2 ||
      (cfg->encode_alpha != 0 && cfg->encode_alpha != 1))
    return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->mu);
  t->enc = *cfg;
  t->enc_set = 1;
  pthread_mutex_unlock(&t->mu);
  return 0;
}

AGORA_API int agora_local_video_track_enable_simulcast_stream(AGORA_HANDLE track, int enabled,
                                                              const simulcast_stream_config* config) {
  lb_vtrack* t = vtrack_of(track);
  if (!t) return -1;
  if (enabled && (!config || config->dimensions.width <= 0 || config->dimensions.height <= 0 ||
                  config->dimensions.width > LB_MAX_VIDEO_DIM || config->dimensions.height > LB_MAX_VIDEO_DIM ||
                  config->bitrate < 0 || config->framerate < 0))
    return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->mu);
  t->simulcast = enabled != 0;
  if (enabled) t->sim = *config;
  pthread_mutex_unlock(&t->mu);
  return 0;
}

AGORA_API int agora_local_video_track_get_state(AGORA_HANDLE track) {
  lb_vtrack* t = vtrack_of(track);
  if (!t) return -1;
  pthread_mutex_lock(&t->mu);
  int enabled = t->enabled;
  long long frames = t->frames;
  pthread_mutex_unlock(&t->mu);
  if (!enabled) return LOCAL_VIDEO_STREAM_STATE_STOPPED;
  return vtrack_published(t) && frames > 0 ? LOCAL_VIDEO_STREAM_STATE_ENCODING : LOCAL_VIDEO_STREAM_STATE_CAPTURING;
}

AGORA_API local_video_track_stats* agora_local_video_track_get_statistics(AGORA_HANDLE track) {
  lb_vtrack* t = vtrack_of(track);
  if (!t) return NULL;
  local_video_track_stats* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  pthread_mutex_lock(&t->mu);
  s->number_of_streams = 1u + (t->simulcast ? 1u : 0u);
  s->bytes_major_stream = (uint64_t)t->bytes;
  s->frames_encoded = (uint32_t)t->frames;
  s->capture_frame_rate = s->input_frame_rate = s->encode_frame_rate = t->input_fps;
  s->capture_width = s->regulated_capture_width = s->width = t->last_w;
  s->capture_height = s->regulated_capture_height = s->height = t->last_h;
  s->target_media_bitrate_bps = t->enc_set && t->enc.bitrate > 0 ? t->enc.bitrate * 1000 : 0;
  s->encoder_type = (uint32_t)(t->encoded ? t->last_codec : t->enc.codec_type);
  pthread_mutex_unlock(&t->mu);
  lb_live_add(LB_KIND_STATS, 1);
  return s;
}

AGORA_API void agora_local_video_track_destroy_statistics(AGORA_HANDLE track, local_video_track_stats* stats) {
  if (!vtrack_of(track) || !stats) return;
  free(stats);
  lb_live_add(LB_KIND_STATS, -1);
}

/* ---- sending ---- */

/* Frames accepted per second, over one-second windows. t->mu held. */
static void count_frame(lb_vtrack* t, size_t bytes) {
  int64_t now = lb_now_ms();
  t->frames++;
  t->bytes += (long long)bytes;
  if (now - t->fps_window_ms >= 1000) {
    t->input_fps = now - t->fps_window_ms < 2000 ? t->fps_window_frames : 0;
    t->fps_window_ms = now;
    t->fps_window_frames = 0;
  }
  t->fps_window_frames++;
}

static void send_video(lb_conn* c, void* frame) { lb_conn_broadcast_video(c, frame); }

/* Hands f to every connection t is published on (each receiver takes its own reference). */
static void vtrack_transmit(lb_vtrack* t, lb_vframe* f) { lb_each_publisher(&t->pubs, &t->npubs, send_video, f); }

/* Takes the track of sender h (of kind) with its mu held, or NULL (rc set). Keeps it alive: destroy
   detaches under g_lb.lock and then waits for t->mu. */
static void* lock_track_of_sender(void* h, int kind, int* rc) {
  if (!lb_reg_is(h, kind)) { *rc = -1; return NULL; }
  pthread_mutex_lock(&g_lb.lock);
  void* t = ((lb_msender*)h)->track;
  if (!t) { pthread_mutex_unlock(&g_lb.lock); *rc = -ERR_NOT_READY; return NULL; }
  pthread_mutex_lock(kind == K_AESENDER ? &((lb_track*)t)->mu : &((lb_vtrack*)t)->mu);
  pthread_mutex_unlock(&g_lb.lock);
  return t;
}

/* Checks a raw frame; 0 or -ERR_*. Output size in *w, *h. */
static int check_frame(const external_video_frame* fr, int* w, int* h) {
  if (fr->type == VIDEO_BUFFER_TEXTURE) return -ERR_NOT_SUPPORTED;
  if (fr->type != VIDEO_BUFFER_RAW_DATA) return -ERR_INVALID_ARGUMENT;
  if (fr->format != VIDEO_PIXEL_I420 && fr->format != VIDEO_PIXEL_RGBA && fr->format != VIDEO_PIXEL_BGRA)
    return fr->format == VIDEO_PIXEL_NV12 || fr->format == VIDEO_PIXEL_NV21 ? -ERR_NOT_SUPPORTED : -ERR_INVALID_ARGUMENT;
  if (!fr->buffer || fr->stride <= 0 || fr->height <= 0 || fr->stride > LB_MAX_VIDEO_DIM || fr->height > LB_MAX_VIDEO_DIM)
    return -ERR_INVALID_ARGUMENT;
  if (fr->crop_left < 0 || fr->crop_top < 0 || fr->crop_right < 0 || fr->crop_bottom < 0) return -ERR_INVALID_ARGUMENT;
  *w = fr->stride - fr->crop_left - fr->crop_right;
  *h = fr->height - fr->crop_top - fr->crop_bottom;
  /* I420 chroma is subsampled 2x2: every size and crop must be even (for RGBA the output is too). */
  if (*w < 2 || *h < 2 || (*w & 1) || (*h & 1)) return -ERR_INVALID_ARGUMENT;
  if (fr->format == VIDEO_PIXEL_I420 &&
      ((fr->stride | fr->height | fr->crop_left | fr->crop_top | fr->crop_right | fr->crop_bottom) & 1))
    return -ERR_INVALID_ARGUMENT;
  if (!valid_rotation(fr->rotation) || fr->timestamp < 0) return -ERR_INVALID_ARGUMENT;
  if (fr->metadata_size < 0 || fr->metadata_size > LB_MAX_VMETA || (fr->metadata_size > 0 && !fr->metadata_buffer))
    return -ERR_INVALID_ARGUMENT;
  if (fr->fill_alpha_buffer > 1 || fr->alpha_mode < 0 || fr->alpha_mode > 4) return -ERR_INVALID_ARGUMENT;
  if (fr->fill_alpha_buffer && !fr->alpha_buffer && fr->format == VIDEO_PIXEL_I420) return -ERR_INVALID_ARGUMENT;
  if (!valid_color_space(&fr->color_space)) return -ERR_INVALID_ARGUMENT;
  return 0;
}

/* Builds the I420 (+alpha) frame the receivers get. */
static lb_vframe* convert_frame(const external_video_frame* fr, int w, int h, int keep_alpha) {
  int rgba = fr->format != VIDEO_PIXEL_I420;
  int alpha = keep_alpha && (fr->alpha_buffer || (fr->fill_alpha_buffer && rgba));
  size_t ysz = (size_t)w * h, csz = ysz / 4;
  lb_vframe* f = lb_vframe_new(ysz + 2 * csz + (alpha ? ysz : 0), fr->metadata_size);
  if (!f) return NULL;
  f->width = w; f->height = h; f->rotation = fr->rotation; f->timestamp_ms = fr->timestamp;
  f->has_alpha = alpha; f->alpha_mode = fr->alpha_mode;
  uint8_t *y = f->data, *u = y + ysz, *v = u + csz, *a = v + csz;
  const uint8_t* src = fr->buffer;
  int s = fr->stride;
  if (rgba) {
    yuv_coeffs k;
    coeffs_for(&fr->color_space, &k);
    const uint8_t* first = src + ((size_t)fr->crop_top * s + fr->crop_left) * 4;
    int ri = fr->format == VIDEO_PIXEL_RGBA ? 0 : 2, bi = 2 - ri;
    rgba_to_i420(first, s, w, h, ri, bi, &k, y, u, v);
    if (alpha && !fr->alpha_buffer)
      for (int r = 0; r < h; r++)
        for (int x = 0; x < w; x++) a[(size_t)r * w + x] = first[((size_t)r * s + x) * 4 + 3];
  } else {
    const uint8_t* sy = src;
    const uint8_t* su = sy + (size_t)s * fr->height;
    const uint8_t* sv = su + (size_t)(s / 2) * (fr->height / 2);
    copy_plane(y, w, sy + (size_t)fr->crop_top * s + fr->crop_left, s, h);
    size_t coff = (size_t)(fr->crop_top / 2) * (s / 2) + fr->crop_left / 2;
    copy_plane(u, w / 2, su + coff, s / 2, h / 2);
    copy_plane(v, w / 2, sv + coff, s / 2, h / 2);
  }
  if (alpha && fr->alpha_buffer) copy_plane(a, w, fr->alpha_buffer + (size_t)fr->crop_top * s + fr->crop_left, s, h);
  if (fr->metadata_size) memcpy(f->data + f->image_len, fr->metadata_buffer, (size_t)fr->metadata_size);
  return f;
}

AGORA_API int agora_video_frame_sender_send(AGORA_HANDLE sender, const external_video_frame* frame) {
  int rc = 0, w = 0, h = 0;
  if (!lb_reg_is(sender, K_VFSENDER)) return -1;
  if (!frame) return -1;
  lb_vtrack* t = lock_track_of_sender(sender, K_VFSENDER, &rc);
  if (!t) return rc;
  lb_vframe* f = NULL;
  if (!t->enabled) rc = -ERR_NOT_READY;
  else if ((rc = check_frame(frame, &w, &h)) == 0) {
    int keep_alpha = t->enc_set && t->enc.encode_alpha;
    if (!keep_alpha && (frame->alpha_buffer || frame->fill_alpha_buffer)) t->alpha_ignored++;
    f = convert_frame(frame, w, h, keep_alpha);
    if (!f) rc = -ERR_FAILED;
  }
  if (rc == 0) {
    count_frame(t, f->image_len);
    t->last_w = w; t->last_h = h; t->last_format = frame->format; t->last_rotation = frame->rotation;
    t->last_cs = frame->color_space; t->last_ts = frame->timestamp; t->last_alpha = f->has_alpha;
    t->last_meta = frame->metadata_size;
  } else {
    t->rejected++;
  }
  pthread_mutex_unlock(&t->mu);
  if (f) {
    vtrack_transmit(t, f);
    lb_vframe_unref(f);
  }
  return rc;
}

static int check_encoded_info(const encoded_video_frame_info* i) {
  static const int types[] = {VIDEO_FRAME_TYPE_BLANK, VIDEO_FRAME_TYPE_KEY, VIDEO_FRAME_TYPE_DELTA, VIDEO_FRAME_TYPE_B,
                              VIDEO_FRAME_TYPE_DROPPABLE};
  if (!valid_video_codec(i->codec_type) || i->width <= 0 || i->height <= 0 || i->width > LB_MAX_VIDEO_DIM ||
      i->height > LB_MAX_VIDEO_DIM || i->frames_per_second < 0 || i->frames_per_second > 120 ||
      !in_set(i->frame_type, types, 5) || !valid_rotation(i->rotation) || (i->stream_type != 0 && i->stream_type != 1))
    return -ERR_INVALID_ARGUMENT;
  return 0;
}

/* Returns 1 when sent, as the 2.2.4 Python wrapper expects (< 0 on error). */
AGORA_API int agora_video_encoded_image_sender_send(AGORA_HANDLE sender, const uint8_t* image_buffer, uint32_t length,
                                                    const encoded_video_frame_info* info) {
  int rc = 0;
  if (!lb_reg_is(sender, K_VESENDER)) return -1;
  lb_vtrack* t = lock_track_of_sender(sender, K_VESENDER, &rc);
  if (!t) return rc;
  lb_vframe* f = NULL;
  if (!t->enabled) rc = -ERR_NOT_READY;
  else if (!image_buffer || length == 0 || length > LB_MAX_ENCODED_BYTES || !info) rc = -ERR_INVALID_ARGUMENT;
  else if ((rc = check_encoded_info(info)) == 0) {
    if ((info->codec_type == VIDEO_CODEC_H264 || info->codec_type == VIDEO_CODEC_H265) && !annex_b(image_buffer, length))
      rc = -ERR_INVALID_ARGUMENT;   /* AVCC (length-prefixed) input: the SDK wants Annex-B start codes */
    else if (t->opts.codec_type != 0 && t->opts.codec_type != info->codec_type)
      rc = -ERR_INVALID_ARGUMENT;   /* the track was created for another codec */
    else if (!(f = lb_vframe_new(length, 0)))
      rc = -ERR_FAILED;
  }
  if (rc == 0) {
    f->encoded = 1;
    f->info = *info;
    f->width = info->width; f->height = info->height; f->rotation = info->rotation;
    f->timestamp_ms = info->capture_time_ms;
    memcpy(f->data, image_buffer, length);
    count_frame(t, length);
    if (info->frame_type == VIDEO_FRAME_TYPE_KEY) t->key_frames++;
    t->last_w = info->width; t->last_h = info->height; t->last_codec = info->codec_type;
    t->last_frame_type = info->frame_type;
  } else {
    t->rejected++;
  }
  pthread_mutex_unlock(&t->mu);
  if (f) {
    vtrack_transmit(t, f);
    lb_vframe_unref(f);
  }
  return rc == 0 ? 1 : rc;
}

/* Checked and counted; not decoded, so receivers get no PCM from it. Returns 0 when accepted. */
AGORA_API int agora_audio_encoded_frame_sender_send(AGORA_HANDLE sender, const uint8_t* payload, uint32_t size,
                                                    const encoded_audio_frame_info* info) {
  static const int codecs[] = {AUDIO_CODEC_OPUS, AUDIO_CODEC_PCMA, AUDIO_CODEC_PCMU, AUDIO_CODEC_G722, AUDIO_CODEC_AACLC,
                               AUDIO_CODEC_HEAAC, AUDIO_CODEC_JC1, AUDIO_CODEC_HEAAC2, AUDIO_CODEC_LPCNET,
                               AUDIO_CODEC_OPUSMC};
  static const int rates[] = {8000, 16000, 22050, 24000, 32000, 44100, 48000};
  int rc = 0;
  if (!lb_reg_is(sender, K_AESENDER)) return -1;
  lb_track* t = lock_track_of_sender(sender, K_AESENDER, &rc);
  if (!t) return rc;
  if (!t->enabled) rc = -ERR_NOT_READY;
  else if (!payload || size == 0 || size > LB_MAX_AUDIO_ENCODED_BYTES || !info) rc = -ERR_INVALID_ARGUMENT;
  else if (!in_set(info->codec, codecs, 10) || !in_set(info->sample_rate_hz, rates, 7) ||
           (info->number_of_channels != 1 && info->number_of_channels != 2) || info->samples_per_channel < 0 ||
           info->samples_per_channel > 8192 || (info->speech != 0 && info->speech != 1) ||
           (info->send_even_if_empty != 0 && info->send_even_if_empty != 1))
    rc = -ERR_INVALID_ARGUMENT;
  if (rc == 0) {
    int spc = info->samples_per_channel;
    if (spc == 0) spc = info->codec == AUDIO_CODEC_OPUS ? 960 : 1024;   /* the header's defaults */
    t->sent++;
    t->enc_bytes += size;
    t->enc_samples += spc;
    t->enc_last = *info;
  }
  pthread_mutex_unlock(&t->mu);
  return rc;
}

/* ---- publishing and subscribing (local user) ---- */

static lb_conn* user_conn(void* h) { return lb_reg_is(h, K_USER) ? ((lb_user*)h)->conn : NULL; }

static int link_vtrack(lb_conn* c, lb_vtrack* t) {
  int rc = 0;
  pthread_mutex_lock(&g_lb.pub_lock);
  for (int i = 0; i < c->nvpubs; i++) if (c->vpubs[i] == t) rc = 1;
  if (!rc && c->nvpubs == c->vpubs_cap) {
    int cap = c->vpubs_cap ? c->vpubs_cap * 2 : 2;
    lb_vtrack** p = realloc(c->vpubs, (size_t)cap * sizeof *p);
    if (p) { c->vpubs = p; c->vpubs_cap = cap; } else rc = -1;
  }
  if (!rc && t->npubs == t->pubs_cap) {
    int cap = t->pubs_cap ? t->pubs_cap * 2 : 2;
    lb_conn** p = realloc(t->pubs, (size_t)cap * sizeof *p);
    if (p) { t->pubs = p; t->pubs_cap = cap; } else rc = -1;
  }
  if (!rc) { c->vpubs[c->nvpubs++] = t; t->pubs[t->npubs++] = c; }
  pthread_mutex_unlock(&g_lb.pub_lock);
  return rc;
}

static int unlink_vtrack(lb_conn* c, lb_vtrack* t) {
  int found = 0;
  pthread_mutex_lock(&g_lb.pub_lock);
  for (int i = 0; i < c->nvpubs; i++)
    if (c->vpubs[i] == t) { c->vpubs[i] = c->vpubs[--c->nvpubs]; found = 1; break; }
  for (int i = 0; found && i < t->npubs; i++)
    if (t->pubs[i] == c) { t->pubs[i] = t->pubs[--t->npubs]; break; }
  pthread_mutex_unlock(&g_lb.pub_lock);
  return found;
}

static void announce_video(lb_conn* c, int delta, int ev, void* track) {
  pthread_mutex_lock(&c->mu);
  int before = c->vpublishing > 0;
  c->vpublishing += delta;
  int after = c->vpublishing > 0;
  const char* ch = c->channel ? c->channel : "";
  lb_conn_ev_push(c, ev, 0, ch, strlen(ch) + 1, track);
  pthread_mutex_unlock(&c->mu);
  if (before != after) {
    lb_peer_msg m = { .kind = after ? WIRE_VPUBLISH : WIRE_VUNPUBLISH, .flag = after };
    lb_conn_send_msg(c, &m);
  }
}

AGORA_API int agora_local_user_publish_video(AGORA_HANDLE local_user, AGORA_HANDLE local_video_track) {
  lb_conn* c = user_conn(local_user);
  if (!c) return -1;
  if (!vtrack_of(local_video_track)) return -ERR_INVALID_ARGUMENT;
  int rc = link_vtrack(c, local_video_track);
  if (rc < 0) return -ERR_FAILED;
  if (rc == 0) announce_video(c, 1, EV_VPUBLISHED, local_video_track);
  return 0;
}

AGORA_API int agora_local_user_unpublish_video(AGORA_HANDLE local_user, AGORA_HANDLE local_video_track) {
  lb_conn* c = user_conn(local_user);
  if (!c) return -1;
  if (!vtrack_of(local_video_track)) return -ERR_INVALID_ARGUMENT;
  if (unlink_vtrack(c, local_video_track)) announce_video(c, -1, EV_VUNPUBLISHED, local_video_track);
  return 0;
}

static int video_sub(void* local_user, const char* uid, int op, const video_subscription_options* o) {
  lb_conn* c = user_conn(local_user);
  if (!c) return -1;
  if ((op == 0 || op == 1) && (!uid || !uid[0])) return -ERR_INVALID_ARGUMENT;
  if (o && ((o->type != 0 && o->type != 1) || (o->encoded_frame_only != 0 && o->encoded_frame_only != 1)))
    return -ERR_INVALID_ARGUMENT;
  lb_conn_video_subscription(c, uid, op, o ? o->encoded_frame_only : 0);
  return 0;
}

AGORA_API int agora_local_user_subscribe_video(AGORA_HANDLE u, user_id_t uid, const video_subscription_options* o) {
  return video_sub(u, uid, 0, o);
}
AGORA_API int agora_local_user_unsubscribe_video(AGORA_HANDLE u, user_id_t uid) { return video_sub(u, uid, 1, NULL); }
AGORA_API int agora_local_user_subscribe_all_video(AGORA_HANDLE u, const video_subscription_options* o) {
  return video_sub(u, NULL, 2, o);
}
AGORA_API int agora_local_user_unsubscribe_all_video(AGORA_HANDLE u) { return video_sub(u, NULL, 3, NULL); }

/* ---- video frame observers ---- */

static lb_vobs* vobs_new(int kind) {
  lb_vobs* o = calloc(1, sizeof *o);
  if (!o) return NULL;
  lb_reg_add(o, kind);
  lb_live_add(LB_KIND_VIDEO_OBSERVER, 1);
  return o;
}

/* The struct is copied: the caller's memory may go away after create (Go frees it); the function
   pointers must stay valid until destroy. */
AGORA_API AGORA_HANDLE agora_video_frame_observer2_create(video_frame_observer2* observer) {
  if (!observer) return NULL;
  lb_vobs* o = vobs_new(K_VOBS);
  if (o) o->raw = *observer;
  return o;
}

AGORA_API AGORA_HANDLE agora_video_encoded_frame_observer_create(video_encoded_frame_observer* observer) {
  if (!observer) return NULL;
  lb_vobs* o = vobs_new(K_VEOBS);
  if (o) o->enc = *observer;
  return o;
}

static void vobs_destroy(void* h, int kind, const char* fn) {
  if (!lb_reg_is(h, kind)) return;
  lb_vobs* o = h;
  lb_conn* c = lb_vobs_registered_hold(o);
  if (c) {
    lb_violation("%s while the observer is still registered (unregister it first)", fn);
    lb_conn_unregister_vobs(c, o);
    if (lb_conn_release(c)) lb_conn_free(c);
  }
  lb_reg_del(o);
  lb_live_add(LB_KIND_VIDEO_OBSERVER, -1);
  free(o);
}

AGORA_API void agora_video_frame_observer2_destroy(AGORA_HANDLE observer) {
  vobs_destroy(observer, K_VOBS, "agora_video_frame_observer2_destroy");
}
AGORA_API void agora_video_encoded_frame_observer_destroy(AGORA_HANDLE observer) {
  vobs_destroy(observer, K_VEOBS, "agora_video_encoded_frame_observer_destroy");
}

static int vobs_register(void* local_user, void* observer, int kind, int reg) {
  lb_conn* c = user_conn(local_user);
  if (!c) return -1;
  if (!lb_reg_is(observer, kind)) return -ERR_INVALID_ARGUMENT;
  return reg ? lb_conn_register_vobs(c, observer) : lb_conn_unregister_vobs(c, observer);
}

AGORA_API int agora_local_user_register_video_frame_observer(AGORA_HANDLE u, AGORA_HANDLE observer) {
  return vobs_register(u, observer, K_VOBS, 1);
}
AGORA_API int agora_local_user_unregister_video_frame_observer(AGORA_HANDLE u, AGORA_HANDLE observer) {
  return vobs_register(u, observer, K_VOBS, 0);
}
AGORA_API int agora_local_user_register_video_encoded_frame_observer(AGORA_HANDLE u, AGORA_HANDLE observer) {
  return vobs_register(u, observer, K_VEOBS, 1);
}
AGORA_API int agora_local_user_unregister_video_encoded_frame_observer(AGORA_HANDLE u, AGORA_HANDLE observer) {
  return vobs_register(u, observer, K_VEOBS, 0);
}

/* ---- test API ---- */

LB_API long long loopback_video_track_frames_sent(void* track) {
  lb_vtrack* t = vtrack_of(track);
  if (!t) return -1;
  pthread_mutex_lock(&t->mu);
  long long n = t->frames;
  pthread_mutex_unlock(&t->mu);
  return n;
}

int lb_vtrack_recorded(void* h, const char* key, char* out, size_t len) {
  lb_vtrack* t = vtrack_of(h);
  if (!t) return -1;
  int rc = 0;
  pthread_mutex_lock(&t->mu);
  const video_encoder_config* e = &t->enc;
  if (!strcmp(key, "vtrack.enabled")) snprintf(out, len, "%d", t->enabled);
  else if (!strcmp(key, "vtrack.encoded")) snprintf(out, len, "%d", t->encoded);
  else if (!strcmp(key, "vtrack.encoder_config"))
    snprintf(out, len, "%d,%dx%d,%d,%d,%d,%d,%d,%d,%d", e->codec_type, e->dimensions.width, e->dimensions.height,
             e->frame_rate, e->bitrate, e->min_bitrate, e->orientation_mode, e->degradation_preference, e->mirror_mode,
             e->encode_alpha);
  else if (!strcmp(key, "vtrack.sender_options"))
    snprintf(out, len, "%d,%d,%d", t->opts.cc_mode, t->opts.codec_type, t->opts.target_bitrate);
  else if (!strcmp(key, "vtrack.simulcast"))
    snprintf(out, len, "%d,%dx%d,%d,%d", t->simulcast, t->sim.dimensions.width, t->sim.dimensions.height,
             t->sim.bitrate, t->sim.framerate);
  else if (!strcmp(key, "vtrack.last_frame"))
    snprintf(out, len, "%dx%d,format=%d,rotation=%d,ts=%lld,alpha=%d,metadata=%d", t->last_w, t->last_h,
             t->last_format, t->last_rotation, (long long)t->last_ts, t->last_alpha, t->last_meta);
  else if (!strcmp(key, "vtrack.color_space"))
    snprintf(out, len, "%d,%d,%d,%d", t->last_cs.primaries_id, t->last_cs.transfer_id, t->last_cs.matrix_id,
             t->last_cs.range_id);
  else if (!strcmp(key, "vtrack.rejected")) snprintf(out, len, "%lld", t->rejected);
  else if (!strcmp(key, "vtrack.alpha_ignored")) snprintf(out, len, "%lld", t->alpha_ignored);
  else if (!strcmp(key, "vtrack.bytes")) snprintf(out, len, "%lld", t->bytes);
  else if (!strcmp(key, "vtrack.key_frames")) snprintf(out, len, "%lld", t->key_frames);
  else if (strcmp(key, "vtrack.published") != 0) rc = -1;
  pthread_mutex_unlock(&t->mu);
  if (rc == 0 && !strcmp(key, "vtrack.published")) snprintf(out, len, "%d", vtrack_published(t) > 0);
  return rc;
}

/* Recorded values of an encoded audio track ("atrack.*"). */
int lb_encoded_audio_recorded(lb_track* t, const char* key, char* out, size_t len) {
  int rc = 0;
  pthread_mutex_lock(&t->mu);
  const encoded_audio_frame_info* i = &t->enc_last;
  if (!strcmp(key, "atrack.encoded")) snprintf(out, len, "%d", t->encoded);
  else if (!t->encoded) rc = -1;
  else if (!strcmp(key, "atrack.mix_mode")) snprintf(out, len, "%d", t->mix_mode);
  else if (!strcmp(key, "atrack.bytes")) snprintf(out, len, "%lld", t->enc_bytes);
  else if (!strcmp(key, "atrack.samples")) snprintf(out, len, "%lld", t->enc_samples);
  else if (!strcmp(key, "atrack.last_info"))
    snprintf(out, len, "speech=%d,codec=%d,rate=%d,samples=%d,even_if_empty=%d,channels=%d", i->speech, i->codec,
             i->sample_rate_hz, i->samples_per_channel, i->send_even_if_empty, i->number_of_channels);
  else rc = -1;
  pthread_mutex_unlock(&t->mu);
  return rc;
}
