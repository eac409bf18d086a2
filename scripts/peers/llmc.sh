#!/usr/bin/env bash
# Builds llm.c's CPU trainer (train_gpt2.c) from a copy you already have (a checkout, or a
# git directory whose HEAD has it; nothing is downloaded), set to policy_bench's batch (8
# sequences of 128 tokens) and 8 timed steps with no sampling, and writes random weights and
# tokens at policy_bench's two shapes into DIR/llmc_0.3M and DIR/llmc_1M, for
# `policy_bench --peers DIR`.
#
#   bash scripts/peers/llmc.sh /path/to/llm.c build/peers
set -euo pipefail
cd "$(dirname "$0")/../.."
src=${1:?usage: llmc.sh LLMC_CHECKOUT_OR_GIT_DIR OUT_DIR}
out=${2:?usage: llmc.sh LLMC_CHECKOUT_OR_GIT_DIR OUT_DIR}
source scripts/peers/copy_from.sh
for f in train_gpt2.c llmc/utils.h llmc/tokenizer.h llmc/dataloader.h llmc/rand.h; do
  copy_from "$src" "$f" "$out/llmc_src" ||
    { echo "llmc.sh: no $f in $src (an llm.c checkout or its git directory)" >&2; exit 1; }
done
# policy_bench's batch, and only training steps (step 0 first, then 8 timed ones).
sed -i -e 's/int B = 4;/int B = 8;/' -e 's/int T = 64;/int T = 128;/' \
  -e 's/step <= 40;/step <= 8;/' -e 's/step % 10 == 0/step < 0/' \
  -e 's/step > 0 \&\& step % 20 == 0/step < 0/' "$out/llmc_src/train_gpt2.c"
for pattern in 'int B = 8;' 'int T = 128;' 'step <= 8;'; do
  grep -q "$pattern" "$out/llmc_src/train_gpt2.c" ||
    { echo "llmc.sh: this train_gpt2.c differs from the one the script knows" >&2; exit 1; }
done
# The build llm.c's own Makefile makes for the CPU trainer.
cc -Ofast -Wno-unused-result -march=native -fopenmp "$out/llmc_src/train_gpt2.c" -lm \
  -o "$out/llmc_train"
python3 scripts/peers/llmc_model.py --dim 64 --layers 5 --heads 4 --vocab 261 --seq 256 \
  --out "$out/llmc_0.3M"
python3 scripts/peers/llmc_model.py --dim 128 --layers 5 --heads 4 --vocab 261 --seq 256 \
  --out "$out/llmc_1M"
echo "llmc.sh: built $out/llmc_train and its data" >&2
