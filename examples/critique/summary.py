"""The critique example's tables over seeds: min / median / max of each figure.

  python3 examples/critique/summary.py runs/critique/s1 runs/critique/s2 runs/critique/s3
"""
import json
import statistics
import sys

runs = sys.argv[1:]
if not runs:
    sys.exit("usage: summary.py RUN_DIR... (runs/critique/sSEED, written by run.sh)")


def spread(values, fmt):
    values = sorted(values)
    return " / ".join(fmt(v) for v in (values[0], statistics.median(values), values[-1]))


def pct(v):
    return f"{100 * v:.0f}%"


def refine_row(variant, side, key, hard):
    out = []
    for run in runs:
        s = json.load(open(f"{run}/refine-{variant}.json"))
        out.append(s[f"{side}_by_difficulty"][hard][key])
    return out


print(f"seeds: {len(runs)} ({', '.join(runs)}); cells are min / median / max\n")
print("| 3-digit tasks (the hard half) | accuracy | coverage | policy calls / task |")
print("|---|---|---|---|")
rows = [("plain sampling, majority of 4", "restart", "baseline"),
        ("refine, critic knows the reference answer", "restart", "refine"),
        ("refine, critic checks steps only", "restart_steps_only", "refine"),
        ("2 chains x 2 rounds, steps only", "chains2_steps_only", "refine"),
        ("resample from scratch on a fault, steps only (no restart)", "no_restart_steps_only",
         "refine")]
for label, variant, side in rows:
    cells = [spread(refine_row(variant, side, key, "difficulty 2"), fmt)
             for key, fmt in (("accuracy", pct), ("coverage", pct),
                              ("calls_per_task", lambda v: f"{v:.2f}"))]
    print(f"| {label} | " + " | ".join(cells) + " |")
easy = [refine_row(v, side, "accuracy", "difficulty 1") for _, v, side in rows]
print(f"\n2-digit tasks, every variant: accuracy {spread(sum(easy, []), pct)}\n")


def metrics(run, config):
    return [json.loads(line) for line in open(f"{run}/{config}/metrics.jsonl")]


print("| config | held-out before | held-out after | unsolved tasks gaining a solution / "
      "iteration | extra policy calls / iteration |")
print("|---|---|---|---|---|")
for config in ("rft_plain", "rft_critique", "rft_brute_force", "rft_gsi_state_reset",
               "rft_gsi_critique"):
    before, after, gaining, calls = [], [], [], []
    for run in runs:
        rows = metrics(run, config)
        held = [r for r in rows if "heldout_accuracy" in r]
        before.append(held[0]["heldout_accuracy"])
        after.append(held[-1]["heldout_accuracy"])
        steps = [r for r in rows if "unsolved_gaining" in r]
        gaining.append(statistics.mean(r["unsolved_gaining"] for r in steps) if steps else 0)
        calls.append(statistics.mean(r.get("critique_calls", 0) + r.get("guided_calls", 0)
                                     for r in steps) if steps else 0)
    print(f"| `{config}.json` | {spread(before, pct)} | {spread(after, pct)} | "
          f"{spread(gaining, pct)} | {spread(calls, lambda v: f'{v:.0f}')} |")
