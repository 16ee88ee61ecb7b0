#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# --exclude (repeatable) and -X/--exclude-from match like du's: the glob
# against the whole path and every part of it after a '/'.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

mkdir -p t/src/obj t/doc t/.git/objects
for f in t/src/a.c t/src/b.c t/src/obj/a.o t/src/obj/b.o t/doc/x.txt t/.git/objects/1 t/top.o; do
    head -c $((RANDOM % 9000 + 1)) /dev/urandom >"$f"
done

check_totals --exclude='*.o' -- t
check_totals --exclude=obj -- t
check_totals --exclude=src/obj --exclude=.git -- t
check_totals --exclude='t/d*' -- t
check_totals --exclude=t -- t
check_totals --exclude='*' -- t
printf '*.c\n.git\n\n' >ex.list
check_totals -X ex.list -- t
check_totals --exclude-from=ex.list --exclude=doc -- t

"$DUFLAME" -q -f folded --exclude='*.o' t >f || fail "exit $?"
grep -q '\.o ' f && fail "an excluded .o file was listed"
grep -q '^t;src;a.c ' f || fail "a.c missing"

"$DUFLAME" -q -f folded -X does-not-exist t >/dev/null 2>err && fail "a missing -X file was accepted"
grep -q "cannot read 'does-not-exist'" err || fail "message: $(cat err)"
echo ok
