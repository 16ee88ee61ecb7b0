#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame-mpi on the nasty tree (names with newlines and bad UTF-8, a tree
# deeper than PATH_MAX, hard links, symbolic link loops, a fifo, a sparse
# file): the same bytes as duflame for 1 to 4 ranks, with -x too.
. "$DUFLAME_SRC/tests/cli/mpi_lib.sh"

python3 "$DUFLAME_SRC/tests/corpus/nasty-tree.sh" n >/dev/null || exit 77
"$DUFLAME" -q -f folded n >one.folded || fail "duflame exit $?"
for n in 1 3; do
    mpi $n -j 1 -f folded n >mpi.folded 2>err || fail "-n $n: exit $?: $(cat err)"
    cmp -s one.folded mpi.folded || fail "-n $n: folded differs"
done
same_as_duflame 4 "json svg" -- n
same_as_duflame 2 "folded" -x -- n/names n/dirs n/deep
exit 0
