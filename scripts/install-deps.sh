#!/usr/bin/env bash
# Installs the Debian packages the project uses beyond JDK 17, Maven and gcc:
#   espeak-ng                               the offline text-to-speech engine (EspeakNgTts, its tests, the samples)
#   libpocketsphinx3 pocketsphinx-en-us     offline streaming speech-to-text (PocketSphinxStt, scripts/agent web)
#   chromium chromium-driver                the web console's browser tests (headless, driven by Selenium)
#   redis-server                            the agent server's cluster mode: its tests and `bench cluster` start
#                                           their own redis-server on 127.0.0.1 (the packaged service is unused)
# Runs apt-get as root (directly, or through password-less sudo). Does nothing if all are installed.
# The Maven build runs it before agent-core's tests (skip with -Dskip.install.deps).
set -euo pipefail
packages=(espeak-ng libpocketsphinx3 pocketsphinx-en-us chromium chromium-driver redis-server)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo -n apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "missing Debian packages and this user cannot install them: run 'apt-get install ${missing[*]}' as root" >&2
  exit 1
fi
