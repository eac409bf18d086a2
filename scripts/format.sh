#!/usr/bin/env bash
# Formats every C++ file with the repository's .clang-format; --check only reports.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "format: clang-format missing; run scripts/setup.sh" >&2; exit 1; }
# Tracked files and new ones not yet added (so a check before the first commit sees them).
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' '*.cpp.in')
if [ "${1:-}" = --check ]; then
  clang-format --dry-run --Werror "${files[@]}"
  echo "format: ${#files[@]} files clean" >&2
else
  clang-format -i "${files[@]}"
fi
