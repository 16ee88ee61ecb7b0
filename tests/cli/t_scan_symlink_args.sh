#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A PATH that is a symbolic link, as du: "link" is the link itself (unless
# -L or -H), "link/" is the directory it points to (the kernel resolves a
# trailing slash). Every metric is compared with du, for both forms, and
# with -H/-D/--dereference-args (links below the PATH stay links).
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

mkdir -p t/d/sub t/other
head -c 30000 /dev/urandom >t/d/f
head -c 70000 /dev/urandom >t/d/sub/g
head -c 50000 /dev/urandom >t/other/h
ln -s ../other t/d/inner   # a link below the PATH: a link even with -H
ln -s t/d link
ln -s link link2           # a link to a link
ln -s t/d/f flink          # a link to a file

for j in 1 3; do
    for p in link link/ link// link2 link2/ flink ./link/ t/../link/; do
        SCAN_EXTRA="-j $j" check_totals -- "$p"
        SCAN_EXTRA="-j $j" check_totals -L -- "$p"
        SCAN_EXTRA="-j $j" check_totals -H -- "$p"
        SCAN_EXTRA="-j $j" check_totals --dereference-args -- "$p"
    done
    SCAN_EXTRA="-j $j" check_totals -- link/ t/other
    SCAN_EXTRA="-j $j" check_totals -H -- link t/d
done
# -D is -H
"$DUFLAME" -q -f folded -D link >d.folded || fail "-D: exit $?"
"$DUFLAME" -q -f folded -H link >h.folded || fail "-H: exit $?"
cmp -s d.folded h.folded || fail "-D and -H differ"
# "link/" is the directory: its files are frames below it, named as given
"$DUFLAME" -q -f folded -b link/ >s.folded || fail "exit $?"
grep -q '^link/;sub;g 70000$' s.folded || fail "link/ is not walked: $(cat s.folded)"
grep -q '^link/;inner ' s.folded || fail "link/: the inner link: $(cat s.folded)"
grep -q 'inner;h' s.folded && fail "link/: the inner link was followed"
# "link" alone is the link: one frame
"$DUFLAME" -q -f folded -b link >l.folded || fail "exit $?"
[ "$(cat l.folded)" = "link 3" ] || fail "link: not the link itself: $(cat l.folded)"
# a trailing slash on a link to a file: du's error, exit 1
rc=0
"$DUFLAME" -q -f folded flink/ >/dev/null 2>err || rc=$?
[ $rc = 1 ] || fail "flink/: exit $rc"
grep -q "cannot access 'flink/'" err || fail "flink/: $(cat err)"
echo ok
