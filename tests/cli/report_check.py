#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check a text report (--ascii, sizes in plain numbers) against du.

usage: report_check.py REPORT DU [MAXDEPTH]

REPORT is duflame's report; DU the output of `du -a` with the same metric and
block size (SIZE<TAB>PATH lines). Every row of the tree and every largest
file is looked up in DU by its path, rebuilt from the indentation: a folded
row "a/b/c/" stands for its top directory a, its children lie under a/b/c.
Checks the size, that a folded chain holds one directory at each step, and
(with MAXDEPTH) that no row is deeper than du --max-depth would go. Prints
one shown path a line (the top of each row) and exits 1 on any mismatch.
"""
import re
import sys

ROW = re.compile(r"^ *([0-9,]+) +([0-9.]+)% ([#.]+) ( *)(.*)$")


def main():
    report = open(sys.argv[1], encoding="utf-8", errors="surrogateescape").read().split("\n")
    du = {}
    for line in open(sys.argv[2], encoding="utf-8", errors="surrogateescape"):
        size, path = line.rstrip("\n").split("\t", 1)
        du[path] = int(size.replace(",", ""))
    maxdepth = int(sys.argv[3]) if len(sys.argv) > 3 else None
    children = {}
    for p in du:
        parent = p.rsplit("/", 1)[0] if "/" in p else None
        children.setdefault(parent, []).append(p)
    bad = 0

    def fail(msg):
        nonlocal bad
        bad += 1
        print("MISMATCH: " + msg, file=sys.stderr)

    stack = []  # (level, path its children lie under)
    section = "tree"
    rows = 0
    for line in report[1:]:
        if line == "Largest files:":
            section = "files"
            continue
        m = ROW.match(line)
        if not m:
            continue
        size = int(m.group(1).replace(",", ""))
        name = m.group(5)
        if section == "files":
            top = name
            if top not in du:
                fail("largest file %r is not in du's listing" % top)
            elif du[top] != size:
                fail("largest file %r: report %d, du %d" % (top, size, du[top]))
            continue
        if name == "total":
            continue
        rows += 1
        level = len(m.group(4)) // 2
        while stack and stack[-1][0] >= level:
            stack.pop()
        parts = name.rstrip("/").split("/")
        if not stack:
            # a PATH: named as given, may itself start a chain
            top, depth = parts[0], 0
        else:
            top, depth = stack[-1][1] + "/" + parts[0], stack[-1][2] + 1
        if top not in du:
            fail("row %r (%s) is not in du's listing" % (line, top))
            continue
        if du[top] != size:
            fail("%s: report %d, du %d" % (top, size, du[top]))
        print(top)
        end = top
        for part in parts[1:]:
            kids = children.get(end, [])
            if len(kids) != 1 or kids[0] != end + "/" + part:
                fail("%s folded, but %s holds %d entries" % (name, end, len(kids)))
            end = end + "/" + part
            depth += 1
        if maxdepth is not None and depth > maxdepth:
            fail("%s is at depth %d, deeper than %d" % (end, depth, maxdepth))
        stack.append((level, end, depth))
    if rows == 0:
        fail("no rows")
    sys.exit(1 if bad else 0)


main()
