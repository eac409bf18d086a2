#!/usr/bin/env python3
"""Writes a llama2.c checkpoint with random weights and a byte tokenizer at one of
policy_bench's shapes, so that llama2.c's run.c can be timed at the same sizes as the native
policy. Speed does not depend on the values; the shapes are what matter.

    python3 scripts/peers/llama2c_model.py --dim 64 --hidden 192 --layers 5 --heads 4 \
        --vocab 261 --seq 256 --out model.bin --tokenizer tok.bin
"""
import argparse
import random
import struct
from array import array


def write_model(path, dim, hidden, layers, heads, vocab, seq, seed):
    rng = random.Random(seed)
    head = dim // heads
    # Tensors in run.c's order (memory_map_weights); a positive vocab_size means the output
    # shares the embedding, as the native policy's does.
    sizes = [vocab * dim, layers * dim, layers * dim * dim, layers * dim * dim,
             layers * dim * dim, layers * dim * dim, layers * dim, layers * dim * hidden,
             layers * hidden * dim, layers * dim * hidden, dim, seq * head // 2,
             seq * head // 2]
    with open(path, "wb") as f:
        f.write(struct.pack("7i", dim, hidden, layers, heads, heads, vocab, seq))
        for n in sizes:
            f.write(array("f", (rng.uniform(-0.05, 0.05) for _ in range(n))).tobytes())


def write_tokenizer(path, vocab):
    # <unk>, <s>, </s>, then one piece per byte (so no pair merges and every character of a
    # prompt is one token), then fillers up to the vocabulary size.
    pieces = [b"<unk>", b"<s>", b"</s>"]
    pieces += [bytes([b]) if b else b"<0x00>" for b in range(256)]
    pieces += [b"<fill%d>" % i for i in range(vocab - len(pieces))]
    with open(path, "wb") as f:
        f.write(struct.pack("i", max(len(p) for p in pieces)))
        for p in pieces[:vocab]:
            f.write(struct.pack("fi", 0.0, len(p)) + p)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("dim", "hidden", "layers", "heads", "vocab", "seq"):
        ap.add_argument("--" + name, type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tokenizer", required=True)
    a = ap.parse_args()
    if a.vocab < 259:
        ap.error("--vocab must be at least 259 (3 special tokens and 256 bytes)")
    write_model(a.out, a.dim, a.hidden, a.layers, a.heads, a.vocab, a.seq, a.seed)
    write_tokenizer(a.tokenizer, a.vocab)


if __name__ == "__main__":
    main()
