#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# An ncdu export beside other PATHs is one more top-level node: a saved scan
# and a directory, and a saved scan of several PATHs, draw what the scans
# would; a PATH that is an export broken before its top directory is said
# and exits 2 when it is all there is.
. "$DUFLAME_SRC/tests/cli/ncdu_lib.sh"
mkdir -p a/x b
head -c 5000 /dev/zero >a/x/f
head -c 7000 /dev/zero >b/g
"$DUFLAME" -q a -o a.json || fail "export exited $?"
sorted_folded both.f a b || fail "scan a b exited $?"
sorted_folded mixed.f a.json b || fail "a.json b exited $?: $(cat mixed.f.err)"
cmp -s both.f mixed.f || { diff both.f mixed.f >&2; fail "a.json b differs from a b"; }

"$DUFLAME" -q a b -o ab.json || fail "export of two PATHs exited $?"
grep -q '"name":"all","paths":true' ab.json || fail "no top standing for several PATHs"
sorted_folded ab.f ab.json || fail "ab.json exited $?"
cmp -s both.f ab.f || { diff both.f ab.f >&2; fail "the export of a b differs from a b"; }

printf '[1,2,{},{"name":"x"}]' >broken.json
"$DUFLAME" -q -f folded broken.json >out 2>err
[ $? = 2 ] || fail "a broken export alone did not exit 2"
grep -q "^duflame: 'broken.json': byte 8: " err || fail "message: $(cat err)"
"$DUFLAME" -q -f folded broken.json b >out 2>err
[ $? = 1 ] || fail "a broken export beside a directory did not exit 1"
grep -q '^b;g ' out || fail "the directory beside a broken export is not drawn"
exit 0
