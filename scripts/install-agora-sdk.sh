#!/usr/bin/env bash
# Downloads the Agora Linux server SDK build this project's binding is pinned to (4.4.32, build
# 20250425), checks the md5 of libagora_rtc_sdk.so, and unpacks it:
#
#   scripts/install-agora-sdk.sh [target-dir]        (default: ./sdk, ignored by git)
#   export AGORA_SDK_HOME=<target-dir>/agora_sdk
#
# Needs internet access to Agora's download site, curl (or wget), unzip and md5sum. It cannot run
# in this project's own build environment (no route to Agora's site); it was written against the
# file names and checksums the Agora Python SDK 2.2.4 uses for the same build. Nothing is cached
# or installed system-wide.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target=${1:-$root/sdk}
base=https://download.agora.io/sdk/release

case "$(uname -m)" in
  x86_64|amd64)
    zip=agora_rtc_sdk-x86_64-linux-gnu-v4.4.32-20250425_144419-675648.zip
    md5=0d6c96bbebdd9b0a84b9cdf01ba6aa7f ;;
  aarch64|arm64)
    zip=Agora-RTC-aarch64-linux-gnu-v4.4.32-20250425_150503-675674.zip
    md5=a217a8ed32c964843b120006511121cf ;;
  *)
    echo "unsupported architecture $(uname -m): the Agora Linux server SDK ships x86_64 and aarch64" >&2
    exit 2 ;;
esac

for tool in unzip md5sum; do
  command -v "$tool" >/dev/null || { echo "$tool is required (apt-get install $tool)" >&2; exit 2; }
done

mkdir -p "$target"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "downloading $base/$zip"
if command -v curl >/dev/null; then
  curl -fL --retry 3 -o "$tmp/$zip" "$base/$zip"
elif command -v wget >/dev/null; then
  wget -q -O "$tmp/$zip" "$base/$zip"
else
  echo "curl or wget is required" >&2
  exit 2
fi

unzip -q -o "$tmp/$zip" -d "$tmp/unpacked"
lib=$(find "$tmp/unpacked" -name libagora_rtc_sdk.so -type f | head -n 1)
if [ -z "$lib" ]; then
  echo "the archive has no libagora_rtc_sdk.so; Agora may have changed its layout" >&2
  exit 1
fi
actual=$(md5sum "$lib" | cut -d' ' -f1)
if [ "$actual" != "$md5" ]; then
  echo "md5 mismatch for libagora_rtc_sdk.so: expected $md5, got $actual (not installing)" >&2
  exit 1
fi

sdk_dir=$(dirname "$lib")
rm -rf "$target/agora_sdk"
mkdir -p "$target/agora_sdk"
cp -a "$sdk_dir"/. "$target/agora_sdk/"
echo "installed the Agora SDK 4.4.32 (md5 ok) in $target/agora_sdk"
echo "use it with:  export AGORA_SDK_HOME=$target/agora_sdk"
