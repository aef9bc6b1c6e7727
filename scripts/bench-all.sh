#!/usr/bin/env bash
# Re-runs every scenario benchmark of BENCHMARKS.md, one after another, and appends each final JSON
# line to <out>/results.jsonl (progress goes to <out>/<name>.log). Run it on a quiet machine: the
# figures are wall-clock. Takes about an hour (the 200-iteration barge-in runs are most of it).
#   scripts/bench-all.sh [out-dir] [--quick]      (--quick: short runs, to check that everything runs)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-bench-results}
quick=${2:-}
mkdir -p "$out"
agent="$root/scripts/agent"
run() {
  local name=$1; shift
  echo "== $name: $*" >&2
  local start=$SECONDS
  local rc=0
  "$@" 2>"$out/$name.log" >"$out/$name.out" || rc=$?   # a run that misses its target exits non-zero: keep going
  tail -n 1 "$out/$name.out" | sed "s/^{/{\"run\":\"$name\",\"exit\":$rc,/" >> "$out/results.jsonl"
  echo "   $((SECONDS - start)) s, exit $rc" >&2
}
if [ "$quick" = "--quick" ]; then S=2; IT=3; CH=200; else S=10; IT=200; CH=10000; fi
run pacing-1 "$agent" bench pacing --streams 1 --seconds "$S"
run pacing-100 "$agent" bench pacing --streams 100 --seconds "$S"
run pacing-500 "$agent" bench pacing --streams 500 --seconds "$S"
run vad-batched-300 "$agent" bench vad --streams 300 --seconds $((S * 2))
run vad-batched-gating-300 "$agent" bench vad --streams 300 --seconds $((S * 2)) --energy-gating
run vad-direct-300 "$agent" bench vad --streams 300 --seconds $((S * 2)) --mode direct
run vad-direct-gating-300 "$agent" bench vad --streams 300 --seconds $((S * 2)) --mode direct --energy-gating
run vad-direct-120 "$agent" bench vad --streams 120 --seconds $((S * 2)) --mode direct
run vad-batched-600 "$agent" bench vad --streams 600 --seconds $((S * 2))
run vad-accuracy "$agent" bench vad-accuracy
run pool-100 "$agent" bench pool --connections 100 --seconds $((S * 3))
run pool-100-b "$agent" bench pool --connections 100 --seconds $((S * 3))
AGENT_JAVA_OPTS="-XX:+UseZGC -Xmx384m" run pool-100-384m "$agent" bench pool --connections 100 --seconds $((S * 3))
run pool-200 "$agent" bench pool --connections 200 --seconds $((S * 3))
AGENT_JAVA_OPTS="-XX:+UseZGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch" run churn "$agent" bench pool --churn "$CH"
AGENT_JAVA_OPTS="-XX:+UseZGC -Xms256m -Xmx256m -XX:+AlwaysPreTouch" run churn-warm "$agent" bench pool --churn "$CH" \
  --warmup-cycles $((CH * 3 / 10))
run interrupt-streaming "$agent" bench interrupt --iterations "$IT"
run interrupt-burst "$agent" bench interrupt --iterations "$IT" --burst
run interrupt-asr "$agent" bench interrupt --iterations "$IT" --interrupt-mode ASR_ACTIVATION
if [ "$quick" = "--quick" ]; then
  run barge-in "$agent" bench barge-in --sounds 5 --utterances 2 --policies off,duration,words --stt pocketsphinx
else
  run barge-in "$agent" bench barge-in --sounds 40 --utterances 8 --policies off,duration,words --stt pocketsphinx
fi
run web-200 "$agent" bench web --sessions 200 --seconds $((S * 3))
run web-300 "$agent" bench web --sessions 300 --seconds $((S * 3)) --pocketsphinx-seconds 0
if [ "$quick" = "--quick" ]; then
  run cluster "$agent" bench cluster --workers 3 --agents 12 --kills 1 --steady-seconds 2
else
  run cluster "$agent" bench cluster --workers 3 --agents 100 --kills 20 --steady-seconds 20
fi
run avatar-sync "$agent" bench avatar-sync --bursts $((S * 6))
run avatar-interrupt "$agent" bench avatar-interrupt --iterations $((IT / 5 + 1))
run avatar-render "$agent" bench avatar-render
run avatar-workers-20 "$agent" bench avatar-workers --workers 20 --seconds $((S * 2))
run duet-20 "$agent" bench duet --sessions 20 --seconds $((S * 2))
run duet-20-rtc "$agent" bench duet --rtc --sessions 20 --seconds $((S * 2))
# JMH: one stream's per-frame cost and one 128-window batch (VadDetectorBenchmark, agent-core test scope).
echo "== jmh-vad: VadDetectorBenchmark" >&2
abs_out=$(cd "$out" && pwd)
if [ "$quick" = "--quick" ]; then JMH="-f 1 -wi 1 -i 1 -w 1s -r 1s"; else JMH="-f 1 -wi 2 -i 3 -w 2s -r 3s"; fi
# shellcheck disable=SC2086
(cd "$root" && mvn -B -q -Dskip.install.deps -pl agent-core test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$abs_out/jmh-classpath.txt" \
  && cd agent-core && java -cp "target/test-classes:target/classes:$(cat "$abs_out/jmh-classpath.txt")" \
    org.openjdk.jmh.Main VadDetectorBenchmark $JMH) > "$out/jmh-vad.txt" 2>&1 \
  || echo "   jmh-vad failed: see $out/jmh-vad.txt" >&2
echo "results: $out/results.jsonl, $out/jmh-vad.txt" >&2
