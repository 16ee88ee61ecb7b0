#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/render.sh DUFLAME: `duflame render` against flamegraph.pl, side by side.
#
#   200k    a 200,000-line profile as stackcollapse-*.pl prints it (sorted, one
#           line per stack; bench/gen-folded.c, deterministic): median wall time
#           and CPU time (user + system) and peak RSS (/usr/bin/time %M) of
#           `duflame render F > x.svg`, and of `flamegraph.pl F > y.svg` when
#           flamegraph.pl is found (FLAMEGRAPH=path/to/flamegraph.pl, else on
#           PATH, else Debian's libdevel-nytprof-perl copy).
#           Goals: at least 30x less CPU time (both are single-threaded; CPU
#           time is what stays comparable on a shared machine, wall time is
#           printed too), peak memory at most 1/4 of flamegraph.pl's.
#   deep    200,000 sorted lines of 1 to 60 frames from 5,000 names of 5 to 30
#           characters sharing prefixes (gen-folded --deep): the same goals.
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
# is missed. Without flamegraph.pl the comparison is skipped, said so, and
# duflame's own times are printed.
set -u
duflame=${1:?usage: bench/render.sh path/to/duflame}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
dir=$dir/render
mkdir -p "$dir"
runs=${RUNS:-5}
fg_runs=${FG_RUNS:-3}
fg=$(flamegraph_pl)
row() { printf '  %-28s %8.2f s wall %8.2f s cpu %8d KiB\n' "$1" "$(secs "$2")" "$(cpu "$2")" "$(kb "$2")"; }

# inputs, made once (again when the generator changes)
gen=$dir/gen-folded
if [ ! -x "$gen" ] || [ "$here/bench/gen-folded.c" -nt "$gen" ]; then
    cc -O2 -o "$gen" "$here/bench/gen-folded.c" || exit 2
    rm -f "$dir"/*.folded
fi
make_input() { # FILE ARGS...
    local f=$1
    shift
    [ -s "$dir/$f" ] && return
    echo "render bench: generating $f (once)"
    nice "$gen" "$@" >"$dir/$f.tmp" && mv "$dir/$f.tmp" "$dir/$f"
}
make_input p200k.folded 200000
make_input deep200k.folded --deep 200000
make_input p200k-u.folded 200000 20000
[ -n "${SKIP_2M:-}" ] || make_input p2m.folded 2000000 20000

# against flamegraph.pl: SHAPE FILE
versus() {
    local shape=$1 f=$2 i
    echo "render bench: $shape: $(wc -l <"$f") lines, $(($(stat -c %s "$f") / 1048576)) MiB, $runs runs"
    for i in $(seq 1 "$runs"); do
        measure "$shape" "$duflame" render "$f"
        if [ -n "$fg" ] && [ "$i" -le "$fg_runs" ]; then
            measure "fg-$shape" perl "$fg" "$f"
        fi
    done
    row "duflame render" "$shape"
    if [ -n "$fg" ]; then
        row "flamegraph.pl" "fg-$shape"
        speed=$(ratio "$(cpu "fg-$shape")" "$(cpu "$shape")" 1)
        wall=$(ratio "$(secs "fg-$shape")" "$(secs "$shape")" 1)
        mem=$(ratio "$(kb "fg-$shape")" "$(kb "$shape")" 1)
        echo "  duflame takes 1/${speed} of the CPU time (1/${wall} of the wall time) and 1/${mem} of the memory (goals: 1/30, 1/4)"
        at_least "$speed" 30 && at_least "$mem" 4 || status=1
    else
        echo "  flamegraph.pl not found (put it on PATH or set FLAMEGRAPH=...): no comparison"
    fi
}
versus 200k "$dir/p200k.folded"
versus deep "$dir/deep200k.folded"

: >"$out/u"
for i in $(seq 1 "$runs"); do measure u "$duflame" render "$dir/p200k-u.folded"; done
row "200k unsorted, 20k stacks" u
if [ -z "${SKIP_2M:-}" ]; then
    : >"$out/m"
    for i in $(seq 1 3); do measure m "$duflame" render "$dir/p2m.folded"; done
    row "2M unsorted, 20k stacks" m
    grow=$(ratio "$(kb m)" "$(kb u)")
    echo "  peak RSS 2M / 200k lines over the same stacks: ${grow}x (goal <= 1.5x)"
    at_most "$grow" 1.5 || status=1
fi
exit $status
