#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Either side of a diff may be a saved scan: diff old.json DIR and diff
# old.json new.json give what diff DIR DIR gives, and --fail-over gates on
# them (the CI recipe in README.md).
. "$DUFLAME_SRC/tests/cli/ncdu_lib.sh"
mkdir -p build/obj build/lib
head -c 100000 /dev/zero >build/obj/a.o
head -c 50000 /dev/zero >build/lib/lib.a
"$DUFLAME" -q build -o old.json || fail "saving the scan exited $?"
cp -a build before
head -c 300000 /dev/zero >build/obj/b.o
rm build/lib/lib.a

"$DUFLAME" diff -q -f folded before build >dirs.f || fail "diff DIR DIR exited $?"
"$DUFLAME" diff -q -f folded old.json build >saved.f 2>err || fail "diff old.json DIR exited $?: $(cat err)"
[ -s err ] && fail "diff old.json DIR said: $(cat err)"
cmp -s dirs.f saved.f || { diff dirs.f saved.f >&2; fail "diff old.json DIR differs from diff DIR DIR"; }
grep -q 'obj;b.o 0 ' saved.f || fail "the new file is not in the diff: $(cat saved.f)"

"$DUFLAME" -q build -o new.json.zst 2>/dev/null
"$DUFLAME" -q -f ncdu build | zstd -q -c >new.json.zst 2>/dev/null || "$DUFLAME" -q -f ncdu build >new.json.zst
"$DUFLAME" diff -q -f folded old.json new.json.zst >both.f || fail "diff old.json new.json exited $?"
cmp -s dirs.f both.f || { diff dirs.f both.f >&2; fail "diff of two saved scans differs"; }

"$DUFLAME" diff -q -f text old.json build >report.txt || fail "text exited $?"
grep -q 'b.o' report.txt || fail "the report does not name b.o"
"$DUFLAME" diff -q -f text --fail-over=100K old.json build >/dev/null
[ $? = 3 ] || fail "--fail-over=100K did not trip on +250K"
"$DUFLAME" diff -q -f text --fail-over=1M old.json build >/dev/null || fail "--fail-over=1M tripped"
# in a diff, .json is the ranking (a joined tree has no ncdu export)
"$DUFLAME" diff -q -o d.json old.json build || fail "-o d.json exited $?"
python3 -m json.tool d.json >/dev/null || fail "d.json is not JSON: $(cat d.json)"
grep -q '"path": ".*b.o"' d.json || fail "d.json does not name b.o"
"$DUFLAME" diff -q -f json old.json build >d2.json || fail "-f json exited $?"
cmp d.json d2.json || fail "-f json and -o d.json differ"
exit 0
