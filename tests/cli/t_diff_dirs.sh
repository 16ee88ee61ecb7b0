#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame diff of two directories made here (a file grows, one shrinks, a
# directory vanishes, a new one appears): the folded columns add up to du of
# each side in every metric, every path of either side appears once, the
# AFTER column is a scan of AFTER line for line, the BEFORE column a scan of
# BEFORE; the text report names what grew and shrank most.
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
sed -n '/^grew most/,/^$/p' d.txt >grew
sed -n '/^shrank most/,$p' d.txt >shrank
head -2 grew | tail -1 | grep -q ' lib/  (only in after' || fail "lib/ not the top growth"
grep -q ' src/main.c  (9.8 KiB -> 48.8 KiB)' grew || fail "main.c not listed as grown"
head -2 shrank | tail -1 | grep -q ' shrinks  (87.9 KiB -> 100 B)' || fail "shrinks not first"
grep -q ' docs/  (only in before, [0-9.]* KiB -> 0 B)' shrank || fail "docs/ not listed as gone"
grep -q 'same.h' d.txt && fail "an unchanged file is listed"
# --top limits the lists
"$DUFLAME" diff -f text --apparent-size --top=1 before after >t1.txt
[ "$(grep -c '^  [+-]' t1.txt)" = 2 ] || fail "--top=1 lists $(grep -c '^  [+-]' t1.txt) entries"

# -o picks the format by extension; -f overrides it
"$DUFLAME" diff -o out.folded before after
cmp out.folded <("$DUFLAME" diff -f folded before after) || fail "-o x.folded"
"$DUFLAME" diff -o out.txt before after
grep -q '^grew most' out.txt || fail "-o x.txt is not text"
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
