#!/usr/bin/env bash
# Builds llama2.c's run.c from a copy you already have (a checkout, or a git directory whose
# HEAD has run.c; nothing is downloaded) and writes random-weight checkpoints at
# policy_bench's two shapes into DIR, for `policy_bench --peers DIR`.
#
#   bash scripts/peers/llama2c.sh /path/to/llama2.c build/peers
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${1:?usage: llama2c.sh LLAMA2C_CHECKOUT_OR_GIT_DIR OUT_DIR}
out=${2:?usage: llama2c.sh LLAMA2C_CHECKOUT_OR_GIT_DIR OUT_DIR}
source scripts/peers/copy_from.sh
copy_from "$src" run.c "$out/llama2c_src" ||
  { echo "llama2c.sh: no run.c in $src (a llama2.c checkout or its git directory)" >&2; exit 1; }
cp "$out/llama2c_src/run.c" "$out/llama2c_run.c"
# The fastest build llama2.c's own Makefile offers (its `runomp` target).
cc -Ofast -fopenmp -march=native "$out/llama2c_run.c" -lm -o "$out/llama2c_run"
# Shapes of policy_bench's ~0.3M and ~1M configs (vocabulary: the byte tokenizer's 261).
python3 scripts/peers/llama2c_model.py --dim 64 --hidden 192 --layers 5 --heads 4 --vocab 261 \
  --seq 256 --out "$out/llama2c_0.3M.bin" --tokenizer "$out/llama2c_tokenizer.bin"
python3 scripts/peers/llama2c_model.py --dim 128 --hidden 352 --layers 5 --heads 4 --vocab 261 \
  --seq 256 --out "$out/llama2c_1M.bin" --tokenizer "$out/llama2c_tokenizer.bin"
echo "llama2c.sh: built $out/llama2c_run and the checkpoints" >&2
