#!/usr/bin/env bash
# SandboxFusion's own runner tests against `crucible serve`, from a copy of SandboxFusion you
# already have (a checkout, or a git directory; nothing is downloaded). Starts a server on a
# free local port unless URL is given; extra arguments pick test files (test_python.py ...).
#
#   bash scripts/peers/sandboxfusion_suite.sh /path/to/SandboxFusion [--url URL] [test_x.py ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/peers/suite.sh
peer_begin sandboxfusion_suite.sh \
  "SANDBOXFUSION_CHECKOUT_OR_GIT_DIR [--url URL] [test_x.py ...]" "$@"
set -- "${peer_args[@]}"
# sandbox_api.py holds the request and response models (it imports FastAPI's router only to
# register routes, which the runner stands in for).
peer_copy sandbox/tests/runners sandbox/runners/types.py sandbox/server/sandbox_api.py
peer_serve --compat-workers 2
python3 scripts/peers/sandboxfusion_suite.py "$tree" "$url" "$@"
