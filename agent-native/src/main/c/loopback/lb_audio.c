/* PCM frames, format conversion (channel mix + linear-interpolation resampling), levels. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lb_internal.h"

lb_frame* lb_frame_new(int rate, int channels, int samples) {
  lb_frame* f = malloc(sizeof *f + (size_t)samples * (size_t)channels * sizeof(int16_t));
  if (!f) return NULL;
  atomic_init(&f->refs, 1);
  f->seq = 0;
  f->rate = rate;
  f->channels = channels;
  f->samples = samples;
  f->more_follows = 0;
  f->spurt_start = 0;
  return f;
}

void lb_frame_ref(lb_frame* f) { atomic_fetch_add(&f->refs, 1); }

void lb_frame_unref(lb_frame* f) {
  if (f && atomic_fetch_sub(&f->refs, 1) == 1) free(f);
}

static int16_t clamp16(long v) {
  return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

/* Sample i of channel ch of the input after mono<->stereo mixing. */
static int16_t mixed_sample(const lb_frame* in, int i, int ch, int dst_ch) {
  if (in->channels == dst_ch) return in->pcm[i * dst_ch + ch];
  if (in->channels == 1) return in->pcm[i];
  return (int16_t)(((long)in->pcm[2 * i] + in->pcm[2 * i + 1]) / 2);
}

/*
 * Converts one 10 ms frame to dst_rate/dst_ch, writing dst_rate/100 samples per channel.
 * Identical formats are copied byte-exactly. Otherwise output sample i sits at input position
 * i*src/dst - 1, i.e. the stream is delayed by one input sample so that both interpolation
 * points always exist (index -1 is the previous frame's last sample, carried in rs). Because
 * every frame maps exactly src/100 inputs to dst/100 outputs, the pattern repeats per frame
 * and there is no drift. Returns the number of samples per channel written.
 */
int lb_convert(lb_resampler* rs, const lb_frame* in, int dst_rate, int dst_ch, int16_t* out) {
  int n_in = in->samples, n_out = (int)((int64_t)n_in * dst_rate / in->rate);
  if (in->rate == dst_rate && in->channels == dst_ch) {
    memcpy(out, in->pcm, (size_t)n_in * (size_t)dst_ch * sizeof(int16_t));
    return n_in;
  }
  if (rs->src_rate != in->rate || rs->src_ch != in->channels || rs->dst_rate != dst_rate || rs->dst_ch != dst_ch) {
    rs->src_rate = in->rate; rs->src_ch = in->channels; rs->dst_rate = dst_rate; rs->dst_ch = dst_ch;
    rs->primed = 0;
  }
  for (int ch = 0; ch < dst_ch; ch++) {
    int16_t prev = rs->primed ? rs->last[ch] : mixed_sample(in, 0, ch, dst_ch);
    for (int i = 0; i < n_out; i++) {
      int64_t num = (int64_t)i * in->rate - dst_rate;          /* position * dst_rate */
      int64_t k = num >= 0 ? num / dst_rate : -1;                /* num >= -dst_rate */
      int64_t frac = num - k * dst_rate;                         /* 0 .. dst_rate-1 */
      long a = k < 0 ? prev : mixed_sample(in, (int)k, ch, dst_ch);
      long b = mixed_sample(in, (int)(k + 1), ch, dst_ch);
      out[i * dst_ch + ch] = clamp16(a + (b - a) * frac / dst_rate);
    }
    rs->last[ch] = mixed_sample(in, n_in - 1, ch, dst_ch);
  }
  rs->primed = 1;
  return n_out;
}

double lb_rms(const int16_t* pcm, int n) {
  if (n <= 0) return 0;
  double acc = 0;
  for (int i = 0; i < n; i++) acc += (double)pcm[i] * pcm[i];
  return sqrt(acc / n);
}

/* Agora's label generator reports rms as dBFS + 127 (0 = silence, 127 = full scale). */
int lb_rms_to_label(double rms) {
  if (rms < 1.0) return 0;
  double v = 20.0 * log10(rms / 32768.0) + 127.0;
  return v < 0 ? 0 : v > 127 ? 127 : (int)lround(v);
}

/* Volume 0..255 over a 90 dB range: -90 dBFS and below = 0, full scale = 255. */
int lb_rms_to_volume(double rms) {
  if (rms < 1.0) return 0;
  double v = (20.0 * log10(rms / 32768.0) + 90.0) * 255.0 / 90.0;
  return v < 0 ? 0 : v > 255 ? 255 : (int)lround(v);
}

void lb_apply_gain(int16_t* pcm, int n, int volume_percent) {
  for (int i = 0; i < n; i++) pcm[i] = clamp16((long)pcm[i] * volume_percent / 100);
}
