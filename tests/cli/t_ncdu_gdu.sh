#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A `gdu -o` export (gdu 5.x) is read as what it holds: gdu writes no size
# for directories, so the import is duflame's own scan less the
# directories' own sizes, exactly; invalid UTF-8 arrives as U+FFFD; a hard-
# linked file's first name has no inode in the file, so it counts once more.
. "$DUFLAME_SRC/tests/cli/ncdu_lib.sh"
need gdu
mkdir -p t/a/b t/c
head -c 12345 /dev/zero >t/a/one
head -c 70000 /dev/zero >t/a/b/two
printf 'x' >"t/c/$(printf 'bad-\377-name')"
ln -s a t/link
abs=$PWD/t
gdu -n -p -o g.json "$abs" >/dev/null 2>gdu.err </dev/null || fail "gdu -o exited $?: $(cat gdu.err)"
grep -q '"progname":"gdu"' g.json || fail "not a gdu export: $(head -c 100 g.json)"

# the directories' own sizes (disk, apparent)
read -r ddisk dapp < <(python3 - "$abs" <<'PY'
import os, sys
d = a = 0
for top, dirs, files in os.walk(sys.argv[1]):
    st = os.lstat(top)
    d += st.st_blocks * 512
    a += st.st_size
print(d, a)
PY
)
for m in disk apparent; do
    opt=
    sub=$ddisk
    [ $m = apparent ] && opt=-b && sub=$dapp
    "$DUFLAME" -q -f folded $opt "$abs" >scan.f || fail "scan exited $?"
    "$DUFLAME" -q -f folded $opt g.json >imp.f 2>imp.err || fail "import exited $?: $(cat imp.err)"
    [ -s imp.err ] && fail "import said: $(cat imp.err)"
    want=$(($(folded_sum scan.f) - sub))
    got=$(folded_sum imp.f)
    [ "$got" = "$want" ] || fail "$m: gdu import $got, scan less directories $want"
done
grep -q "bad-$(printf '\357\277\275')-name" imp.f || fail "U+FFFD not in the import: $(grep bad imp.f)"

# a hard link: gdu gives the inode to the second name only
ln t/a/one t/c/one-again
gdu -n -p -o g2.json "$abs" >/dev/null 2>&1 </dev/null || fail "gdu -o (links) exited $?"
"$DUFLAME" -q -f folded -b g2.json >imp2.f || fail "import (links) exited $?"
[ "$(folded_sum imp2.f)" = "$(($(folded_sum imp.f) + 12345))" ] ||
    fail "a hard-linked file in a gdu export: $(folded_sum imp2.f), want $(($(folded_sum imp.f) + 12345))"
exit 0
