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
source scripts/peers/suite.sh
peer_begin verl_suite.sh "VERL_CHECKOUT_OR_GIT_DIR [--url URL] [pytest args ...]" "$@"
set -- "${peer_args[@]}"
test_file=tests/utils/reward_score/reward_score/test_sandbox_fusion_on_cpu.py
peer_copy verl/utils/reward_score/sandbox_fusion "$test_file"
touch "$tree/verl/__init__.py" "$tree/verl/utils/__init__.py" "$tree/verl/utils/reward_score/__init__.py"
peer_serve
cd "$tree"
SANDBOX_FUSION_URL=$url/run_code PYTHONPATH=$tree "${PYTHON:-/usr/bin/python3}" -m pytest -q -p no:cacheprovider \
  "$test_file" "$@"
