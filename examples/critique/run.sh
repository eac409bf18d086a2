#!/usr/bin/env bash
# Critique in the loop with the native policy on generated arithmetic (2- and 3-digit),
# end to end: a warm start that writes column-by-column rationales, then
#   1. test time: sample-critique-refine against plain sampling at equal policy calls;
#   2. training time: plain RFT, critique RFT, GSI state reset and brute force at the same
#      budget, and GSI with critique guidance.
# Everything lands in runs/critique/; figures are printed as JSON. Seeded: reruns agree.
# Run from the repository root after scripts/setup.sh:  bash examples/critique/run.sh
set -euo pipefail
C=${CRUCIBLE:-build/bin/crucible}
D=runs/critique
HERE=examples/critique
mkdir -p "$D"
$C tasks gen --family arithmetic --n 3000 --difficulty 1 --seed 101 --out "$D/a1.jsonl"
$C tasks gen --family arithmetic --n 3000 --difficulty 2 --seed 102 --out "$D/a2.jsonl"
cat "$D/a1.jsonl" "$D/a2.jsonl" > "$D/train.jsonl"
$C tasks gen --family arithmetic --n 300 --difficulty 1 --seed 201 --out "$D/e1.jsonl"
$C tasks gen --family arithmetic --n 300 --difficulty 2 --seed 202 --out "$D/e2.jsonl"
# Held out: prompts seen in training are dropped, 100 of each difficulty kept.
python3 - "$D" <<'PY'
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
  $C sft --tasks "$D/train.jsonl" --config $HERE/model.json --steps 1500 --batch 32 --lr 0.003 \
    --seed 1 --rationale --out "$D/warm_start"
for variant in "restart" "restart --critic-without-reference" "--no-restart --critic-without-reference"; do
  echo "refine: chains 1, rounds 4, $variant"
  # shellcheck disable=SC2086
  $C refine --tasks "$D/eval.jsonl" --policy native:"$D/warm_start" --critic arithmetic \
    --chains 1 --rounds 4 --max-tokens 160 --seed 1 --no-critique-in-prompt \
    ${variant#restart}
done
for config in rft_plain rft_critique rft_gsi_state_reset rft_brute_force rft_gsi_critique; do
  rm -rf "$D/$config"
  $C train --config $HERE/$config.json --out "$D/$config"
done
$C report "$D"/rft_* --out "$D/report.html"
