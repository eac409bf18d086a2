#!/usr/bin/env bash
# Long soaks kept out of every test run: 1,000 generated code tasks (200 per difficulty)
# completed and judged in the sandbox (about 5 minutes on 2 cores), then the service's load
# test. Needs a full build (bash scripts/setup.sh).
#
#   bash scripts/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bin/generator_tests ] || bash scripts/setup.sh
CRUCIBLE_SOAK_TASKS_PER_DIFFICULTY=${CRUCIBLE_SOAK_TASKS_PER_DIFFICULTY:-200} \
  build/bin/generator_tests --gtest_filter='GeneratorsSlow.*'
build/bin/load_tests
