#!/usr/bin/env bash
# Reruns the learning figures of README.md over seeds and BLAS kernel paths and prints one
# table: held-out accuracy before and after self-training, min / median / max per path.
#
#   bash scripts/reproduce.sh                          # demo, seeds 1-5, every path
#   bash scripts/reproduce.sh --seeds "1 2 3" --paths "default naive" --preset expression
#   bash scripts/reproduce.sh --figure critique --seeds "1 2 3" --paths "default skylakex"
#   bash scripts/reproduce.sh --figure all
#
# --figure picks which of README's learning figures: demo or expression (the presets, as
# --preset), critique (examples/critique: run.sh per seed and path, then summary.py), sgrpo
# (scripts/sgrpo_experiment.sh) or ulorl (scripts/ulorl_served.sh), or all of them in turn.
# The critique figure takes the BLAS paths but not naive; sgrpo and ulorl run on the default
# path.
#
# Paths: default (OpenBLAS picks its kernel for this CPU; OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE in the caller's environment are ignored), haswell (OPENBLAS_CORETYPE=Haswell),
# skylakex (OPENBLAS_CORETYPE=SkylakeX: AVX-512 CPUs only), naive (the reference loops,
# "kernels": "naive"). Runs go to runs/reproduce/.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds="1 2 3 4 5" paths="default haswell naive" preset=demo
# On an AVX-512 CPU the SkylakeX kernels are a fourth path.
grep -qw avx512f /proc/cpuinfo && paths="default haswell skylakex naive"
while (($#)); do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    --paths) paths=$2; shift 2 ;;
    --preset | --figure) preset=$2; shift 2 ;;
    *) echo "reproduce.sh: unknown argument '$1' (known: --seeds, --paths, --preset, --figure)" >&2; exit 2 ;;
  esac
done
seeds_given() { [ "$seeds" != "1 2 3 4 5" ]; }
# OpenBLAS settings of the caller's environment are dropped on every path, so that "default"
# is what OpenBLAS picks for this CPU by itself, as on a fresh machine (a shell that exports
# OPENBLAS_CORETYPE would otherwise turn every path into that one).
unset_blas=(-u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE)
# blas_env PATH: env gets the env(1) arguments of a BLAS path (default, haswell, skylakex);
# fails for any other path.
blas_env() {
  case "$1" in
    default) env=("${unset_blas[@]}") ;;
    haswell) env=("${unset_blas[@]}" OPENBLAS_CORETYPE=Haswell) ;;
    skylakex) env=("${unset_blas[@]}" OPENBLAS_CORETYPE=SkylakeX) ;;
    *) return 1 ;;
  esac
}
[ -x build/bin/crucible ] || bash scripts/setup.sh --demo
mkdir -p runs/reproduce
case "$preset" in
  all)
    args=()
    seeds_given && args+=(--seeds "$seeds")
    for figure in demo expression critique sgrpo ulorl; do
      bash "$0" --figure "$figure" --paths "$paths" "${args[@]}"
    done
    exit 0 ;;
  critique)
    seeds_given || seeds="1 2 3"
    for path in $paths; do
      blas_env "$path" ||
        { echo "reproduce.sh: the critique figure runs on BLAS paths only, not '$path'" >&2; continue; }
      dirs=()
      for seed in $seeds; do
        env "${env[@]}" OUT="runs/reproduce/critique-$path" SEED="$seed" bash examples/critique/run.sh \
          >"runs/reproduce/critique-$path-s$seed.log" 2>&1
        dirs+=("runs/reproduce/critique-$path/s$seed")
      done
      echo "critique figures, $path kernels:"
      python3 examples/critique/summary.py "${dirs[@]}"
    done
    exit 0 ;;
  sgrpo)
    seeds_given || seeds="1 2 3"
    exec env "${unset_blas[@]}" bash scripts/sgrpo_experiment.sh --seeds "$seeds" ;;
  ulorl)
    seeds_given || seeds="1 2 3"
    exec env "${unset_blas[@]}" bash scripts/ulorl_served.sh --seeds "$seeds" ;;
  demo | expression | tiny) ;;
  *) echo "reproduce.sh: unknown figure '$preset' (known: demo, expression, critique, sgrpo, ulorl, all)" >&2
     exit 2 ;;
esac
bin=build/bin/crucible
[ -x "$bin" ] || bash scripts/setup.sh --demo
out=runs/reproduce
mkdir -p "$out"
results="$out/$preset-${paths// /-}.jsonl"
: >"$results"
for path in $paths; do
  for seed in $seeds; do
    dir="$out/$preset-$path-s$seed"
    rm -rf "$dir"
    config=$(mktemp)
    if [ "$path" = naive ]; then
      echo '{"kernels": "naive"}' >"$config"
      env=("${unset_blas[@]}")
    elif blas_env "$path"; then
      echo '{}' >"$config"
    else
      echo "reproduce.sh: unknown path '$path' (known: default, haswell, skylakex, naive)" >&2
      exit 2
    fi
    echo "reproduce: $preset, $path kernels, seed $seed -> $dir" >&2
    start=$(date +%s)
    summary=$(env "${env[@]}" "$bin" train --preset "$preset" --seed "$seed" --config "$config" \
      --out "$dir" 2>"$dir.log" | tail -n 1)
    rm -f "$config"
    python3 -c 'import json, sys
s = json.loads(sys.argv[1])
print(json.dumps({"path": sys.argv[2], "seed": int(sys.argv[3]), "seconds": int(sys.argv[4]),
                  "before": s["heldout_accuracy_before"], "after": s["heldout_accuracy_after"]}))' \
      "$summary" "$path" "$seed" "$(($(date +%s) - start))" >>"$results"
    tail -n 1 "$results" >&2
  done
done
python3 - "$results" "$preset" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"held-out accuracy, crucible train --preset {sys.argv[2]} (before -> after self-training)")
print(f"{'kernels':<9} {'seeds':>5}  {'before min/median/max':>23}  {'after min/median/max':>22}  {'s/run':>6}")
for path in dict.fromkeys(r["path"] for r in rows):
    rs = [r for r in rows if r["path"] == path]
    def spread(key):
        v = sorted(100 * r[key] for r in rs)
        return f"{v[0]:.0f}% / {statistics.median(v):.0f}% / {v[-1]:.0f}%"
    secs = statistics.median(r["seconds"] for r in rs)
    print(f"{path:<9} {len(rs):>5}  {spread('before'):>23}  {spread('after'):>22}  {secs:>6.0f}")
PY
