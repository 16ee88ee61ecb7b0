#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/render.sh DUFLAME: `duflame render` against flamegraph.pl, side by side.
#
#   200k    a 200,000-line profile as stackcollapse-*.pl prints it (sorted, one
#           line per stack; bench/gen-folded.c, deterministic): median wall time
#           and CPU time (user + system) and peak RSS (/usr/bin/time %M) of
#           `duflame render F > x.svg`, and of `flamegraph.pl F > y.svg` when
#           flamegraph.pl is on PATH (or FLAMEGRAPH=path/to/flamegraph.pl).
#           Goals: at least 30x less CPU time (both are single-threaded; CPU
#           time is what stays comparable on a shared machine, wall time is
#           printed too), peak memory at most 1/4 of flamegraph.pl's.
#   200k-u  200,000 unsorted lines drawn from 20,000 stacks (several runs'
#           profiles concatenated): duflame only.
#   2M      2,000,000 lines from the same 20,000 stacks: memory must follow the
#           distinct frames, not the lines. Goal: peak RSS at most 1.5x that of
#           200k-u.
#
# Inputs are generated once into $DUFLAME_BENCH_DIR/render (default
# /var/tmp/duflame-bench/render, about 1.6 GB for the 2M file). RUNS=N (default
# 5) duflame runs, FG_RUNS=N (default 3) flamegraph.pl runs, alternating.
# SKIP_2M=1 leaves the 2M part out. Everything runs under nice. Exit 1 if a goal
# is missed.
set -u
duflame=${1:?usage: bench/render.sh path/to/duflame}
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${DUFLAME_BENCH_DIR:-/var/tmp/duflame-bench}/render
runs=${RUNS:-5}
fg_runs=${FG_RUNS:-3}
fg=${FLAMEGRAPH:-$(command -v flamegraph.pl || true)}
out=$(mktemp -d /tmp/duflame-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
mkdir -p "$dir"
status=0

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b ? a / b : 0 }'; }

# one run of CMD...: appends "WALL KB CPU" (seconds, KiB, seconds) to $out/$name
measure() {
    local name=$1
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$out/t" nice "$@" >"$out/svg" 2>/dev/null
    awk '{ print $1, $2, $3 + $4 }' "$out/t" >>"$out/$name"
}
secs() { cut -d' ' -f1 "$out/$1" | median; }
kb() { cut -d' ' -f2 "$out/$1" | median; }
cpu() { cut -d' ' -f3 "$out/$1" | median; }
row() { printf '  %-28s %8.2f s wall %8.2f s cpu %8d KiB\n' "$1" "$(secs "$2")" "$(cpu "$2")" "$(kb "$2")"; }

# inputs, made once (again when the generator changes)
gen=$dir/gen-folded
if [ ! -x "$gen" ] || [ "$here/bench/gen-folded.c" -nt "$gen" ]; then
    cc -O2 -o "$gen" "$here/bench/gen-folded.c" || exit 2
    rm -f "$dir"/*.folded
fi
make_input() { # FILE LINES [POOL]
    [ -s "$dir/$1" ] && return
    echo "render bench: generating $1 (once)"
    nice "$gen" "$2" ${3:-} >"$dir/$1.tmp" && mv "$dir/$1.tmp" "$dir/$1"
}
make_input p200k.folded 200000
make_input p200k-u.folded 200000 20000
[ -n "${SKIP_2M:-}" ] || make_input p2m.folded 2000000 20000

f=$dir/p200k.folded
echo "render bench: $(wc -l <"$f") lines, $(($(stat -c %s "$f") / 1048576)) MiB, $runs runs"
: >"$out/duflame"
: >"$out/fg"
for i in $(seq 1 "$runs"); do
    measure duflame "$duflame" render "$f"
    if [ -n "$fg" ] && [ "$i" -le "$fg_runs" ]; then
        measure fg perl "$fg" "$f"
    fi
done
row "duflame render" duflame
if [ -n "$fg" ]; then
    row "flamegraph.pl" fg
    speed=$(ratio "$(cpu fg)" "$(cpu duflame)")
    wall=$(ratio "$(secs fg)" "$(secs duflame)")
    mem=$(ratio "$(kb fg)" "$(kb duflame)")
    echo "  duflame takes 1/${speed} of the CPU time (1/${wall} of the wall time) and 1/${mem} of the memory (goals: 1/30, 1/4)"
    awk -v s="$speed" -v m="$mem" 'BEGIN { exit !(s >= 30 && m >= 4) }' || status=1
else
    echo "  flamegraph.pl not found (put it on PATH or set FLAMEGRAPH=...): no comparison"
fi

: >"$out/u"
for i in $(seq 1 "$runs"); do measure u "$duflame" render "$dir/p200k-u.folded"; done
row "200k unsorted, 20k stacks" u
if [ -z "${SKIP_2M:-}" ]; then
    : >"$out/m"
    for i in $(seq 1 3); do measure m "$duflame" render "$dir/p2m.folded"; done
    row "2M unsorted, 20k stacks" m
    grow=$(awk -v a="$(kb m)" -v b="$(kb u)" 'BEGIN { printf "%.2f", a / b }')
    echo "  peak RSS 2M / 200k lines over the same stacks: ${grow}x (goal <= 1.5x)"
    awk -v g="$grow" 'BEGIN { exit !(g <= 1.5) }' || status=1
fi
exit $status
