#!/usr/bin/env bash
# The main job on the embedded default: one process listens on a channel, another pushes a speech
# file into it at real-time pace through the loopback library; the listener must receive exactly
# the bytes that were sent. Exits non-zero if it did not.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
agent="$root/scripts/agent"
file="${1:-$root/test_data/hello_16k_1ch.pcm}"
channel="demo-$$"
work=$(mktemp -d)
trap 'kill "${listen_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$agent" --version >/dev/null   # builds once, before the two processes start

echo "== listener: joins '$channel' and records every remote user to $work/out"
"$agent" listen --channel "$channel" --user-id listener --out "$work/out" --idle-seconds 1.5 --seconds 120 \
  > "$work/listen.log" &
listen_pid=$!
for _ in $(seq 1 200); do
  grep -q '^listening on channel' "$work/listen.log" 2>/dev/null && break
  kill -0 "$listen_pid" 2>/dev/null || { cat "$work/listen.log"; echo "listener exited early" >&2; exit 1; }
  sleep 0.05
done

echo "== sender: pushes $(basename "$file") into '$channel' in real time"
"$agent" send-pcm --channel "$channel" --user-id speaker --file "$file" --sample-rate 16000 --channels 1

wait "$listen_pid"
listen_pid=
echo "== listener output"
cat "$work/listen.log"

sent=$(stat -c %s "$file")
frame=320
expected=$(( (sent + frame - 1) / frame * frame ))   # the last partial 10 ms frame is zero-padded
received=$(awk '$1 == "received" && $2 == "speaker" { print $5 }' "$work/listen.log")
echo "== file: $sent bytes (sent as $expected bytes of whole 10 ms frames); listener received: ${received:-0} bytes"
if [ "${received:-0}" = "$expected" ] && cmp -s -n "$sent" "$file" "$work/out/speaker.pcm"; then
  echo "PASS: every byte arrived, identical to the file (plus $((expected - sent)) bytes of zero padding)"
else
  echo "FAIL: the received audio differs from the file" >&2
  exit 1
fi
