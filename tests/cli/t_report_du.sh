#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The text report says du's numbers: every row of the tree and every largest
# file has the size du gives its path (du -B1, du -b, du --inodes), rows
# stop at --max-depth as du's do, and -s and -c print what du -s and du -c
# print, byte for byte, in du's units (-h, --si, -B SIZE, -b, --inodes).
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
check=$DUFLAME_SRC/tests/cli/report_check.py

mkdir -p t/pkg/3.2/src t/pkg/3.2/doc t/empty t/many 'u v/w'
head -c 300000 /dev/urandom >t/pkg/3.2/src/big.c
head -c 5000 /dev/urandom >t/pkg/3.2/doc/guide.txt
head -c 70000 /dev/urandom >t/data.bin
truncate -s 5M t/sparse.img
for i in $(seq 1 30); do head -c $((i * 997)) /dev/urandom >"t/many/f$i"; done
head -c 12345 /dev/urandom >'u v/w/x y'

# every row of a report that shows everything, for each metric
for m in "-B1:-B1" "-b:-b" "--inodes:--inodes"; do
    opt=${m%%:*} duopt=${m#*:}
    "$DUFLAME" -q --ascii --top 1000 "$opt" t 'u v' >r.txt 2>err || fail "$opt: exit $? $(cat err)"
    du -a $duopt t 'u v' >du.txt
    python3 "$check" r.txt du.txt >shown.txt || fail "$opt: report and du differ"
    # all of du's entries are shown, but for the inner steps of folded chains
    # (t/pkg/3.2 is t/pkg's chain; u v/w too)
    [ "$(wc -l <shown.txt)" = $(($(wc -l <du.txt) - 2)) ] ||
        fail "$opt: $(wc -l <shown.txt) rows for $(wc -l <du.txt) entries of du"
    grep -qx 't/pkg' shown.txt || fail "$opt: t/pkg not shown"
    grep -q ' pkg/3\.2/$' r.txt || fail "$opt: the chain pkg/3.2/ is not one row"
    grep -q '^Largest files:$' r.txt || fail "$opt: no largest files"
    grep -q ' t/pkg/3\.2/src/big\.c$' r.txt || fail "$opt: big.c is not among the largest files"
done

# --max-depth (and -d, --depth): no row deeper, each with du's number
for d in 0 1 2; do
    for o in "--max-depth $d" "-d $d" "--depth=$d"; do
        # shellcheck disable=SC2086
        "$DUFLAME" -q --ascii -B1 --top 1000 $o t >r.txt || fail "$o: exit $?"
        du -a -B1 t >du.txt
        python3 "$check" r.txt du.txt "$d" >shown.txt || fail "$o: report and du differ"
        du -B1 --max-depth="$d" t | cut -f2 | sort >want.txt
        # what du --max-depth lists of directories is shown (as a row or a chain's top)
        sort shown.txt | grep -v -e 'data' -e 'sparse' -e '/f[0-9]*$' >got.txt
        [ "$d" = 2 ] && sed -i '/^t\/pkg\/3\.2$/d' want.txt # inside the chain t/pkg/3.2
        diff want.txt got.txt >/dev/null || fail "$o: rows $(tr '\n' ' ' <got.txt), du $(tr '\n' ' ' <want.txt)"
    done
done

# -s and -c: du's own lines
for o in "" "-h" "--si" "-b" "-B1" "-BM" "-B 1K" "-BKB" "-BKiB" "--block-size=2K" "--inodes" \
    "--apparent-size" "--apparent-size -h" "-b -h" "-h -b"; do
    # shellcheck disable=SC2086
    got=$("$DUFLAME" -q -s $o t 'u v')
    # duflame's -s is in human units unless asked otherwise; du's in 1K blocks
    case " $o " in *" -b "* | *-B* | *--block-size* | *--inodes* | *-h* | *--si*) h= ;; *) h=-h ;; esac
    # shellcheck disable=SC2086
    want=$(du -s $h $o t 'u v')
    [ "$got" = "$want" ] || fail "-s $o: '$got', du '$want'"
    # shellcheck disable=SC2086
    got=$("$DUFLAME" -q -sc $o t 'u v')
    # shellcheck disable=SC2086
    want=$(du -sc $h $o t 'u v')
    [ "$got" = "$want" ] || fail "-sc $o: '$got', du '$want'"
done

# -c in the report: a total row with the grand total
"$DUFLAME" -q --ascii -B1 -c t 'u v' >r.txt || fail "-c: exit $?"
want=$(du -sc -B1 t 'u v' | tail -1 | cut -f1)
grep -Eq "^ *$want 100\.0% #+ total$" r.txt || fail "-c: no total row of $want: $(cat r.txt)"
echo ok
