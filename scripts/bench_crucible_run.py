#!/usr/bin/env python3
"""`crucible run` of a Python file end to end against bare `python3 FILE`, interleaved.

Each `crucible run` is a new process (the CLI, its jail helper, the run), as a user types it.
"new" is a source the compile cache has never seen, "cached" one it has. Medians of N rounds;
with --baseline DIR (another build's bin/), the same rows for that build, in the same rounds,
and the per-round difference between the two builds with a 95% bootstrap interval. Each round
runs its commands in a shuffled order: a fixed order gave whichever ran first a colder machine.
Medians of separate runs drift by more than the changes measured here (two runs of one build
as both --build and --baseline differed by 3.7 ms); the paired difference cancels that drift.

  python3 scripts/bench_crucible_run.py [--rounds 15] [--build build] [--baseline OTHER/bin]
"""
import argparse
import os
import random
import statistics
import subprocess
import tempfile
import time
import uuid


def timed(cmd, env):
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {done.stderr.decode()[-400:]}")
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--build", default="build")
    parser.add_argument("--baseline", help="another build's bin/ directory")
    args = parser.parse_args()
    builds = {"this": os.path.abspath(os.path.join(args.build, "bin"))}
    if args.baseline:
        builds["baseline"] = os.path.abspath(args.baseline)
    env = {name: dict(os.environ, CRUCIBLE_JAIL_HELPER=os.path.join(bin_dir, "crucible-jail"))
           for name, bin_dir in builds.items()}
    rows = {"bare python3": []}
    with tempfile.TemporaryDirectory(prefix="crucible-run-bench-") as tmp:
        cached = os.path.join(tmp, "cached.py")
        with open(cached, "w") as f:
            f.write("pass\n")

        def fresh_source():
            path = os.path.join(tmp, f"{uuid.uuid4().hex}.py")
            with open(path, "w") as f:
                f.write(f"pass  # {uuid.uuid4().hex}\n")
            return path

        for name, bin_dir in builds.items():
            timed([os.path.join(bin_dir, "crucible"), "run", cached], env[name])
            rows[f"{name}: new source"] = []
            rows[f"{name}: cached source"] = []
        for _ in range(args.rounds):
            runs = [("bare python3", ["/usr/bin/python3", fresh_source()], None)]
            for name, bin_dir in builds.items():
                crucible = os.path.join(bin_dir, "crucible")
                runs.append((f"{name}: new source", [crucible, "run", fresh_source()], env[name]))
                runs.append((f"{name}: cached source", [crucible, "run", cached], env[name]))
            random.shuffle(runs)
            for row, cmd, run_env in runs:
                rows[row].append(timed(cmd, run_env))
    bare = statistics.median(rows["bare python3"])
    for row, values in rows.items():
        median = statistics.median(values)
        print(f"{row:24s} median {median:7.1f} ms  {median / bare:5.2f}x bare")
    if args.baseline:
        for kind in ("new source", "cached source"):
            diffs = [a - b for a, b in zip(rows[f"this: {kind}"], rows[f"baseline: {kind}"])]
            low, high = bootstrap_interval(diffs)
            print(f"this - baseline, {kind}: median {statistics.median(diffs):+.2f} ms "
                  f"(95% interval {low:+.2f} to {high:+.2f})")


def bootstrap_interval(values, resamples=2000):
    """The 2.5th and 97.5th percentiles of the median over resamples of `values`."""
    pick = random.Random(0)
    medians = sorted(statistics.median(pick.choices(values, k=len(values)))
                     for _ in range(resamples))
    return medians[resamples * 25 // 1000], medians[resamples * 975 // 1000 - 1]


if __name__ == "__main__":
    main()
