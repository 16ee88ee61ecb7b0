#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Hard links: counted once by (st_dev, st_ino) inside one PATH and across
# PATHs (a later link adds nothing), every time with -l/--count-links; a
# PATH given twice or inside another PATH adds nothing, as du.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

mkdir -p p/x p/y q/z
head -c 50000 /dev/urandom >p/x/big
ln p/x/big p/x/big2          # same directory
ln p/x/big p/y/big3          # another directory of the same PATH
ln p/x/big q/z/big4          # another PATH
head -c 7000 /dev/urandom >q/solo
ln q/solo q/solo2

for j in 1 4; do
    SCAN_EXTRA="-j $j" check_totals -- p
    SCAN_EXTRA="-j $j" check_totals -- p q
    SCAN_EXTRA="-j $j" check_totals -- q p
    SCAN_EXTRA="-j $j" check_totals -l -- p q
    SCAN_EXTRA="-j $j" check_totals -- p p
    SCAN_EXTRA="-j $j" check_totals -- p p/x
    SCAN_EXTRA="-j $j" check_totals -- p/x p
    SCAN_EXTRA="-j $j" check_totals -- p/x/big p
done

# exactly one of the four names carries the 50000 bytes
"$DUFLAME" -q -f folded -b p q >f || fail "exit $?"
[ "$(grep -c ' 50000$' f)" = 1 ] || { cat f; fail "the linked file is not counted exactly once"; }
"$DUFLAME" -q -f folded -b -l p q >f || fail "exit $?"
[ "$(grep -c ' 50000$' f)" = 4 ] || { cat f; fail "-l does not count every link"; }
# the bytes go to the same name every time, whatever the threads: the first
# PATH, then the smallest path
for j in 1 2 4 8 1 4 8; do
    "$DUFLAME" -q -j $j -f folded -b q p >f || fail "exit $?"
    grep -q '^q;z;big4 50000$' f || { cat f; fail "-j $j: the bytes are not on q;z;big4"; }
    grep -q '^q;solo 7000$' f || { cat f; fail "-j $j: the bytes are not on q;solo"; }
    grep -q '^q;solo2 ' f && fail "-j $j: a further link has a line"
    "$DUFLAME" -q -j $j -f folded -b p >f || fail "exit $?"
    grep -q '^p;x;big 50000$' f || { cat f; fail "-j $j: the bytes are not on p;x;big"; }
done
# an archive with two names, read with --archives: its entries count once
mkdir -p arc1 arc2
head -c 30000 /dev/urandom >payload
tar -cf arc1/a.tar payload
cp arc1/a.tar arc2/a.tar
ln arc2/a.tar arc2/b.tar
for j in 1 4; do
    "$DUFLAME" -q -j $j -f folded -b --archives arc1 >f1 || fail "exit $?"
    "$DUFLAME" -q -j $j -f folded -b --archives arc2 >f2 || fail "exit $?"
    [ "$(folded_sum f1)" = "$(folded_sum f2)" ] ||
        fail "-j $j: a hard-linked archive counted twice: $(folded_sum f1) vs $(folded_sum f2)"
    grep -q '^arc2;a.tar;payload ' f2 || { cat f2; fail "the archive's entries are not under a.tar"; }
    grep -q '^arc2;b.tar;' f2 && fail "entries under the further link b.tar"
done
# a PATH given twice is drawn once
"$DUFLAME" -q -f folded --inodes p p >f || fail "exit $?"
[ "$(grep -c "^p " f)" = 1 ] || { cat f; fail "p p: not once"; }
echo ok
