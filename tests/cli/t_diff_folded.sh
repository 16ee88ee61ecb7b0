#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame diff of two folded profiles: STACK BEFORE AFTER lines with every
# stack of either side (0 where missing), columns adding up to each profile,
# decimals kept exact; the text report in samples; warnings for bad lines.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >before.folded <<'X'
main;foo;bar 30
main;foo 50
main;gone;x 10
main;baz 100
X
printf 'main;baz 80\r\nmain;foo;bar 60\n\nmain;foo 50\nmain;new;y 25\n' >after.folded

"$DUFLAME" diff -f folded before.folded after.folded >d.folded || fail "exit $?"
cat >want <<'X'
main;baz 100 80
main;foo 50 50
main;foo;bar 30 60
main;gone;x 10 0
main;new;y 0 25
X
diff -u want d.folded || fail "folded output"

# the text report: totals in samples, then the biggest changes with paths
"$DUFLAME" diff -f text before.folded after.folded >d.txt || fail "text exit $?"
cat d.txt
grep -qx 'before  190 samples  before.folded' d.txt || fail "before total"
grep -qx 'after   215 samples  after.folded' d.txt || fail "after total"
grep -qx 'change  +25 (+13.2%)' d.txt || fail "change"
# the ranking: stacks by absolute change; a frame whose change is all one
# child's is that child's row (main;foo is main;foo;bar's +30)
cat >want <<'X'
changed most (4 of 4 paths, largest change first)
  change  before  after        %  path
     +30      30     60  +100.0%  main;foo;bar
     +25       0     25      new  main;new;y
     -20     100     80   -20.0%  main;baz
     -10      10      0  removed  main;gone;x
X
sed -n '/^changed most/,$p' d.txt | diff -u want - || fail "ranking"

# decimals stay exact, on the side that has them
printf 'a;b 1.25\na 2\n' >dec1.folded
printf 'a;b 3\na 1.5\n' >dec2.folded
"$DUFLAME" diff -f folded dec1.folded dec2.folded >dec.out
printf 'a 2 1.5\na;b 1.25 3\n' | diff -u - dec.out || fail "decimals"
"$DUFLAME" diff -f text dec1.folded dec2.folded | grep -qx 'change  +1.25 (+38.5%)' || fail "decimal change"

# an empty file is an empty profile
: >empty.folded
"$DUFLAME" diff -f folded empty.folded after.folded >e.out || fail "empty side exit $?"
[ "$(awk '{b += $2; a += $3} END {print b, a}' e.out)" = "0 215" ] || fail "empty side sums"

# invalid lines past the first hundred: read, warned about, exit status 1
{ for i in $(seq 1 150); do echo "f$i 1"; done; echo "no count here"; echo "tail 2"; } >bad.folded
set +e
"$DUFLAME" diff -f folded after.folded bad.folded >b.out 2>b.err
rc=$?
set -e
[ $rc = 1 ] || fail "invalid lines: exit $rc, want 1"
grep -q "^duflame: 'bad.folded': skipped 1 invalid line (the first is line 151)$" b.err ||
    fail "invalid line warning: $(cat b.err)"
grep -qx 'tail 0 2' b.out || fail "lines after the bad one are lost"

# what duflame diff writes, duflame render reads as differential input
if "$DUFLAME" render --help >/dev/null 2>&1; then
    "$DUFLAME" render -o r.svg d.folded || fail "render of the diff's folded output"
    grep -q 'fg:diff="1"' r.svg || fail "render did not see a differential input"
fi
echo ok
