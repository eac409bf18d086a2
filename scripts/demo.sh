#!/usr/bin/env bash
# The main job: install what it needs, build the two binaries it runs, check the host, then
# self-train the native policy on rewards verified by the sandbox (crucible train --preset
# demo): a warm start by SFT on a teacher that runs a Python program for a product in only
# some of its demonstrations and guesses in the others, then GRPO with tool turns (the
# policy's programs run in the jail mid-answer), with held-out accuracy before and after and
# an HTML report in the run directory. The whole test suite is built and run by
# scripts/test.sh, not here.
#
#   bash scripts/demo.sh            # seed 1
#   bash scripts/demo.sh --seed 3   # any crucible train flag
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
echo "demo: [1/3] installing and building crucible (about 4 min on 2 cores the first time)" >&2
bash scripts/setup.sh --demo
echo "demo: [2/3] checking the host and Python inside the jail ($(($(date +%s) - start)) s so far)" >&2
build/bin/crucible doctor --languages python3
run="runs/demo-$(date +%Y%m%d-%H%M%S)"
echo "demo: [3/3] self-training (about 2-3 min: tasks, warm start, 10 iterations) -> $run" >&2
build/bin/crucible train --preset demo --out "$run" "$@"
echo "demo: done in $(($(date +%s) - start)) s; report: $run/report.html" >&2
