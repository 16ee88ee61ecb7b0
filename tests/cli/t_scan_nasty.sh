#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The nasty tree of tests/corpus/nasty-tree.sh (names with ';', newline, tab, non-UTF-8 bytes, a
# leading space, 300 levels deeper than PATH_MAX, hard links, symlink loops, a
# 10 GiB sparse file, a fifo): every total equals du's; every folded line
# stays one line whose last field is the count; `duflame render` of the
# folded output draws the same frames as the direct SVG.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

python3 "$DUFLAME_SRC/tests/corpus/nasty-tree.sh" n >/dev/null || exit 77

for j in 1 4; do
    SCAN_EXTRA="-j $j" check_totals -- n
    # du -L itself cannot go deeper than PATH_MAX (it stats full paths there):
    # compare -L without the deep part (n/symlinks/up leads back to it)
    SCAN_EXTRA="-j $j" check_totals -L -- n/names n/dirs n/links n/sparse.img n/fifo
    SCAN_EXTRA="-j $j" check_totals -x -- n/names n/dirs n/deep
done

"$DUFLAME" -q -f folded --inodes n >f || fail "exit $?"
# one line per entry (du counts the hard-linked file once: so do we)
want=$(du_sum -s --inodes n)
[ "$(wc -l <f)" = "$want" ] || fail "folded lines $(wc -l <f), entries $want"
# every line ends in " 1"; none was split by a name
[ "$(grep -cv ' 1$' f)" = 0 ] || { grep -v ' 1$' f | head; fail "a line was split"; }
grep -qF 'n;names;semi\x3bcolon 1' f || fail "';' not escaped"
grep -qF 'n;names;new\x0aline 1' f || fail "newline not escaped"
grep -qF 'n;names;\x20leading space 1' f || fail "leading space not escaped"
grep -qF 'n;names;bad-utf8-\xff\xfe 1' f || fail "non-UTF-8 bytes not escaped"
grep -q ';bottom.bin 1$' f || fail "the bottom of the deep tree is missing"
[ "$(grep -c ';level-' f)" -ge 300 ] || fail "levels of the deep tree missing"

# the same frames through render
frames() {
    # "depth<TAB>count<TAB>name" of every frame, sorted; the scan's names
    # (as typed) spelled as in the folded text (--refold)
    python3 "$DUFLAME_SRC/tests/cli/golden/render_frames.py" "$@" | sort
}
"$DUFLAME" -q n -o direct.svg || fail "svg exit $?"
"$DUFLAME" -q -f folded n >disk.folded || fail "folded exit $?"
"$DUFLAME" render --countname=bytes disk.folded >rendered.svg || fail "render exit $?"
frames --refold direct.svg >a.txt
frames rendered.svg >b.txt
[ -s a.txt ] || fail "no frames read from the SVG"
diff a.txt b.txt >/dev/null || { diff a.txt b.txt | head -20; fail "render of the folded output differs"; }
echo ok
