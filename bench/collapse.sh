#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/collapse.sh DUFLAME: `duflame collapse perf` against
# stackcollapse-perf.pl, and drawing saved `perf script` text against
# stackcollapse-perf.pl | flamegraph.pl.
#
#   collapse   a `perf script` file of at least 200 MiB
#              (bench/corpus/perf-script.sh: a real capture repeated and
#              perturbed, about 22,000 distinct stacks): MB/s by wall time
#              and by CPU time (user + system), peak RSS, of
#              `duflame collapse perf F`, of the same reading a pipe
#              (`cat F | duflame collapse perf`), and of
#              `stackcollapse-perf.pl F` where it is on PATH (or
#              STACKCOLLAPSE_PERF=path/to/stackcollapse-perf.pl), whose
#              output must be the same bytes. Goal: 20x its throughput (CPU
#              time; both are single-threaded).
#   memory     peak RSS on 200 MiB against 50 MiB of the same stacks: it
#              follows the distinct stacks, not the input. Goal: <= 1.5x.
#   render     `duflame render F` (which collapses perf text itself) against
#              `stackcollapse-perf.pl F | flamegraph.pl` where both are
#              present (FLAMEGRAPH=path/to/flamegraph.pl). Goal: 10x (wall
#              time of the whole pipeline).
#
# Inputs are made once into $DUFLAME_BENCH_DIR/collapse (default
# /var/tmp/duflame-bench/collapse, about 260 MB). RUNS=N (default 3) duflame
# runs; the Perl runs once. Everything runs under nice. Exit 1 if a goal is
# missed.
set -u
duflame=${1:?usage: bench/collapse.sh path/to/duflame}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
dir=$dir/collapse
mkdir -p "$dir"
runs=${RUNS:-3}
sc=${STACKCOLLAPSE_PERF:-$(command -v stackcollapse-perf.pl || true)}
fg=$(flamegraph_pl)
ratio1() { ratio "$1" "$2" 1; }

mbs() { awk -v b="$size" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? b / 1048576 / s : 0) }'; }
row() {
    printf '  %-34s %7.2f s wall %7.2f s cpu %9d KiB %6s MB/s wall %6s MB/s cpu\n' "$1" \
        "$(secs "$2")" "$(cpu "$2")" "$(kb "$2")" "$(mbs "$(secs "$2")")" "$(mbs "$(cpu "$2")")"
}

make_input() { # FILE MIB
    [ -s "$dir/$1" ] && [ "$dir/$1" -nt "$here/bench/corpus/perf-script.sh" ] && return
    echo "collapse bench: generating $1 (once)"
    nice "$here/bench/corpus/perf-script.sh" "$2" "$dir/$1" || exit 2
}
make_input perf-200m.txt 200
make_input perf-50m.txt 50
f=$dir/perf-200m.txt
size=$(stat -c %s "$f")
echo "collapse bench: $f, $((size / 1048576)) MiB, $(grep -c ' cpu-clock: *$' "$f") samples, $runs runs"

for i in $(seq 1 "$runs"); do
    measure dc "$duflame" collapse perf "$f"
    measure_pipe "$f" dp "$duflame" collapse perf
done
row "duflame collapse perf FILE" dc
row "cat FILE | duflame collapse perf" dp
cmp -s "$out/o.dc" "$out/o.dp" || { echo "  the pipe gave other bytes than the file"; status=1; }
echo "  $(wc -l <"$out/o.dc") distinct stacks"

if [ -n "$sc" ]; then
    measure sc perl "$sc" "$f"
    row "stackcollapse-perf.pl FILE" sc
    if cmp -s "$out/o.dc" "$out/o.sc"; then
        echo "  same bytes as stackcollapse-perf.pl"
    else
        echo "  OUTPUT DIFFERS from stackcollapse-perf.pl's"
        status=1
    fi
    speed=$(ratio1 "$(cpu sc)" "$(cpu dc)")
    echo "  duflame collapses ${speed}x as fast by CPU time, $(ratio1 "$(secs sc)" "$(secs dc)")x by wall time (goal: 20x)"
    awk -v s="$speed" 'BEGIN { exit !(s >= 20) }' || status=1
else
    echo "  stackcollapse-perf.pl not found (put it on PATH or set STACKCOLLAPSE_PERF=...): no comparison"
fi

for i in $(seq 1 "$runs"); do measure dm "$duflame" collapse perf "$dir/perf-50m.txt"; done
grow=$(awk -v a="$(kb dc)" -v b="$(kb dm)" 'BEGIN { printf "%.2f", a / b }')
echo "  peak RSS 200 MiB / 50 MiB of the same stacks: ${grow}x (goal <= 1.5x)"
awk -v g="$grow" 'BEGIN { exit !(g <= 1.5) }' || status=1

for i in $(seq 1 "$runs"); do measure dr "$duflame" render "$f"; done
row "duflame render FILE" dr
if [ -n "$sc" ] && [ -n "$fg" ]; then
    measure pl bash -c 'perl "$1" "$3" | perl "$2"' _ "$sc" "$fg" "$f"
    row "stackcollapse-perf.pl | flamegraph.pl" pl
    speed=$(ratio1 "$(secs pl)" "$(secs dr)")
    echo "  duflame render draws saved perf text ${speed}x as fast (wall; goal: 10x)"
    awk -v s="$speed" 'BEGIN { exit !(s >= 10) }' || status=1
else
    echo "  stackcollapse-perf.pl or flamegraph.pl not found: no comparison"
fi
exit $status
