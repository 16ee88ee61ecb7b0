#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# --top N rows of the tree (the largest, as a connected tree), -t SIZE /
# --threshold / --min-size leave out what is smaller, chains of single
# directories are one row with the size of their top, and bad values are
# refused with a message.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

mkdir -p t/fpcsrc/3.2.2/packages/a t/fpcsrc/3.2.2/packages/b t/small
head -c 200000 /dev/urandom >t/fpcsrc/3.2.2/packages/a/big
head -c 100000 /dev/urandom >t/fpcsrc/3.2.2/packages/b/mid
for i in 1 2 3 4 5; do head -c $((i * 100)) /dev/urandom >"t/small/s$i"; done

rows() { sed -n '2,/^$/p' "$1" | grep -c '% '; }

"$DUFLAME" -q --ascii -B1 --top 3 t >r.txt || fail "--top 3: exit $?"
[ "$(rows r.txt)" = 3 ] || fail "--top 3: $(rows r.txt) rows: $(cat r.txt)"
want=$(du -sB1 t/fpcsrc | cut -f1)
grep -Eq "^ *$want +[0-9.]+% [#.]+ +fpcsrc/3\.2\.2/packages/$" r.txt ||
    fail "the chain is not one row with fpcsrc's size $want: $(cat r.txt)"
grep -q ' a/$' r.txt || fail "--top 3: the largest below the chain is not shown"
sed -n '2,/^$/p' r.txt | grep -q 'small' && fail "--top 3: small/ shown before larger entries"

for o in "-t 50K" "--threshold=50K" "--min-size 50K" "-t 51200"; do
    # shellcheck disable=SC2086
    "$DUFLAME" -q --ascii $o t >r.txt || fail "$o: exit $?"
    grep -q 'small\|/s[0-9]' r.txt && fail "$o: entries below 50K shown"
    grep -q ' b/$' r.txt || fail "$o: b/ (100K) not shown"
done

for bad in "--top -1" "--top x" "-d -1" "--max-depth=x" "-t 1.2.3" "-B 0" "-B 1.5K" "-t -5K"; do
    # shellcheck disable=SC2086
    "$DUFLAME" -q $bad t >out 2>err
    [ $? = 2 ] || fail "$bad: not refused"
    grep -q "^duflame: invalid --" err || fail "$bad: message $(cat err)"
    [ -s out ] && fail "$bad: output written"
done
echo ok
