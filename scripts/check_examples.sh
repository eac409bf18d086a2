#!/usr/bin/env bash
# Runs the runnable examples and compares each with its expected output:
# examples/cpp (the C++ API), examples/python (verify, judge, reward functions),
# examples/service (curl against crucible serve, /get_reward included).
# Usage: bash scripts/check_examples.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
status=0
check() {
  local name=$1 expected=$2
  shift 2
  if diff <("$@" 2>/dev/null) "$expected" >/dev/null; then
    echo "examples: $name ok"
  else
    echo "examples: $name differs from $expected:" >&2
    diff <("$@" 2>&1) "$expected" >&2 || true
    status=1
  fi
}
check cpp examples/cpp/expected.txt "$build/bin/example_cpp"
check python examples/python/expected.txt env PYTHONPATH="$build/python" /usr/bin/python3 examples/python/rewards.py
check service examples/service/expected.txt bash examples/service/run.sh "$build"
exit $status
