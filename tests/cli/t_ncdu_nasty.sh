#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame -> ncdu export -> duflame is lossless on the nasty tree: every name
# (newlines, ';', invalid UTF-8, 255 bytes, paths deeper than PATH_MAX) and
# every number comes back, so the folded output is the same byte for byte;
# and the same through `ncdu -f IN -o OUT` when ncdu is there.
. "$DUFLAME_SRC/tests/cli/ncdu_lib.sh"
python3 "$DUFLAME_SRC/tests/corpus/nasty-tree.sh" n >/dev/null || fail "cannot build the nasty tree"
"$DUFLAME" -q n -o x.json 2>err
rc=$?
[ $rc -le 1 ] || fail "export exited $rc: $(cat err)"
for m in "" -b --inodes; do
    # shellcheck disable=SC2086
    sorted_folded scan.f $m n
    # shellcheck disable=SC2086
    sorted_folded imp.f $m x.json || fail "import $m exited $?: $(cat imp.f.err)"
    cmp -s scan.f imp.f || { diff scan.f imp.f | head >&2; fail "round trip differs ($m)"; }
    [ -z "$m" ] && cp imp.f disk.f
done
grep -q 'new\\x0aline' disk.f || fail "no name with a newline came back"
grep -q 'bad-utf8-\\xff\\xfe' disk.f || fail "no invalid UTF-8 name came back"
depth=$(awk -F';' '{ if (NF > d) d = NF } END { print d }' disk.f)
[ "$depth" -gt 300 ] || fail "the deepest path has $depth levels"

if command -v ncdu >/dev/null; then
    ncdu -f x.json -o y.json 2>ncdu.err </dev/null || fail "ncdu -f exited $?: $(cat ncdu.err)"
    ncdu_said ncdu.err && fail "ncdu said: $(cat ncdu.err)"
    sorted_folded back.f y.json || fail "import of ncdu's output exited $?"
    cmp -s disk.f back.f || fail "names or sizes changed through ncdu"
else
    echo "ncdu is not installed: its part is skipped"
fi
exit 0
