#!/usr/bin/env bash
# Installs the Debian packages Crucible needs (only those missing), then configures and
# builds Release into ${BUILD_DIR:-build}. Idempotent: a second run installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pkg in $(grep -v '^\s*#' scripts/packages.txt); do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "$@" >&2
cmake --build "$build_dir" -j"$(nproc)" >&2
echo "setup: built into $build_dir" >&2
