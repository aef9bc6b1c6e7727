#!/usr/bin/env bash
# Installs the Debian packages the project uses beyond JDK 17, Maven and gcc:
#   espeak-ng     the offline text-to-speech engine (EspeakNgTts, its tests and the voice-agent sample).
#   redis-server  the agent server's cluster mode: its tests and `bench cluster` start their own
#                 redis-server on 127.0.0.1 (the service the package installs is not used).
# Runs apt-get as root (directly, or through password-less sudo). Does nothing if already installed.
# The Maven build runs it before agent-core's tests (skip with -Dskip.install.deps).
set -euo pipefail
missing=()
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo -n apt-get update -qq && sudo -n apt-get install -y -qq "${missing[@]}"
else
  echo "${missing[*]} not installed and this user cannot install packages: run 'apt-get install ${missing[*]}' as root" >&2
  exit 1
fi
