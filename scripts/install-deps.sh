#!/usr/bin/env bash
# Installs the Debian packages the project uses beyond JDK 17, Maven and gcc:
#   espeak-ng  the offline text-to-speech engine (EspeakNgTts, its tests and the voice-agent sample).
# Runs apt-get as root (directly, or through password-less sudo). Does nothing if already installed.
# The Maven build runs it before agent-core's tests (skip with -Dskip.install.deps).
set -euo pipefail
if command -v espeak-ng >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && apt-get install -y -qq espeak-ng
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo -n apt-get update -qq && sudo -n apt-get install -y -qq espeak-ng
else
  echo "espeak-ng is not installed and this user cannot install packages: run 'apt-get install espeak-ng' as root" >&2
  exit 1
fi
