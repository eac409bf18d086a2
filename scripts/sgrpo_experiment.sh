#!/usr/bin/env bash
# S-GRPO against GRPO where the reasoning has redundant steps: a warm start on 2-digit
# additions whose column rationale is, in half the demonstrations, followed by a re-check
# that repeats the whole computation ("warmup": {"rechecks": 0.5}); then, from that same
# warm start, per seed: S-GRPO (serial groups, 7 early exits forced with "</think>") with the
# loss on each exit's answer only (sgrpo) or on the whole exit (sgrpo_path), and GRPO.
# Prints, per run, held-out accuracy and thinking length (characters between <think> and
# </think>) of the greedy held-out completions before and after, the thinking of the full
# paths the policy sampled in the last two iterations (temperature 0.7), and each S-GRPO
# variant's thinking as a share of GRPO's. Runs go to runs/sgrpo-recheck/.
#
#   bash scripts/sgrpo_experiment.sh                                # seeds 1-3, all methods
#   bash scripts/sgrpo_experiment.sh --seeds "4 5" --methods "sgrpo_path grpo"
#   bash scripts/sgrpo_experiment.sh --report-only       # the table of the runs already there
#   bash scripts/sgrpo_experiment.sh --set '{"iterations": 36}' --out runs/sgrpo-long
# (--set merges JSON into every method's config; the warm start is shared from --out or
# runs/sgrpo-recheck.)
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="1 2 3" methods="sgrpo sgrpo_path grpo" report_only=0 set_json='{}' out=runs/sgrpo-recheck
while (($#)); do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    --methods) methods=$2; shift 2 ;;
    --report-only) report_only=1; shift ;;
    --set) set_json=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "sgrpo_experiment.sh: unknown argument '$1' (known: --seeds, --methods, --set, --out, --report-only)" >&2; exit 2 ;;
  esac
done
bin=${CRUCIBLE:-build/bin/crucible}
[ -x "$bin" ] || bash scripts/setup.sh --demo
mkdir -p "$out"
warm=$out/warm
[ -d "$warm/warm_start" ] || [ ! -d runs/sgrpo-recheck/warm/warm_start ] || warm=runs/sgrpo-recheck/warm
if ((!report_only)) && [ ! -d "$warm/warm_start" ]; then
  rm -rf "$warm"
  echo "sgrpo: warm start -> $warm" >&2
  "$bin" train --config examples/train/recheck_warm_start.json --out "$warm" >/dev/null
fi
((report_only)) && seeds_to_run="" || seeds_to_run=$seeds
for seed in $seeds_to_run; do
  for method in $methods; do
    [ -f "examples/train/recheck_$method.json" ] ||
      { echo "sgrpo_experiment.sh: no examples/train/recheck_$method.json" >&2; exit 2; }
    dir="$out/$method-s$seed"
    rm -rf "$dir"
    config=$(mktemp)
    python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
c.update(json.loads(sys.argv[5]))
c.update({"seed": int(sys.argv[2]), "init": sys.argv[3], "warmup": {"steps": 0}})
json.dump(c, open(sys.argv[4], "w"))' "examples/train/recheck_$method.json" "$seed" "$warm/warm_start" "$config" "$set_json"
    echo "sgrpo: $method, seed $seed -> $dir" >&2
    "$bin" train --config "$config" --out "$dir" >/dev/null 2>"$dir.log"
    rm -f "$config"
  done
done
python3 - "$out" "$seeds" "$methods" <<'PY'
import json, statistics, sys
out, seeds, methods = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()

def thinking(text):
    a, b = text.find("<think>"), text.find("</think>")
    return len(text[a + 7:b]) if a >= 0 and b > a else len(text)

def heldout(run):
    by_iteration = {}
    for line in open(f"{out}/{run}/heldout.jsonl"):
        r = json.loads(line)
        by_iteration.setdefault(r["iteration"], []).append(r)
    first, last = min(by_iteration), max(by_iteration)
    def stats(rows):
        return (sum(r["passed"] for r in rows) / len(rows),
                statistics.mean(thinking(r["completion"]) for r in rows))
    return stats(by_iteration[first]), stats(by_iteration[last])

def sampled(run):
    # Full paths only (a serial group's exits are cut by construction).
    rows = [json.loads(l) for l in open(f"{out}/{run}/samples.jsonl")]
    last = max(r["iteration"] for r in rows)
    return statistics.mean(thinking(r["text"]) for r in rows
                           if r["iteration"] >= last - 1 and not r.get("role", "").startswith("exit"))

print("S-GRPO against GRPO from one warm start (2-digit additions, half the rationales re-checked)")
print(f"{'run':<16} {'accuracy before -> after':>25} {'greedy thinking':>20} {'sampled thinking':>17}")
result = {}
for seed in seeds:
    for method in methods:
        (acc0, think0), (acc1, think1) = heldout(f"{method}-s{seed}")
        result[method, seed] = (acc1, think1, sampled(f"{method}-s{seed}"))
        print(f"{method + '-s' + seed:<16} {acc0:>11.1%} -> {acc1:>6.1%} {think0:>11.1f} -> {think1:>5.1f}"
              f" {result[method, seed][2]:>17.1f}")
if "grpo" in methods:
    for method in methods:
        if method == "grpo":
            continue
        greedy = [result[method, s][1] / result["grpo", s][1] for s in seeds]
        sampled_share = [result[method, s][2] / result["grpo", s][2] for s in seeds]
        gaps = [result[method, s][0] - result["grpo", s][0] for s in seeds]
        print(f"{method} against grpo, per seed: greedy thinking "
              + ", ".join(f"{x:.2f}" for x in greedy) + "; sampled thinking "
              + ", ".join(f"{x:.2f}" for x in sampled_share) + "; accuracy "
              + ", ".join(f"{g:+.1%}" for g in gaps))
PY
