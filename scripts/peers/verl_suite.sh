#!/usr/bin/env bash
# verl's own sandbox_fusion client tests against `crucible serve`, from a copy of verl you
# already have (a checkout, or a git directory; nothing is downloaded). The tests import only
# verl.utils.reward_score.sandbox_fusion, so that package is copied with empty parent packages
# (verl's own __init__ pulls in its training stack). Needs a python3 with pytest and requests
# (PYTHON, default /usr/bin/python3, Debian's python3-pytest). Starts a default server on a
# free local port unless URL (the server, without /run_code) is given; extra arguments go
# to pytest.
#
#   bash scripts/peers/verl_suite.sh /path/to/verl [--url URL] [pytest args ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${1:?usage: verl_suite.sh VERL_CHECKOUT_OR_GIT_DIR [--url URL] [pytest args ...]}
shift
url=
if [ "${1:-}" = "--url" ]; then url=$2; shift 2; fi
tree=$(mktemp -d)
trap 'rm -rf "$tree"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT
source scripts/peers/copy_from.sh
test_file=tests/utils/reward_score/reward_score/test_sandbox_fusion_on_cpu.py
for path in verl/utils/reward_score/sandbox_fusion "$test_file"; do
  copy_from "$src" "$path" "$tree" ||
    { echo "verl_suite.sh: no $path in $src (a verl checkout or its git directory)" >&2; exit 1; }
done
touch "$tree/verl/__init__.py" "$tree/verl/utils/__init__.py" "$tree/verl/utils/reward_score/__init__.py"
source scripts/peers/serve.sh
[ -n "$url" ] || start_serve "$tree/serve.log"
cd "$tree"
SANDBOX_FUSION_URL=$url/run_code PYTHONPATH=$tree "${PYTHON:-/usr/bin/python3}" -m pytest -q -p no:cacheprovider \
  "$test_file" "$@"
