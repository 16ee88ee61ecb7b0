#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# --help of each command: each heading and each option once, the defaults
# that command uses (a scan sorts by size, writes text, colours by kind),
# the report's options in a scan only; -h is help in render only.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

for cmd in "" render diff; do
    # shellcheck disable=SC2086
    "$DUFLAME" $cmd --help >h.txt || fail "$cmd --help: exit $?"
    [ "$(grep -c '^usage: ' h.txt)" = 1 ] || fail "$cmd --help: usage not once"
    dup=$(grep -E '^[A-Z][^:]*:$' h.txt | sort | uniq -d)
    [ -z "$dup" ] || fail "$cmd --help: heading twice: $dup"
    dup=$(grep -oE '^ {2,6}(-[a-zA-Z], )?--[a-z-]+' h.txt | sed 's/^ *//' | sort | uniq -d)
    [ -z "$dup" ] || fail "$cmd --help: option twice: $dup"
done

"$DUFLAME" --help >scan.txt
grep -q -- '--sort name|size .*(size)$' scan.txt || fail "scan --help: the sort is not size"
grep -A1 -- '--format=FMT ' scan.txt | grep -q '(default: text)$' || fail "scan --help: the format default"
grep -q '(by kind of file)$' scan.txt || fail "scan --help: colours by kind"
grep -q -- '--max-depth=N' scan.txt || fail "scan --help: no --max-depth"
grep -q -- '^  -h, --human-readable' scan.txt || fail "scan --help: no -h"
grep -A1 -- '--top=N' scan.txt | grep -q "terminal's height; 40" || fail "scan --help: --top's default"

"$DUFLAME" render --help >render.txt
grep -q -- '--sort name|size .*(name)$' render.txt || fail "render --help: the sort is not name"
grep -q -- '--max-depth\|--human-readable' render.txt && fail "render --help: the report's options"
"$DUFLAME" render -h | cmp -s - render.txt || fail "render -h is not its help"
"$DUFLAME" diff --help | grep -q -- '--human-readable' && fail "diff --help: the report's options"
echo ok
