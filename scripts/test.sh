#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite through CTest:
#  1. Release build: every test (unit, e2e, security, slow).
#  2. AddressSanitizer + UndefinedBehaviorSanitizer build: the unit and e2e tests (not slow).
#  3. The math verifier's libFuzzer target for 30 s, when clang with libFuzzer is present.
# Also checks formatting with the repository's .clang-format. The long soak (1,000 generated
# code tasks judged in the jail) is scripts/soak.sh; this runs the same test on 300.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

BUILD_DIR=build bash scripts/setup.sh
bash scripts/format.sh --check
python3 scripts/check_layers.py  # includes follow the layer table of ARCHITECTURE.md
# The official openai client for the serve-policy test (a test client, from the npm registry).
if [ ! -f build/npm/node_modules/openai/package.json ]; then
  mkdir -p build/npm
  for attempt in 1 2 3; do
    npm install --prefix build/npm --no-audit --no-fund --loglevel=error openai@4 >&2 && break
    [ "$attempt" = 3 ] && { echo "test: cannot install the openai npm package" >&2; exit 1; }
    sleep 5
  done
fi
(cd build && ctest --output-on-failure -j"$jobs" --timeout 600)

if [ "${CRUCIBLE_SKIP_SANITIZERS:-0}" != 1 ]; then
  BUILD_DIR=build-asan bash scripts/setup.sh -DCMAKE_BUILD_TYPE=Debug -DCRUCIBLE_SANITIZE=ON \
    -DCRUCIBLE_BUILD_BENCH=OFF
  # Two e2e tests spend their time in the jailed compilers and programs, not in instrumented
  # code, and run in the Release pass above.
  (cd build-asan && ctest --output-on-failure -j"$jobs" --timeout 600 -L 'unit|e2e' -LE slow \
    -E '^(HarnessCpp\.PlainValuesCrossBetweenTheTwoPrograms|Generators\.CodeTasksAreSolvableByConstruction)$')
fi

bash scripts/fuzz.sh "${CRUCIBLE_FUZZ_SECONDS:-30}"
