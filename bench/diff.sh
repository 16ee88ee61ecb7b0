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
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${DUFLAME_BENCH_DIR:-/var/tmp/duflame-bench}/diff
runs=${RUNS:-5}
out=$(mktemp -d /tmp/duflame-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
mkdir -p "$dir"
status=0

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# cpu NAME CMD...: append the CPU seconds of one run to $out/NAME
cpu() {
    local name=$1
    shift
    /usr/bin/time -f "%U %S" -o "$out/t" nice "$@" >/dev/null 2>&1
    awk '{ print $1 + $2 }' "$out/t" >>"$out/$name"
}
med() { median <"$out/$1"; }

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
    for i in $(seq 1 "$runs"); do cpu "p$n" "$duflame" diff -f folded "$dir/a$n.folded" "$dir/b$n.folded"; done
    printf '  diff of two %7d-line profiles  %6.2f s cpu\n' "$n" "$(med "p$n")"
done
r=$(awk -v a="$(med p200000)" -v b="$(med p20000)" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
echo "  10x the lines: ${r}x the CPU (goal <= 15x)"
awk -v r="$r" 'BEGIN { exit !(r <= 15) }' || status=1

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
    cpu scan "$duflame" -q -f folded "$t"
    cpu diff "$duflame" diff -q -f folded "$t" "$t"
done
r=$(awk -v a="$(med diff)" -v b="$(med scan)" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
printf '  scan of 33,000 entries %6.2f s cpu; diff of the tree with itself %6.2f s cpu: %sx (goal <= 2.6x)\n' \
    "$(med scan)" "$(med diff)" "$r"
awk -v r="$r" 'BEGIN { exit !(r <= 2.6) }' || status=1
exit $status
