#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame PATH and duflame diff take the same scan options (scan_cli.c): the
# same help text, the same ranges and messages for bad values, and -X reads
# standard input for "-" in both.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

# the scan option lines of both helps, from -x to --inodes, are the same text
"$DUFLAME" --help >scan-help.txt || fail "--help exit $?"
"$DUFLAME" diff --help >diff-help.txt || fail "diff --help exit $?"
sed -n '/^  -x, --one-file-system/,/^      --inodes/p' scan-help.txt >scan-opts.txt
sed -n '/^  -x, --one-file-system/,/^      --inodes/p' diff-help.txt >diff-opts.txt
[ "$(wc -l <scan-opts.txt)" -ge 9 ] || fail "cannot find the scan options in --help"
cmp -s scan-opts.txt diff-opts.txt ||
    fail "the scan options differ in the two helps: $(diff scan-opts.txt diff-opts.txt)"

mkdir -p a/keep a/skip b/keep b/skip
head -c 5000 /dev/urandom >a/keep/f
head -c 9000 /dev/urandom >b/keep/f
head -c 70000 /dev/urandom >a/skip/g
head -c 90000 /dev/urandom >b/skip/g

# bad values: the same exit status and message from both front ends
for bad in "-j 0" "-j 257" "-j x" "-j +4" "-j -1" "--threads= 4" "-X missing-globs"; do
    rc1=0 rc2=0
    "$DUFLAME" -q $bad a >/dev/null 2>e1 || rc1=$?
    "$DUFLAME" diff -q $bad a b >/dev/null 2>e2 || rc2=$?
    [ $rc1 = 2 ] || fail "duflame $bad: exit $rc1 ($(cat e1))"
    [ $rc2 = 2 ] || fail "duflame diff $bad: exit $rc2 ($(cat e2))"
    m1=$(head -1 e1) m2=$(head -1 e2)
    [ -n "$m1" ] || fail "duflame $bad: no message"
    [ "$m1" = "$m2" ] || fail "$bad: '$m1' from duflame, '$m2' from duflame diff"
done
# good values: accepted by both
for good in "-j 1" "-j 256" "--threads=16"; do
    "$DUFLAME" -q $good -f folded a >/dev/null 2>err || fail "duflame $good: $(cat err)"
    "$DUFLAME" diff -q $good -f folded a b >/dev/null 2>err || fail "duflame diff $good: $(cat err)"
done

# -X - reads the globs from standard input, in both
echo skip | "$DUFLAME" -q -X - -f folded a >scan.folded 2>err || fail "duflame -X -: $(cat err)"
grep -q skip scan.folded && fail "duflame -X -: skip is still there"
grep -q '^a;keep;f ' scan.folded || fail "duflame -X -: $(cat scan.folded)"
echo skip | "$DUFLAME" diff -q -X - -f folded a b >diff.folded 2>err ||
    fail "duflame diff -X -: $(cat err)"
grep -q skip diff.folded && fail "duflame diff -X -: skip is still there"
grep -q 'keep;f ' diff.folded || fail "duflame diff -X -: $(cat diff.folded)"
# -b and --inodes: --inodes wins in either order, in both
for o in "-b --inodes" "--inodes -b"; do
    "$DUFLAME" -q $o -f folded a >s.folded || fail "duflame $o"
    grep -q '^a;keep;f 1$' s.folded || fail "duflame $o: not entries: $(cat s.folded)"
    "$DUFLAME" diff -q $o -f folded a b >d.folded || fail "duflame diff $o"
    grep -q 'keep;f 1 1$' d.folded || fail "duflame diff $o: not entries: $(cat d.folded)"
done
echo ok
