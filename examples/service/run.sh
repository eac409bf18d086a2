#!/usr/bin/env bash
# curl against `crucible serve`: run, judge, OpenRLHF's /get_reward, health and metrics.
# Usage: bash examples/service/run.sh [build-dir]   (starts a server on a free port, stops it)
set -euo pipefail
build=${1:-build}
out=$(mktemp)
"$build/bin/crucible" serve --port 0 > "$out" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
url="http://$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["listening"])' "$out")"

curl -sf "$url/v1/health"; echo
curl -sf "$url/v1/run" -d '{"language": "python3", "source": "print(input()[::-1])", "stdin": "abc"}' |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], repr(r["stdout"]))'
curl -sf "$url/v1/judge" -d '{"language": "python3", "source": "print(sum(map(int, input().split())))",
  "tests": [{"input": "1 2", "output": "3"}, {"input": "5 5", "output": "10"}]}' |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["verdict"], r["passed"], "/", r["total"])'
curl -sf "$url/get_reward" -d '{"query": ["Q: 2+2? The answer is 4.", "Q: 2+2? \\boxed{5}"],
  "prompts": ["Q: 2+2? ", "Q: 2+2? "], "labels": ["4", "4"]}' |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print("rewards", r["rewards"])'
curl -sf "$url/metrics" | grep -c '^crucible_requests_total' >/dev/null && echo "metrics ok"
