#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame-mpi with 1 to 4 ranks writes what duflame writes, byte for byte
# (folded stacks, ncdu JSON with SOURCE_DATE_EPOCH, SVG, page, text), on a
# generated tree of 100k entries with hard links whose names lie in
# different top directories (so in different ranks' parts), with -b,
# --inodes, -l, --exclude and several PATHs, one inside another.
. "$DUFLAME_SRC/tests/cli/mpi_lib.sh"

d=$(scratch)
trap 'rm -rf "$d"' EXIT
python3 "$DUFLAME_SRC/tests/cli/mpi_gen.py" "$d/t" 100000 >/dev/null || fail "generator"

"$DUFLAME" -q -f folded "$d/t" >one.folded || fail "duflame exit $?"
spread=0
for n in 1 2 4; do
    # one thread a rank: rank 0 alone is slow enough that the others get work
    DUFLAME_MPI_STATS=1 mpi $n -j 1 -f folded "$d/t" >mpi.folded 2>err ||
        fail "-n $n: exit $?: $(cat err)"
    cmp -s one.folded mpi.folded || fail "-n $n: folded differs"
    # a rank other than 0 met names of hard-linked files
    grep -qE "rank=[1-9][0-9]* .*link_bytes=[1-9]" err && spread=1
done
[ $spread = 1 ] || echo "note: no rank but 0 met a hard link this time (a loaded machine?)"
same_as_duflame 3 "json" --inodes -- "$d/t"
same_as_duflame 4 "svg" -- "$d/t"
same_as_duflame 2 "html" -b -l --exclude='*.png' --exclude='deep3?' -- "$d/t"
same_as_duflame 4 "txt json" -- "$d/t/top001" "$d/t" "$d/t/links"
exit 0
