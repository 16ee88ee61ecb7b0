#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame diff of two directories made here (a file grows, one shrinks, a
# directory vanishes, a new one appears): the folded columns add up to du of
# each side in every metric, every path of either side appears once, the
# AFTER column is a scan of AFTER line for line, the BEFORE column a scan of
# BEFORE; the text report ranks the paths that changed most.
set -eu
mk() { head -c "$2" /dev/urandom >"$1"; }
mkdir -p before/src before/docs/api after/src after/lib/deep/er after/empty
mk before/src/main.c 10000
mk after/src/main.c 50000
mk before/src/same.h 3000
cp before/src/same.h after/src/same.h
mk before/docs/api/index.html 20000
mk before/docs/readme 700
mk after/lib/libnew.so 123456
mk after/lib/deep/er/x 1
mk before/shrinks 90000
mk after/shrinks 100
sync

fail() { echo "FAIL: $*" >&2; exit 1; }
cols() { awk '{b += $(NF-1); a += $NF} END {print b + 0, a + 0}'; }

for m in "" --apparent-size --inodes; do
    case $m in
    "") duopt=-B1 ;;
    --apparent-size) duopt=-b ;;
    --inodes) duopt=--inodes ;;
    esac
    "$DUFLAME" diff $m -f folded before after >d.folded || fail "diff $m exit $?"
    want="$(du -s $duopt before | cut -f1) $(du -s $duopt after | cut -f1)"
    got=$(cols <d.folded)
    [ "$got" = "$want" ] || fail "diff $m: columns $got, du says $want"
    # the same numbers as a scan of each side alone
    "$DUFLAME" $m -f folded before >b.folded || fail "scan before"
    "$DUFLAME" $m -f folded after >a.folded || fail "scan after"
    sb=$(awk '{s += $NF} END {print s + 0}' b.folded)
    sa=$(awk '{s += $NF} END {print s + 0}' a.folded)
    [ "$got" = "$sb $sa" ] || fail "diff $m: columns $got, scans say $sb $sa"
    # AFTER column: exactly the scan of AFTER's lines (same first frame)
    awk '$NF != 0 {print $1, $NF}' d.folded | sort >a1
    sort a.folded >a2
    cmp a1 a2 || fail "diff $m: AFTER column differs from a scan of after"
    # BEFORE column: the scan of BEFORE with its first frame renamed
    awk '$(NF-1) != 0 {print $1, $(NF-1)}' d.folded | sort >b1
    sed 's/^before/after/' b.folded | sort >b2
    cmp b1 b2 || fail "diff $m: BEFORE column differs from a scan of before"
done

# every path of either side appears exactly once, with 0 on the missing side
"$DUFLAME" diff --apparent-size -f folded before after >d.folded
grep -qx 'after;docs;api;index.html 20000 0' d.folded || fail "vanished file missing"
grep -qx 'after;lib;libnew.so 0 123456' d.folded || fail "new file missing"
grep -qx 'after;src;main.c 10000 50000' d.folded || fail "grown file wrong"
grep -qx 'after;shrinks 90000 100' d.folded || fail "shrunk file wrong"
grep -qx 'after;src;same.h 3000 3000' d.folded || fail "unchanged file wrong"
[ "$(cut -d' ' -f1 d.folded | sort | uniq -d)" = "" ] || fail "a path appears twice"

# the text report (the default on standard output)
"$DUFLAME" diff -f text --apparent-size before after >d.txt || fail "text exit $?"
cat d.txt
tb=$(du -sb before | cut -f1)
ta=$(du -sb after | cut -f1)
[ "$(awk '/^before / {gsub(",", "", $4); print $4, $5, $6}' d.txt)" = "$tb bytes before" ] ||
    fail "before total"
[ "$(awk '/^after / {gsub(",", "", $4); print $4, $5, $6}' d.txt)" = "$ta bytes after" ] ||
    fail "after total"
pct=$(awk -v b="$tb" -v a="$ta" 'BEGIN {printf "+%.1f%%", (a - b) * 100 / b}')
grep -q "^change  +[0-9.]* KiB ($pct)\$" d.txt || fail "change line, want $pct"
# the ranking: a header, then one row a path, largest absolute change first
sed -n '/^changed most (5 of 5 paths/,$p' d.txt >rank
[ "$(wc -l <rank)" = 7 ] || fail "ranking: want a heading, a header and 5 rows"
sed -n 2p rank | grep -Eq '^ +change +before +after +% +path$' || fail "ranking header"
sed -n 3p rank | grep -Eq '^ +\+[0-9.]+ KiB +0 B +[0-9.]+ KiB +new +lib/$' || fail "lib/ not first, new"
sed -n 4p rank | grep -Eq '^ +-87\.8 KiB +87\.9 KiB +100 B +-99\.9% +shrinks$' || fail "shrinks second"
# src/ holds one change, main.c's: one row, named by the deeper path
sed -n 5p rank | grep -Eq '^ +\+39\.1 KiB +9\.8 KiB +48\.8 KiB +\+400\.0% +src/main\.c$' ||
    fail "src/main.c third"
sed -n 6p rank | grep -Eq '^ +-[0-9.]+ KiB +[0-9.]+ KiB +0 B +removed +docs/$' || fail "docs/ removed"
sed -n 7p rank | grep -Eq '^ +\+4\.0 KiB +0 B +4\.0 KiB +new +empty/$' || fail "empty/ new"
grep -q 'same.h' d.txt && fail "an unchanged file is listed"
grep -Eq ' src/$' d.txt && fail "src/ has its own row although main.c is its only change"
# --top limits the ranking
"$DUFLAME" diff -f text --apparent-size --top=1 before after >t1.txt
[ "$(grep -c '^ *[+-][0-9]' t1.txt)" = 1 ] || fail "--top=1 lists $(grep -c '^ *[+-][0-9]' t1.txt) rows"
grep -q '^changed most (1 of 5 paths' t1.txt || fail "--top=1 heading"

# -o picks the format by extension; -f overrides it
"$DUFLAME" diff -o out.folded before after
cmp out.folded <("$DUFLAME" diff -f folded before after) || fail "-o x.folded"
"$DUFLAME" diff -o out.txt before after
grep -q '^changed most' out.txt || fail "-o x.txt is not text"
"$DUFLAME" diff -f folded -o out.txt before after
grep -q '^after;src;main.c ' out.txt || fail "-f folded -o x.txt"

# the roots match whatever their names, and a side given twice is no change
"$DUFLAME" diff -f folded before before >same.folded
awk '$(NF-1) != $NF {exit 1}' same.folded || fail "a side against itself changed"
# a side that is a symbolic link to a directory is that directory
ln -s before link-to-before
"$DUFLAME" diff -f folded link-to-before after >l.folded
cmp l.folded <("$DUFLAME" diff -f folded before after) || fail "a symlinked side differs"
echo ok
