#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/diff.sh DUFLAME: `duflame diff` is linear and costs little beyond
# reading its two sides.
#
#   profiles  two profiles of N lines (bench/gen-folded.c: the second is the
#             first with every third count doubled), N = 20,000 and 200,000:
#             median CPU time (user + system) of `duflame diff -f folded A B`.
#             Goal: 10x the lines cost at most 15x the CPU (the join is O(n):
#             one hash lookup per node, no per-node sorting beyond siblings).
#   tree      a generated tree of 30,000 files in 3,000 directories: median
#             CPU of `duflame diff -q -f folded T T` against `duflame -q -f
#             folded T`. Goal: at most 2.6x one scan (two scans and the join).
#
# Inputs go to $DUFLAME_BENCH_DIR/diff (default /var/tmp/duflame-bench/diff).
# RUNS=N (default 5). Everything runs under nice; CPU time is what stays
# comparable on a shared machine. Exit 1 if a goal is missed.
set -u
duflame=${1:?usage: bench/diff.sh path/to/duflame}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
dir=$dir/diff
mkdir -p "$dir"
runs=${RUNS:-5}

gen=$dir/gen-folded
if [ ! -x "$gen" ] || [ "$here/bench/gen-folded.c" -nt "$gen" ]; then
    cc -O2 -o "$gen" "$here/bench/gen-folded.c" || exit 2
    rm -f "$dir"/*.folded
fi
for n in 20000 200000; do
    [ -s "$dir/a$n.folded" ] && continue
    nice "$gen" "$n" >"$dir/a$n.folded"
    awk 'NR % 3 == 0 { $NF = $NF * 2 } { print }' "$dir/a$n.folded" >"$dir/b$n.folded"
done
for n in 20000 200000; do
    : >"$out/p$n"
    for i in $(seq 1 "$runs"); do measure "p$n" "$duflame" diff -f folded "$dir/a$n.folded" "$dir/b$n.folded"; done
    printf '  diff of two %7d-line profiles  %6.2f s cpu\n' "$n" "$(cpu "p$n")"
done
r=$(ratio "$(cpu p200000)" "$(cpu p20000)" 1)
echo "  10x the lines: ${r}x the CPU (goal <= 15x)"
at_most "$r" 15 || status=1

t=$dir/tree
if [ ! -e "$t/.done" ]; then
    rm -rf "$t"
    for d in $(seq 1 3000); do
        mkdir -p "$t/d$((d % 30))/e$d"
        for f in $(seq 1 10); do printf '%*s' $((d * f % 5000)) '' >"$t/d$((d % 30))/e$d/f$f"; done
    done
    touch "$t/.done"
fi
: >"$out/scan"
: >"$out/diff"
for i in $(seq 1 "$runs"); do
    measure scan "$duflame" -q -f folded "$t"
    measure diff "$duflame" diff -q -f folded "$t" "$t"
done
r=$(ratio "$(cpu diff)" "$(cpu scan)")
printf '  scan of 33,000 entries %6.2f s cpu; diff of the tree with itself %6.2f s cpu: %sx (goal <= 2.6x)\n' \
    "$(cpu scan)" "$(cpu diff)" "$r"
at_most "$r" 2.6 || status=1
exit $status
