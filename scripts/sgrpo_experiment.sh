#!/usr/bin/env bash
# S-GRPO against GRPO where the reasoning has redundant steps: a warm start on 2-digit
# additions whose column rationale is, in half the demonstrations, followed by a re-check
# that repeats the whole computation ("warmup": {"rechecks": 0.5}); then, from that same
# warm start, S-GRPO (serial groups, 7 early exits forced with "</think>") and GRPO, per seed.
# Prints, per run, held-out accuracy and the mean thinking length (tokens between <think>
# and </think> of the greedy held-out completions) before and after, and S-GRPO's thinking
# as a share of GRPO's. Runs go to runs/sgrpo-recheck/.
#
#   bash scripts/sgrpo_experiment.sh                  # seeds 1-3
#   bash scripts/sgrpo_experiment.sh --seeds "4 5"
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="1 2 3"
while (($#)); do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    *) echo "sgrpo_experiment.sh: unknown argument '$1' (known: --seeds)" >&2; exit 2 ;;
  esac
done
bin=${CRUCIBLE:-build/bin/crucible}
[ -x "$bin" ] || bash scripts/setup.sh --demo
out=runs/sgrpo-recheck
mkdir -p "$out"
if [ ! -d "$out/warm/warm_start" ]; then
  rm -rf "$out/warm"
  echo "sgrpo: warm start -> $out/warm" >&2
  "$bin" train --config examples/train/recheck_warm_start.json --out "$out/warm" >/dev/null
fi
for seed in $seeds; do
  for method in sgrpo grpo; do
    dir="$out/$method-s$seed"
    rm -rf "$dir"
    config=$(mktemp)
    python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
c.update({"seed": int(sys.argv[2]), "init": sys.argv[3], "warmup": {"steps": 0}})
json.dump(c, open(sys.argv[4], "w"))' "examples/train/recheck_$method.json" "$seed" "$out/warm/warm_start" "$config"
    echo "sgrpo: $method, seed $seed -> $dir" >&2
    "$bin" train --config "$config" --out "$dir" >/dev/null 2>"$dir.log"
    rm -f "$config"
  done
done
python3 - "$out" $seeds <<'PY'
import json, statistics, sys
out, seeds = sys.argv[1], sys.argv[2:]

def heldout(run):
    by_iteration = {}
    for line in open(f"{out}/{run}/heldout.jsonl"):
        r = json.loads(line)
        by_iteration.setdefault(r["iteration"], []).append(r)
    first, last = min(by_iteration), max(by_iteration)
    def stats(rows):
        thinking = []
        for r in rows:
            c = r["completion"]
            a, b = c.find("<think>"), c.find("</think>")
            thinking.append(len(c[a + 7:b]) if a >= 0 and b > a else len(c))
        return sum(r["passed"] for r in rows) / len(rows), statistics.mean(thinking)
    return stats(by_iteration[first]), stats(by_iteration[last])

print("S-GRPO against GRPO from one warm start (2-digit additions, half the rationales re-checked)")
print(f"{'run':<10} {'accuracy before -> after':>26} {'thinking before -> after':>26}")
shares, gaps = [], []
for seed in seeds:
    result = {}
    for method in ("sgrpo", "grpo"):
        (acc0, think0), (acc1, think1) = heldout(f"{method}-s{seed}")
        result[method] = (acc1, think1)
        print(f"{method + '-s' + seed:<10} {acc0:>12.1%} -> {acc1:>6.1%} {think0:>15.1f} -> {think1:>6.1f}")
    shares.append(result["sgrpo"][1] / result["grpo"][1])
    gaps.append(result["sgrpo"][0] - result["grpo"][0])
print(f"S-GRPO thinking as a share of GRPO's, per seed: " + ", ".join(f"{s:.2f}" for s in shares))
print(f"S-GRPO accuracy minus GRPO's, per seed: " + ", ".join(f"{g:+.1%}" for g in gaps))
PY
