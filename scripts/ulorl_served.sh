#!/usr/bin/env bash
# UloRL's segment speedup with the policy behind a batching `serve-policy` server, over seeds:
# build/bin/rollout_bench --served MODE for each mode and seed, then min / median / max of the
# 2- and 4-segment speedups over plain rollouts and of plain rollouts' tokens/s. Modes:
#   fixed       every round decodes `active` rows, idle ones on fillers, one token per round:
#               a GPU server's cost (a step costs the same up to its batch), simulated on the CPU
#   continuous  only the rows in flight, 4 tokens per round: the CPU's own cost
#   unbatched   each request decoded alone, one at a time: the server without batching
#
#   bash scripts/ulorl_served.sh [--seeds "1 2 3"] [--modes "fixed continuous unbatched"]
#                                [-- extra rollout_bench flags]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="1 2 3" modes="fixed continuous unbatched" extra=()
while (($#)); do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "ulorl_served.sh: unknown argument '$1' (known: --seeds, --modes, --)" >&2; exit 2 ;;
  esac
done
bench=build/bin/rollout_bench
[ -x "$bench" ] || { echo "ulorl_served.sh: build the benchmarks first (bash scripts/setup.sh)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for mode in $modes; do
  chunk=4
  [ "$mode" = fixed ] && chunk=1  # GPU servers schedule every token
  for seed in $seeds; do
    echo "== $mode seed $seed" >&2
    "$bench" --served "$mode" --chunk "$chunk" --seed "$seed" --samples 384 --rounds 3 "${extra[@]}" |
      tee "$out/$mode.$seed" >&2
  done
done
python3 - "$out" $modes <<'PY'
import pathlib, re, statistics, sys
out, modes = pathlib.Path(sys.argv[1]), sys.argv[2:]
print(f"{'mode':<11} {'seeds':>5}  {'plain tokens/s':>22}  {'2 segments':>18}  {'4 segments':>18}")
for mode in modes:
    runs = []
    for f in sorted(out.glob(mode + ".*")):
        text = f.read_text()
        plain = float(re.search(r"^segments 1: .*?([0-9.]+) tokens/s", text, re.M).group(1))
        two, four = (float(re.search(rf"^segments {k}: .*\(([0-9.]+)x", text, re.M).group(1))
                     for k in (2, 4))
        runs.append((plain, two, four))
    if not runs:
        continue
    def spread(i, fmt):
        v = sorted(r[i] for r in runs)
        return "/".join(fmt.format(x) for x in (v[0], statistics.median(v), v[-1]))
    print(f"{mode:<11} {len(runs):>5}  {spread(0, '{:.0f}'):>22}  {spread(1, '{:.2f}x'):>18}  "
          f"{spread(2, '{:.2f}x'):>18}")
print("(min/median/max over seeds; each figure the best of 3 interleaved rounds)")
PY
