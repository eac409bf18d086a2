#!/usr/bin/env bash
# Opens a run's report.html in a real browser (headless Chromium, installed from Debian when
# missing), saves a screenshot next to it and checks what the browser rendered: the plots,
# the accuracy axis from 0 to 1, the config and machine lines and the before/after table.
#
#   bash scripts/check_report.sh runs/demo-20261126-101500      # -> runs/.../report.png
set -euo pipefail
run=${1:?usage: scripts/check_report.sh RUN_DIR}
report="$run/report.html"
[ -f "$report" ] || { echo "check_report: $report does not exist" >&2; exit 2; }
if ! command -v chromium >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium >&2
fi
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,2400)
timeout 120 chromium "${flags[@]}" --screenshot="$run/report.png" "$url" 2>/dev/null
dom=$(timeout 120 chromium "${flags[@]}" --dump-dom "$url" 2>/dev/null)
fail=0
check() {  # check DESCRIPTION COUNT_AT_LEAST PATTERN
  local n
  n=$(grep -o "$3" <<<"$dom" | wc -l)
  if ((n < $2)); then
    echo "check_report: $1: found $n, expected at least $2" >&2
    fail=1
  fi
}
check "plots (svg)" 4 "<svg"
check "held-out accuracy plot" 1 "held-out accuracy (greedy)"
check "accuracy axis tick 1" 1 ">1</text>"
check "accuracy axis tick 0.2" 1 ">0.2</text>"
check "config line" 1 "<b>Config:</b>"
check "machine line" 1 "<b>Machine:</b>"
check "before/after table" 1 "before and after"
size=$(stat -c %s "$run/report.png")
((size > 20000)) || { echo "check_report: screenshot is only $size bytes" >&2; fail=1; }
((fail == 0)) && echo "check_report: $report renders (screenshot $run/report.png, $size bytes)"
exit $fail
