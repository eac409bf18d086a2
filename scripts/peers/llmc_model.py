#!/usr/bin/env python3
"""Writes what llm.c's CPU trainer (train_gpt2.c) reads, at one of policy_bench's shapes: a
GPT-2 checkpoint with random weights (gpt2_124M.bin, the name train_gpt2.c opens) and random
token files (dev/data/tinyshakespeare/*.bin), so its training step can be timed at the same
sizes as the native policy. Speed does not depend on the values; the shapes are what matter.
GPT-2's MLP is 4x the width wherever llm.c runs it, so only the width, depth, heads,
vocabulary and context match the native config.

    python3 scripts/peers/llmc_model.py --dim 64 --layers 5 --heads 4 --vocab 261 --seq 256 \
        --out DIR
"""
import argparse
import os
import random
import struct
from array import array


def write_model(path, dim, layers, heads, vocab, seq, seed):
    rng = random.Random(seed)
    padded = (vocab + 127) // 128 * 128
    c, l = dim, layers
    # Tensors in llm.c's order (fill_in_parameter_sizes): wte, wpe, ln1w, ln1b, qkvw, qkvb,
    # attprojw, attprojb, ln2w, ln2b, fcw, fcb, fcprojw, fcprojb, lnfw, lnfb.
    sizes = [padded * c, seq * c, l * c, l * c, l * 3 * c * c, l * 3 * c, l * c * c, l * c,
             l * c, l * c, l * 4 * c * c, l * 4 * c, l * c * 4 * c, l * c, c, c]
    header = [0] * 256
    header[:8] = [20240326, 3, seq, vocab, layers, heads, dim, padded]
    with open(path, "wb") as f:
        f.write(struct.pack("256i", *header))
        for n in sizes:
            f.write(array("f", (rng.uniform(-0.05, 0.05) for _ in range(n))).tobytes())


def write_tokens(path, vocab, count, seed):
    rng = random.Random(seed)
    header = [0] * 256
    header[:3] = [20240520, 1, count]
    with open(path, "wb") as f:
        f.write(struct.pack("256i", *header))
        f.write(array("H", (rng.randrange(vocab) for _ in range(count))).tobytes())


def main():
    p = argparse.ArgumentParser()
    for name in ("dim", "layers", "heads", "vocab", "seq"):
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    data = os.path.join(a.out, "dev", "data", "tinyshakespeare")
    os.makedirs(data, exist_ok=True)
    write_model(os.path.join(a.out, "gpt2_124M.bin"), a.dim, a.layers, a.heads, a.vocab, a.seq,
                a.seed)
    write_tokens(os.path.join(data, "tiny_shakespeare_train.bin"), a.vocab, 40000, a.seed + 1)
    write_tokens(os.path.join(data, "tiny_shakespeare_val.bin"), a.vocab, 40000, a.seed + 2)


if __name__ == "__main__":
    main()
