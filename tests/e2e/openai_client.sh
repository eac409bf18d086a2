#!/usr/bin/env bash
# Runs the official openai client (installed by scripts/test.sh into build/npm) against a
# `crucible serve-policy` of a freshly trained tiny checkpoint. Usage: openai_client.sh BUILD
set -euo pipefail
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
modules="$build/npm/node_modules"
if [ ! -f "$modules/openai/package.json" ]; then
  echo "openai_client: the openai npm package is missing from $modules; scripts/test.sh installs it" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=""
"$build/bin/crucible" tasks gen --family arithmetic --n 30 --difficulty 1 --seed 1 --out "$work/t.jsonl" >/dev/null 2>&1
"$build/bin/crucible" sft --tasks "$work/t.jsonl" --steps 5 --batch 4 --out "$work/ckpt" >/dev/null 2>&1
"$build/bin/crucible" serve-policy --ckpt "$work/ckpt" --port 0 --name tiny > "$work/url" 2>/dev/null &
server=$!
for _ in $(seq 100); do grep -q url "$work/url" 2>/dev/null && break; sleep 0.1; done
url=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$work/url")
cp "$here/openai_client.mjs" "$build/npm/openai_client.mjs"
node "$build/npm/openai_client.mjs" "$url" tiny
