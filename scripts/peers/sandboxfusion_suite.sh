#!/usr/bin/env bash
# SandboxFusion's own runner tests against `crucible serve`, from a copy of SandboxFusion you
# already have (a checkout, or a git directory; nothing is downloaded). Starts a server on a
# free local port unless URL is given; extra arguments pick test files (test_python.py ...).
#
#   bash scripts/peers/sandboxfusion_suite.sh /path/to/SandboxFusion [--url URL] [test_x.py ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${1:?usage: sandboxfusion_suite.sh SANDBOXFUSION_CHECKOUT_OR_GIT_DIR [--url URL] [test_x.py ...]}
shift
url=
if [ "${1:-}" = "--url" ]; then url=$2; shift 2; fi
tree=$(mktemp -d)
trap 'rm -rf "$tree"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT
source scripts/peers/copy_from.sh
# sandbox_api.py holds the request and response models (it imports FastAPI's router only to
# register routes, which the runner stands in for).
for path in sandbox/tests/runners sandbox/runners/types.py sandbox/server/sandbox_api.py; do
  copy_from "$src" "$path" "$tree" ||
    { echo "sandboxfusion_suite.sh: no $path in $src (a SandboxFusion checkout or its git directory)" >&2; exit 1; }
done
source scripts/peers/serve.sh
[ -n "$url" ] || start_serve "$tree/serve.log" --compat-workers 2
python3 scripts/peers/sandboxfusion_suite.py "$tree" "$url" "$@"
