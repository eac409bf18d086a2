#!/usr/bin/env bash
# The main job: install, build, check the host, then self-train the native policy on
# rewards verified by the sandbox and the math verifier (crucible train --preset demo):
# a warm start by SFT on easy generated tasks, then self-training on harder ones, with the
# held-out accuracy before and after, and an HTML report in the run directory.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
build/bin/crucible doctor
run="runs/demo-$(date +%Y%m%d-%H%M%S)"
build/bin/crucible train --preset demo --out "$run"
echo "report: $run/report.html"
