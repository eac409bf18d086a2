#!/usr/bin/env bash
# Critique in the loop with the native policy on generated arithmetic (2- and 3-digit),
# end to end: a warm start that writes column-by-column rationales, then
#   1. test time: sample-critique-refine against plain sampling at equal policy calls;
#   2. training time: plain RFT, critique RFT, GSI state reset and brute force at the same
#      budget, and GSI with critique guidance.
# The tasks are the same for every seed; SEED (default 1) seeds the warm start, the sampling
# and training. Runs land in runs/critique/sSEED/; summary.py prints the tables over seeds.
# Seeded: reruns agree. Run from the repository root after scripts/setup.sh:
#   bash examples/critique/run.sh                      # seed 1
#   for s in 1 2 3; do SEED=$s bash examples/critique/run.sh; done
#   python3 examples/critique/summary.py runs/critique/s*
set -euo pipefail
C=${CRUCIBLE:-build/bin/crucible}
SEED=${SEED:-1}
T=${OUT:-runs/critique}  # OUT: another place, e.g. for a second BLAS path
D=$T/s$SEED
HERE=examples/critique
mkdir -p "$D"
$C tasks gen --family arithmetic --n 3000 --difficulty 1 --seed 101 --out "$T/a1.jsonl"
$C tasks gen --family arithmetic --n 3000 --difficulty 2 --seed 102 --out "$T/a2.jsonl"
cat "$T/a1.jsonl" "$T/a2.jsonl" > "$T/train.jsonl"
$C tasks gen --family arithmetic --n 300 --difficulty 1 --seed 201 --out "$T/e1.jsonl"
$C tasks gen --family arithmetic --n 300 --difficulty 2 --seed 202 --out "$T/e2.jsonl"
# Held out: prompts seen in training are dropped, 100 of each difficulty kept.
python3 - "$T" <<'PY'
import json, sys
d = sys.argv[1]
seen = {json.loads(l)["prompt"] for l in open(f"{d}/train.jsonl")}
keep = []
for name in ("e1", "e2"):
    rows = [json.loads(l) for l in open(f"{d}/{name}.jsonl")]
    keep += [r for r in rows if r["prompt"] not in seen][:100]
open(f"{d}/eval.jsonl", "w").write("".join(json.dumps(r) + "\n" for r in keep))
PY
[ -f "$D/warm_start/model.safetensors" ] ||
  $C sft --tasks "$T/train.jsonl" --config $HERE/model.json --steps 1500 --batch 32 --lr 0.003 \
    --seed "$SEED" --rationale --out "$D/warm_start"
# Refinement variants: name, chains, rounds, flags. Restarting continues after the last step
# the critic accepts; steps_only: the critic does not see the reference answer.
while read -r name chains rounds flags; do
  echo "refine: $name (chains $chains, rounds $rounds)"
  # shellcheck disable=SC2086
  $C refine --tasks "$T/eval.jsonl" --policy native:"$D/warm_start" --critic arithmetic \
    --chains "$chains" --rounds "$rounds" --max-tokens 160 --seed "$SEED" \
    --no-critique-in-prompt $flags --out "$D/refine-$name.jsonl" | tee "$D/refine-$name.json"
done <<'VARIANTS'
restart 1 4
restart_steps_only 1 4 --critic-without-reference
chains2_steps_only 2 2 --critic-without-reference
no_restart_steps_only 1 4 --no-restart --critic-without-reference
VARIANTS
for config in rft_plain rft_critique rft_gsi_state_reset rft_brute_force rft_gsi_critique; do
  rm -rf "${D:?}/$config"
  # The config's own seed for seed 1, shifted for the others; the warm start of this seed.
  python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
c.update({"seed": c["seed"] + int(sys.argv[2]) - 1, "init": sys.argv[3]})
json.dump(c, open(sys.argv[4], "w"))' "$HERE/$config.json" "$SEED" "$D/warm_start" "$D/$config.json"
  $C train --config "$D/$config.json" --out "$D/$config"
done
$C report "$D"/rft_*/ --out "$D/report.html"
