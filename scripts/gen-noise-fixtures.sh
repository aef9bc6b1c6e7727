#!/usr/bin/env bash
# Generates the non-speech sounds of `scripts/agent bench barge-in` into test_data/noise/ (rerunnable;
# the small outputs are committed). Needs sox and espeak-ng (apt-get install -y sox espeak-ng).
#
# Outputs (raw PCM, signed 16-bit little-endian, 16 kHz, mono, peak-normalized to -1 dBFS; the
# benchmark plays them at several levels):
#   keys.pcm   keyboard typing: 8 clicks of 6 ms white noise over about 1.2 s
#   cough.pcm  a cough: two band-limited pink-noise bursts (280 ms and 160 ms)
#   knock.pcm  three door knocks: 50 ms thumps of a 110 Hz tone and pink noise, 180 ms apart
#   sting.pcm  a short music sting: a plucked C major chord, 0.8 s
#   mmhm.pcm   a backchannel, "mm hmm", spoken by espeak-ng
set -euo pipefail
cd "$(dirname "$0")/.."
for t in sox espeak-ng; do command -v $t >/dev/null || { echo "missing $t (apt-get install -y sox espeak-ng)" >&2; exit 1; }; done
OUT=test_data/noise
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
RAW="-t raw -r 16000 -e signed -b 16 -c 1 -L"
gen() { sox -n $RAW "$TMP/$1.raw" "${@:2}"; }                 # gen <name> <sox effects...>
cat_raw() { local out=$1; shift; local args=(); for f in "$@"; do args+=($RAW "$TMP/$f.raw"); done; sox "${args[@]}" $RAW "$TMP/$out.raw"; }
finish() { sox $RAW "$TMP/$1.raw" $RAW "$OUT/$1.pcm" gain -n -1; }

gen click synth 0.006 whitenoise fade q 0 0.006 0.005
gen g120 trim 0 0.12
gen g240 trim 0 0.24
cat_raw keys click g120 click g120 click g240 click g120 click g120 click g240 click g120 click
gen cough1 synth 0.28 pinknoise band 1200 900 fade q 0.01 0.28 0.18
gen cough2 synth 0.16 pinknoise band 1000 800 fade q 0.01 0.16 0.1
gen g90 trim 0 0.09
cat_raw cough cough1 g90 cough2
gen knock1 synth 0.05 sine 110 synth 0.05 pinknoise mix fade q 0.002 0.05 0.045
gen g180 trim 0 0.18
cat_raw knock knock1 g180 knock1 g180 knock1
gen sting synth 0.8 pluck C4 synth 0.8 pluck mix E4 synth 0.8 pluck mix G4 fade q 0.005 0.8 0.3
espeak-ng -s 140 -w "$TMP/mmhm.wav" "mm hmm"
sox "$TMP/mmhm.wav" $RAW "$TMP/mmhm.raw" remix - rate 16000 silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse
for f in keys cough knock sting mmhm; do
  finish "$f"
  echo "$OUT/$f.pcm: $(( $(stat -c %s "$OUT/$f.pcm") / 32 )) ms"
done
