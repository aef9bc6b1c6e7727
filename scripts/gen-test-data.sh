#!/usr/bin/env bash
# Generates the small VAD fixtures in test_data/ (rerunnable; outputs are committed).
# Needs: espeak-ng, sox, pocketsphinx-testdata (Debian: apt-get install -y espeak-ng sox pocketsphinx-testdata).
#
# Outputs (raw PCM, signed 16-bit little-endian, 16 kHz, mono, no header):
#   espeak_gaps_16k_1ch.pcm  + .labels : synthetic speech (espeak-ng) separated by digital silence
#   real_gaps_16k_1ch.pcm    + .labels : recorded speech (pocketsphinx-testdata, LibriVox/CMU "cards")
#                                        separated by pauses of white noise at -66 dBFS
#   hello_16k_1ch.pcm                  : ~8 s of speech for the channel demo
# A .labels file has one "start_ms end_ms" line per utterance, on the file's time axis: the span
# of the utterance after sox trimmed its leading/trailing silence.
set -euo pipefail
cd "$(dirname "$0")/.."
for t in espeak-ng sox soxi; do command -v $t >/dev/null || { echo "missing $t (apt-get install -y espeak-ng sox)" >&2; exit 1; }; done
PS=/usr/share/pocketsphinx/test/data
[[ -d $PS ]] || { echo "missing $PS (apt-get install -y pocketsphinx-testdata)" >&2; exit 1; }
OUT=test_data
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
RAW="-t raw -r 16000 -e signed -b 16 -c 1 -L"

# trim <in-audio> <out.raw>: resample to 16 kHz mono, cut leading and trailing silence (< -46 dBFS).
TRIM=0.5%  # espeak-ng pads with digital silence; recordings get a higher threshold below
trim() { sox "$1" $RAW "$2" remix - rate -v 16000 silence 1 0.02 "$TRIM" reverse silence 1 0.02 "$TRIM" reverse; }
ms_of() { echo $(( $(stat -c %s "$1") / 32 )); }   # bytes -> ms at 16 kHz mono PCM16
silence() { sox -n $RAW "$2" trim 0 "$1"; }                     # digital silence, seconds
noise() { sox -n $RAW "$2" synth "$1" whitenoise vol 0.0005; }  # about -66 dBFS RMS

# build <name> <gap-kind> <gap-seconds> <utterance.raw>...: gap, utt, gap, utt, ..., gap
build() {
  local name=$1 kind=$2 gap=$3; shift 3
  local parts=() pos=0 labels=""
  $kind "$gap" "$TMP/gap.raw"
  local gap_ms; gap_ms=$(ms_of "$TMP/gap.raw")
  for u in "$@"; do
    parts+=("$TMP/gap.raw" "$u")
    pos=$((pos + gap_ms))
    local len; len=$(ms_of "$u")
    labels+="$pos $((pos + len))"$'\n'
    pos=$((pos + len))
  done
  parts+=("$TMP/gap.raw")
  cat "${parts[@]}" > "$OUT/$name.pcm"
  printf '%s' "$labels" > "$OUT/$name.labels"
  echo "$OUT/$name.pcm: $(ms_of "$OUT/$name.pcm") ms, $(($# )) utterances"
}

i=0
for text in "Hello, this is a short test of the voice activity detector." \
            "The quick brown fox jumps over the lazy dog." \
            "Please call me back tomorrow morning."; do
  espeak-ng -v en-us -s 165 -w "$TMP/es$i.wav" "$text"
  trim "$TMP/es$i.wav" "$TMP/es$i.raw"
  i=$((i + 1))
done
build espeak_gaps_16k_1ch silence 1.5 "$TMP"/es0.raw "$TMP"/es1.raw "$TMP"/es2.raw

TRIM=2%     # about -34 dBFS: above the recordings' noise floor (about -45 dBFS)
trim "$PS/cards/001.wav" "$TMP/r0.raw"
trim "$PS/cards/003.wav" "$TMP/r1.raw"
trim "$PS/librivox/sense_and_sensibility_01_austen_64kb-0880.wav" "$TMP/r2.raw"
build real_gaps_16k_1ch noise 1.5 "$TMP"/r0.raw "$TMP"/r1.raw "$TMP"/r2.raw

espeak-ng -v en-us -s 180 -w "$TMP/hello.wav" \
  "Hello from the voice agent. This audio is sent through an Agora channel. One, two, three, four, five. Thank you for listening."
sox "$TMP/hello.wav" $RAW "$OUT/hello_16k_1ch.pcm" remix - rate -v 16000 pad 0.3 0.3
echo "$OUT/hello_16k_1ch.pcm: $(ms_of "$OUT/hello_16k_1ch.pcm") ms"
