#!/usr/bin/env bash
# Piston's own package tests through Piston's own CLI against `crucible serve`, from a copy of
# Piston you already have (a checkout, or a git directory; nothing of Piston is downloaded).
# The CLI's npm dependencies come from the npm registry (npm ci, into a temporary copy).
# For each language both serve, the newest package version's test program runs through
# `piston run LANGUAGE FILE`; it passes when it prints OK, as Piston's own package check reads
# it. Starts a server on a free local port unless URL is given.
#
#   bash scripts/peers/piston_suite.sh /path/to/piston [--url URL]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/peers/suite.sh
peer_begin piston_suite.sh "PISTON_CHECKOUT_OR_GIT_DIR [--url URL]" "$@"
peer_copy cli packages
(cd "$tree/cli" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
peer_serve
# Piston package directory, test file and the language name Piston's CLI is given.
cases="bash test.bash.sh bash
gcc test.c c
gcc test.cpp c++
go test.go go
java test.java java
lua test.lua lua
node test.js javascript
perl test.pl perl
php test.php php
python test.py python
ruby test.rb ruby
rust test.rs rust
typescript test.ts typescript"
passed=0 failed=0
while read -r package file language; do
  newest=$(ls -d "$tree/packages/$package"/*/ | sort -V | tail -1)
  out=$(cd "$tree/cli" && node index.js -u "$url" run "$language" "$newest$file" 2>&1) || true
  if grep -qx "OK" <<<"$(sed 's/\x1b\[[0-9;]*m//g' <<<"$out" | tr -d '\r' | sed 's/^ *//;s/ *$//')"; then
    passed=$((passed + 1)) && echo "pass  $language ($package/$(basename "$newest")/$file)"
  else
    failed=$((failed + 1)) && echo "FAIL  $language ($package/$(basename "$newest")/$file):" && sed 's/^/      /' <<<"$out" | head -20
  fi
done <<<"$cases"
echo "piston suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
