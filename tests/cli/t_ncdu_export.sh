#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame's ncdu export is what ncdu reads: `ncdu -f IN -o OUT` reads it with
# no message, and OUT holds du's totals (du -sB1, du -sb, du --inodes) with
# hard links counted once; SOURCE_DATE_EPOCH makes the bytes reproducible;
# what --exclude and -x leave out is recorded as "excluded".
. "$DUFLAME_SRC/tests/cli/ncdu_lib.sh"
need ncdu
make_tree t
want=$(du_totals t)

"$DUFLAME" -q t -o x.json 2>err || fail "duflame -o x.json exited $?: $(cat err)"
[ -s err ] && fail "duflame said: $(cat err)"
head -c 40 x.json | grep -q '^\[1,2,{"progname":"duflame"' || fail "no 1.2 header: $(head -c 80 x.json)"
got=$(ncdu_totals x.json)
[ "$got" = "$want" ] || fail "export totals '$got', du '$want'"
grep -q '"hlnkc":true' x.json || fail "no hard link in the export"

ncdu -f x.json -o out.json 2>ncdu.err </dev/null || fail "ncdu -f exited $?: $(cat ncdu.err)"
ncdu_said ncdu.err && fail "ncdu said: $(cat ncdu.err)"
got=$(ncdu_totals out.json)
[ "$got" = "$want" ] || fail "totals after ncdu -f -o '$got', du '$want'"

# --format=ncdu to standard output, and the timestamp
SOURCE_DATE_EPOCH=1700000000 "$DUFLAME" -q -f ncdu t >a.json || fail "-f ncdu exited $?"
SOURCE_DATE_EPOCH=1700000000 "$DUFLAME" -q --format=ncdu -j 1 t >b.json || fail "-j 1 exited $?"
cmp -s a.json b.json || fail "two exports of one tree differ"
grep -q '"timestamp":1700000000}' a.json || fail "SOURCE_DATE_EPOCH not used: $(head -c 80 a.json)"

# several PATHs: one top standing for them, read by ncdu with the same totals
"$DUFLAME" -q t/a t/links -o two.json || fail "two PATHs exited $?"
ncdu -f two.json -o two-out.json 2>ncdu.err </dev/null || fail "ncdu -f (two PATHs) exited $?"
set -- $(ncdu_totals two-out.json)
want2=$(du -scB1 t/a t/links | tail -1 | cut -f1)
[ "$1" = "$want2" ] || fail "two PATHs: disk $1, du $want2"
# what --exclude and -x leave out is recorded as excluded, counting nothing
"$DUFLAME" -q --exclude='big*' --exclude=fifo t -o ex.json || fail "--exclude exited $?"
grep -q '{"name":"big","excluded":"pattern"}' ex.json || fail "no excluded entry: $(cat ex.json)"
ncdu -f ex.json -o ex-out.json 2>ncdu.err </dev/null || fail "ncdu -f (excluded) exited $?"
ncdu_said ncdu.err && fail "ncdu said: $(cat ncdu.err)"
got=$(ncdu_totals ex-out.json)
want=$(du -sB1 --exclude='big*' --exclude=fifo t | cut -f1)
[ "${got%% *}" = "$want" ] || fail "--exclude: totals '$got', du $want"
if mountpoint -q /dev/shm && [ "$(stat -c %d /dev)" != "$(stat -c %d /dev/shm)" ]; then
    "$DUFLAME" -q -x -f ncdu /dev >dev.json 2>/dev/null
    grep -q '{"name":"shm","excluded":"otherfs"}' dev.json || fail "-x: /dev/shm not excluded as otherfs"
fi
exit 0
