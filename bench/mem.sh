#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/mem.sh DUFLAME: peak memory per entry of a million-entry scan, by
# output, and of reading the same tree back from an ncdu export.
#
#   tree      1,000,000 files in 55,846 directories (synthetic-tree.sh), made
#             once in $DUFLAME_BENCH_DIR (default /var/tmp/duflame-bench)
#   measured  peak RSS (/usr/bin/time %M) of
#               scan -> svg     duflame -b TREE -o x.svg
#               scan -> folded  duflame -b TREE -f folded -o x.folded
#               scan -> html    duflame -b TREE -o x.html
#               ncdu import     duflame EXPORT -o x.svg (EXPORT: duflame -b TREE -o x.json)
#   printed   peak KiB; bytes per entry as peak / entries ("raw") and as
#             (peak - the same command on an empty directory) / entries
#             ("net", what the tree and the output cost); the median of RUNS
#             runs (default 3)
#   goal      net bytes per entry <= 44 for scan -> svg and scan -> folded
#
# The three metrics of a scan (disk, apparent, entries) are always kept.
# Exit 1 if a goal is missed.
set -u
duflame=${1:?usage: bench/mem.sh path/to/duflame}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${DUFLAME_CORPUS:-$here/bench/corpus}
dir=${DUFLAME_BENCH_DIR:-/var/tmp/duflame-bench}
runs=${RUNS:-3}
out=$(mktemp -d /tmp/duflame-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
mkdir -p "$dir" "$out/empty"
status=0

synth=$dir/synth-1M
if [ ! -f "$dir/synth-1M.done" ]; then
    echo "mem bench: building 1,000,000 files in $synth (once, a few minutes)"
    rm -rf "$synth"
    nice python3 "$corpus/synthetic-tree.sh" "$synth" 1000000 >/dev/null && touch "$dir/synth-1M.done"
fi
n=$(find "$synth" | wc -l)
"$duflame" -q -b "$synth" -o "$out/scan.json" || { echo "mem bench: export failed"; exit 1; }
"$duflame" -q -b "$out/empty" -o "$out/empty.json"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# peak ARGS...: median peak RSS in KiB of duflame ARGS
peak() {
    local i
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f %M "$duflame" -q "$@" 2>&1 >/dev/null | tail -1
    done | median
}

echo "mem: $n entries (files, directories and the top), $(uptime | sed 's/.*load/load/')"
printf '%-14s %10s %10s %8s %8s\n' case "peak KiB" "empty KiB" "raw B/e" "net B/e"
row() {
    local name=$1 goal=$2 p e
    shift 2
    local -a full=() empty=()
    local a
    for a in "$@"; do
        a=${a//@TREE@/$synth}
        full+=("${a//@IN@/$out/scan.json}")
        a=${a//$synth/$out/empty}
        empty+=("${a//@IN@/$out/empty.json}")
    done
    p=$(peak "${full[@]}")
    e=$(peak "${empty[@]}")
    awk -v name="$name" -v p="$p" -v e="$e" -v n="$n" 'BEGIN {
        printf "%-14s %10d %10d %8.1f %8.1f\n", name, p, e, p * 1024 / n, (p - e) * 1024 / n }'
    if [ "$goal" != - ] && ! awk -v p="$p" -v e="$e" -v n="$n" -v g="$goal" 'BEGIN { exit !((p - e) * 1024 / n <= g) }'; then
        echo "mem: $name: GOAL MISSED (net <= $goal bytes per entry)"
        status=1
    fi
}
row "scan -> svg" 44 -b @TREE@ -o "$out/x.svg"
row "scan -> folded" 44 -b @TREE@ -f folded -o "$out/x.folded"
row "scan -> html" - -b @TREE@ -o "$out/x.html"
row "ncdu import" - @IN@ -o "$out/y.svg"
exit $status
