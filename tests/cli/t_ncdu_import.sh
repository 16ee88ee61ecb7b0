#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# An `ncdu -o` export read by duflame draws what duflame's own scan of the
# same tree draws: the same folded lines (disk, apparent, entries), hard
# links counted once on the same name; also compressed (gzip, zstd) and on
# standard input (a pipe and a file).
. "$DUFLAME_SRC/tests/cli/ncdu_lib.sh"
need ncdu
make_tree t
abs=$PWD/t
ncdu -o n.json "$abs" 2>/dev/null </dev/null || fail "ncdu -o exited $?"
for m in "" -b --inodes; do
    # shellcheck disable=SC2086
    sorted_folded scan.f $m "$abs" || fail "scan $m exited $?"
    # shellcheck disable=SC2086
    sorted_folded imp.f $m n.json || fail "import $m exited $?: $(cat imp.f.err)"
    [ -s imp.f.err ] && fail "import $m said: $(cat imp.f.err)"
    cmp -s scan.f imp.f || { diff scan.f imp.f >&2; fail "import of ncdu -o differs from a scan ($m)"; }
done
[ "$(folded_sum imp.f)" = "$(du -s --inodes t | cut -f1)" ] || fail "entries differ from du"

sorted_folded plain.f n.json
gzip -c n.json >n.json.gz
zstd -q -c n.json >n.json.zst 2>/dev/null || cp n.json.gz n.json.zst
sorted_folded gz.f n.json.gz || fail ".gz exited $?"
cmp -s plain.f gz.f || fail "the .gz import differs"
sorted_folded zst.f n.json.zst || fail ".zst exited $?"
cmp -s plain.f zst.f || fail "the .zst import differs"
sorted_folded pipe.f - <n.json.gz || fail "- (a file) exited $?"
cmp -s plain.f pipe.f || fail "the import from standard input (a file) differs"
cat n.json | { "$DUFLAME" -q -f folded - >pipe2.u 2>pipe2.err; echo $? >pipe2.rc; }
[ "$(cat pipe2.rc)" = 0 ] || fail "- (a pipe) exited $(cat pipe2.rc): $(cat pipe2.err)"
LC_ALL=C sort pipe2.u >pipe2.f
cmp -s plain.f pipe2.f || fail "the import from a pipe differs"

# an SVG and a text report of the export
"$DUFLAME" n.json -o n.svg || fail "svg exited $?"
grep -q '<svg' n.svg || fail "no svg"
"$DUFLAME" n.json -f text >n.txt || fail "text exited $?"
grep -q "$abs" n.txt || fail "the report does not name the scanned directory"
exit 0
