#!/usr/bin/env python3
"""The native policy's architecture in PyTorch eager (tied embedding, RMSNorm, RoPE, causal
attention with a KV cache, SwiGLU), timed as policy_bench times the native policy: tokens/s
of generation from a one-token prompt at a batch size, and of training steps (forward,
backward, AdamW) on 8 sequences of 128 tokens. Prints one JSON object.

    python3 scripts/peers/torch_policy.py --dim 64 --hidden 192 --layers 5 --heads 4 \
        --vocab 261 --seq 256 --gen-tokens 200 --batches 1,32,128 --train-steps 4
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F


class Model(torch.nn.Module):
    def __init__(self, dim, hidden, layers, heads, vocab, seq):
        super().__init__()
        self.heads, self.hd, self.seq = heads, dim // heads, seq
        self.emb = torch.nn.Parameter(torch.randn(vocab, dim) * 0.02)
        self.layers = torch.nn.ModuleList()
        for _ in range(layers):
            layer = torch.nn.Module()
            layer.n1 = torch.nn.Parameter(torch.ones(dim))
            layer.wqkv = torch.nn.Linear(dim, 3 * dim, bias=False)
            layer.wo = torch.nn.Linear(dim, dim, bias=False)
            layer.n2 = torch.nn.Parameter(torch.ones(dim))
            layer.w13 = torch.nn.Linear(dim, 2 * hidden, bias=False)
            layer.w2 = torch.nn.Linear(hidden, dim, bias=False)
            self.layers.append(layer)
        self.nf = torch.nn.Parameter(torch.ones(dim))
        freq = 10000.0 ** (-torch.arange(0, self.hd, 2).float() / self.hd)
        angle = torch.arange(seq).float()[:, None] * freq[None, :]
        self.register_buffer("cos", angle.cos())
        self.register_buffer("sin", angle.sin())

    @staticmethod
    def norm(x, g):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * g

    def rope(self, x, pos):  # x [B, T, H, hd]
        c, s = self.cos[pos][None, :, None, :], self.sin[pos][None, :, None, :]
        a, b = x[..., 0::2], x[..., 1::2]
        return torch.stack((a * c - b * s, a * s + b * c), dim=-1).flatten(-2)

    def forward(self, tokens, start=0, cache=None):
        B, T = tokens.shape
        pos = torch.arange(start, start + T)
        x = self.emb[tokens]
        for i, L in enumerate(self.layers):
            q, k, v = L.wqkv(self.norm(x, L.n1)).split(x.shape[-1], dim=-1)
            q = self.rope(q.view(B, T, self.heads, self.hd), pos).transpose(1, 2)
            k = self.rope(k.view(B, T, self.heads, self.hd), pos).transpose(1, 2)
            v = v.view(B, T, self.heads, self.hd).transpose(1, 2)
            if cache is not None:
                kc, vc = cache[i]
                kc[:, :, start:start + T] = k
                vc[:, :, start:start + T] = v
                k, v = kc[:, :, :start + T], vc[:, :, :start + T]
            att = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd)
            if T > 1:
                mask = torch.ones(T, start + T, dtype=torch.bool).tril(start)
                att = att.masked_fill(~mask, float("-inf"))
            o = (att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, -1)
            x = x + L.wo(o)
            a, b = L.w13(self.norm(x, L.n2)).chunk(2, dim=-1)
            x = x + L.w2(F.silu(a) * b)
        return self.norm(x, self.nf) @ self.emb.t()


def generation(model, batch, tokens):
    dim = model.emb.shape[1]
    cache = [(torch.zeros(batch, model.heads, model.seq, model.hd),
              torch.zeros(batch, model.heads, model.seq, model.hd)) for _ in model.layers]
    assert dim == model.heads * model.hd
    tok = torch.ones(batch, 1, dtype=torch.long)
    start = time.perf_counter()
    with torch.no_grad():
        for p in range(tokens):
            logits = model(tok, p, cache)[:, -1]
            tok = torch.multinomial(logits.softmax(-1), 1)
    return batch * tokens / (time.perf_counter() - start)


def training(model, steps):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(0, model.emb.shape[0], (8, 128))

    def step():
        logits = model(data[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), data[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()

    step()  # warm-up
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * 8 * 127 / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("dim", "hidden", "layers", "heads", "vocab", "seq"):
        ap.add_argument("--" + name, type=int, required=True)
    ap.add_argument("--gen-tokens", type=int, default=200)
    ap.add_argument("--batches", default="1,32,128")
    ap.add_argument("--train-steps", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = Model(a.dim, a.hidden, a.layers, a.heads, a.vocab, a.seq)
    out = {"torch": torch.__version__}
    for b in (int(x) for x in a.batches.split(",")):
        out["generation_%d" % b] = generation(model, b, a.gen_tokens)
    out["training"] = training(model, a.train_steps)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
