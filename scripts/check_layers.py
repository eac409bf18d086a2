#!/usr/bin/env python3
"""Fails when a source file includes a header of a component its row of the layer table in
ARCHITECTURE.md does not allow. The table is read from ARCHITECTURE.md itself (the rows of
"| `folder/` | ... | may use |"), so the document and the check cannot drift apart; the
known debts listed there ("| debt | `file` | `header` |") are reported but do not fail.

    python3 scripts/check_layers.py          # exit 1 and one line per crossing include
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOC = ROOT / "ARCHITECTURE.md"
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def read_table():
    allowed, debts = {}, set()
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] == "debt":
            debts.add((cells[1].strip("`"), cells[2].strip("`")))
        elif len(cells) == 3 and re.fullmatch(r"`[a-z_/]+/`", cells[0]):
            name = cells[0].strip("`").rstrip("/")
            uses = re.findall(r"`([a-z_/]+)/?`", cells[2])
            allowed[name] = {u.rstrip("/") for u in uses}
    return allowed, debts


def component(path, components):
    """The longest table folder that holds `path` (sandbox/service before sandbox)."""
    best = None
    for c in components:
        if path == c or path.startswith(c + "/"):
            if best is None or len(c) > len(best):
                best = c
    return best


def main():
    allowed, debts = read_table()
    if not allowed:
        print(f"check_layers: no layer table found in {DOC}", file=sys.stderr)
        return 2
    # A component may use what it uses and what those use (the table lists direct uses).
    def closure(c, seen=None):
        seen = seen if seen is not None else set()
        for u in allowed.get(c, ()):
            if u not in seen:
                seen.add(u)
                closure(u, seen)
        return seen

    failures, known = [], []
    for file in sorted(ROOT.glob("*/**/*.[ch]pp")):
        rel = file.relative_to(ROOT).as_posix()
        own = component(rel, allowed)
        if own is None or rel.startswith(("build", "tests/", "bench/", "examples/")):
            continue
        ok = allowed[own] | {own, "base"}  # every part may use base/
        for header in INCLUDE.findall(file.read_text(errors="replace")):
            target = component(header, allowed)
            if target is None or target in ok:
                continue
            entry = f"{rel}: includes {header} ({own} may not use {target})"
            (known if (rel, header) in debts else failures).append(entry)
    for k in known:
        print(f"check_layers: known debt: {k}", file=sys.stderr)
    for f in failures:
        print(f"check_layers: {f}", file=sys.stderr)
    if failures:
        print(f"check_layers: {len(failures)} include(s) cross the table in ARCHITECTURE.md",
              file=sys.stderr)
        return 1
    print(f"check_layers: every include follows ARCHITECTURE.md ({len(known)} known debts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
