#!/usr/bin/env python3
"""`crucible run` of a Python file end to end against bare `python3 FILE`, interleaved.

Each `crucible run` is a new process (the CLI, its jail helper, the run), as a user types it.
"new" is a source the compile cache has never seen, "cached" one it has. Medians of N rounds;
with --baseline DIR (another build's bin/), the same rows for that build, in the same rounds.

  python3 scripts/bench_crucible_run.py [--rounds 15] [--build build] [--baseline OTHER/bin]
"""
import argparse
import os
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
        for name, bin_dir in builds.items():
            timed([os.path.join(bin_dir, "crucible"), "run", cached], env[name])
            rows[f"{name}: new source"] = []
            rows[f"{name}: cached source"] = []
        for _ in range(args.rounds):
            for name, bin_dir in builds.items():
                fresh = os.path.join(tmp, f"{uuid.uuid4().hex}.py")
                with open(fresh, "w") as f:
                    f.write(f"pass  # {uuid.uuid4().hex}\n")
                rows["bare python3"].append(timed(["/usr/bin/python3", fresh], None))
                crucible = os.path.join(bin_dir, "crucible")
                rows[f"{name}: new source"].append(timed([crucible, "run", fresh], env[name]))
                rows[f"{name}: cached source"].append(timed([crucible, "run", cached], env[name]))
    bare = statistics.median(rows["bare python3"])
    for row, values in rows.items():
        median = statistics.median(values)
        print(f"{row:24s} median {median:7.1f} ms  {median / bare:5.2f}x bare")


if __name__ == "__main__":
    main()
