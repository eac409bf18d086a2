#!/usr/bin/env bash
# The main job: install, build, check the host, then run the example programs through the
# sandbox (each JSON line shows a program, its language and its verdict).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build/bin/crucible doctor
build/bin/crucible demo --dir examples/programs
