#!/usr/bin/env bash
# Installs the Debian packages Crucible needs (only those missing), then configures and
# builds Release into ${BUILD_DIR:-build}. Idempotent: a second run installs nothing.
# --demo: only what the main job needs (the build tools, Python, the crucible binaries);
# the test command builds everything.
set -euo pipefail
cd "$(dirname "$0")/.."

demo=0
if [ "${1:-}" = --demo ]; then
  demo=1
  shift
fi
packages=$(if ((demo)); then sed '/^# --- end of what the demo needs/q' scripts/packages.txt; else cat scripts/packages.txt; fi)
missing=()
for pkg in $(grep -v '^\s*#' <<<"$packages"); do
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
# The demo builds no tests or benchmarks (their packages are not installed for it); a full
# setup turns them back on in the same build directory.
# Both are unity builds (source files compiled in batches: the demo's two binaries in 221 s
# instead of 428 s on 2 cores), so names private to a file must differ across the files of a
# target.
parts=(-DCRUCIBLE_BUILD_TESTS=ON -DCRUCIBLE_BUILD_BENCH=ON -DCMAKE_UNITY_BUILD=ON)
((demo)) && parts=(-DCRUCIBLE_BUILD_TESTS=OFF -DCRUCIBLE_BUILD_BENCH=OFF -DCMAKE_UNITY_BUILD=ON)
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=/usr/bin/python3 \
  "${parts[@]}" "$@" >&2
if ((demo)); then
  cmake --build "$build_dir" -j"$(nproc)" --target crucible crucible-jail >&2
else
  cmake --build "$build_dir" -j"$(nproc)" >&2
fi
echo "setup: built into $build_dir" >&2

# `import crucible` for Debian's python3 and for the python3 on PATH (when another one of
# the same version): a .pth file naming this build's package directory.
package_dir=$(cd "$build_dir" && pwd)/python
if ls "$package_dir"/crucible/_crucible*.so >/dev/null 2>&1; then
  for py in /usr/bin/python3 "$(command -v python3)"; do
    [ -x "$py" ] || continue
    site=$("$py" -c 'import site; print(site.getsitepackages()[0])' 2>/dev/null) || continue
    [ "$("$py" -c 'import sys; print(sys.version_info[:2])')" = "$(/usr/bin/python3 -c 'import sys; print(sys.version_info[:2])')" ] || continue
    sudo=""
    [ -w "$site" ] || [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo mkdir -p "$site"
    echo "$package_dir" | $sudo tee "$site/crucible.pth" >/dev/null
  done
  echo "setup: python3 -c 'import crucible' uses $package_dir" >&2
fi
