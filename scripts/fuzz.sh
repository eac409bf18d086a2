#!/usr/bin/env bash
# Builds the math verifier's libFuzzer target with clang (ASan + UBSan) and runs it for a
# while (default 30 s) from the seed corpus in tests/fuzz/corpus. Skips with a message
# when clang or its libFuzzer runtime is missing. New inputs go to a scratch copy of the
# corpus; a crash leaves its reproducer in build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz: clang++ with libFuzzer not found (apt-get install clang libclang-rt-dev); skipped"
  exit 0
fi
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
  -DCMAKE_CXX_COMPILER=clang++ -DCRUCIBLE_FUZZ=ON >/dev/null
cmake --build build-fuzz --target verifier_fuzz -j"$(nproc)"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp tests/fuzz/corpus/* "$scratch"/
(cd build-fuzz && ./bin/verifier_fuzz -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
  -max_len=4096 -print_final_stats=1 "$scratch")
