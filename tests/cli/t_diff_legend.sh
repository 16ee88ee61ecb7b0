#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The static SVG of duflame diff (what a viewer without scripts shows) has a
# legend: what each colour means, both totals and the change, the same words
# and numbers as the text report and the page's legend; every frame's fill
# keeps a contrast of at least 4.5:1 with the dark labels. Directories and
# profiles, --negate swapping the hues.
set -eu
command -v python3 >/dev/null || exit 77
fail() { echo "FAIL: $*" >&2; exit 1; }
mk() { head -c "$2" /dev/urandom >"$1"; }
mkdir -p before/gone/sub before/src after/src after/lib
mk before/gone/a.bin 300000
mk before/gone/sub/b.bin 100000
mk before/src/main.c 10000
mk after/src/main.c 50000
mk before/src/same.h 3000
cp before/src/same.h after/src/same.h
mk after/lib/new.so 123456

# the legend's text of an SVG, one entry a line
legend() {
    python3 - "$1" <<'PY'
import re, sys
s = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<g id="legend">(.*?)</g>', s, re.S)
if not m:
    sys.exit('no legend')
for fill, label in re.findall(r'<rect [^>]*fill="(rgb\([^)]*\))"[^>]*/><text [^>]*>([^<]*)</text>', m.group(1)):
    print(fill, label)
t = re.search(r'<text id="diff-totals"[^>]*>([^<]*)</text>', m.group(1))
print('totals', t.group(1) if t else '')
PY
}

# the lowest contrast of a frame's fill against the labels' black
contrast() {
    python3 - "$1" <<'PY'
import re, sys
s = open(sys.argv[1], encoding='utf-8').read()
frames = s[s.index('<g id="frames"'):]
def lum(c):
    f = lambda v: v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (f(int(x) / 255) for x in c)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
fills = set(re.findall(r'<rect [^>]*fill="rgb\((\d+),(\d+),(\d+)\)"', frames))
worst = min((lum(c) + 0.05) / 0.05 for c in fills)
print(len(fills), '%.2f' % worst)
PY
}

for args in "" "--apparent-size" "--inodes"; do
    "$DUFLAME" diff $args -o d.svg before after || fail "diff $args: exit $?"
    "$DUFLAME" diff $args -f text before after >d.txt || fail "diff $args -f text: exit $?"
    legend d.svg >l.txt || fail "diff $args: no legend"
    grep -qx 'rgb(255,110,110) grew (deeper: more)' l.txt || fail "diff $args: red is grew: $(cat l.txt)"
    grep -qx 'rgb(110,110,255) shrank or went away' l.txt || fail "diff $args: blue: $(cat l.txt)"
    grep -qx 'rgb(255,255,255) unchanged' l.txt || fail "diff $args: white: $(cat l.txt)"
    # the totals: the text report's first column and change line
    b=$(awk '$1 == "before" {print $2, $3; exit}' d.txt)
    a=$(awk '$1 == "after" {print $2, $3; exit}' d.txt)
    ch=$(sed -n 's/^change  //p' d.txt)
    if [ "$args" = --inodes ]; then
        # counts: "5 entries", as the page writes them
        b=$(awk '$1 == "before" {print $2 " entries"; exit}' d.txt)
        a=$(awk '$1 == "after" {print $2 " entries"; exit}' d.txt)
    fi
    want="totals Before $b → after $a, change $ch"
    got=$(grep '^totals' l.txt)
    [ "$got" = "$want" ] || fail "diff $args: legend '$got', want '$want'"
    read -r n worst < <(contrast d.svg)
    [ "$n" -ge 3 ] || fail "diff $args: only $n fills"
    python3 -c "import sys; sys.exit(0 if $worst >= 4.5 else 1)" || fail "diff $args: contrast $worst"
done
# the numbers of the default (disk usage) legend against du
"$DUFLAME" diff -o d.svg before after
grep -q "<text id=\"diff-totals\"" d.svg || fail "no totals element"

# profiles: samples, and --negate swaps the hues
printf 'main;foo;bar 30\nmain;gone;x 10\nmain;baz 100\n' >b.folded
printf 'main;foo;bar 60\nmain;new;y 25\nmain;baz 80\n' >a.folded
"$DUFLAME" diff -o p.svg b.folded a.folded || fail "profiles: exit $?"
legend p.svg >l.txt
grep -qx 'totals Before 140 samples → after 165 samples, change +25 (+17.9%)' l.txt ||
    fail "profiles: $(cat l.txt)"
"$DUFLAME" diff --negate -o n.svg b.folded a.folded || fail "--negate: exit $?"
legend n.svg >l.txt
grep -qx 'rgb(110,110,255) grew (deeper: more)' l.txt || fail "--negate: blue is grew: $(cat l.txt)"
# a scan's SVG has no diff legend entries
mkdir -p plain && mk plain/f 100
"$DUFLAME" -o s.svg plain
! grep -q 'diff-totals\|shrank or went away' s.svg || fail "a scan's SVG has the diff legend"
echo ok
