#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/report.sh DUFLAME: the text report against du -s on 1,000,000 files
# (synthetic-tree.sh, built once under $DUFLAME_BENCH_DIR, default
# /var/tmp/duflame-bench, shared with bench/scan.sh).
#
#   report  median of alternating warm runs of `duflame -q TREE > /dev/null`
#           (the report, as on a pipe) and `du -s TREE`;
#           goal: duflame <= 1.1 x du + 50 ms
#   -s      the same for `duflame -q -s TREE` (du's summary line)
#
# RUNS=N changes the number of runs (default 5). BENCH_RT=1 (root) runs each
# timed command under `chrt -f 10`. Exit 1 if a goal is missed.
set -u
duflame=${1:?usage: bench/report.sh path/to/duflame}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
corpus=${DUFLAME_CORPUS:-$here/bench/corpus}
runs=${RUNS:-5}

rt=()
[ -n "${BENCH_RT:-}" ] && [ "$(id -u)" = 0 ] && command -v chrt >/dev/null && rt=(chrt -f 10)
now() { date +%s%N; }
run_ms() {
    local s e
    s=$(now)
    "${rt[@]}" "$@" >/dev/null 2>&1
    e=$(now)
    echo $(((e - s) / 1000000))
}

synth=$dir/synth-1M
if [ ! -f "$dir/synth-1M.done" ]; then
    echo "report bench: building 1,000,000 files in $synth (once, a few minutes)"
    rm -rf "$synth"
    nice python3 "$corpus/synthetic-tree.sh" "$synth" 1000000 >/dev/null && touch "$dir/synth-1M.done"
fi
du -s "$synth" >/dev/null 2>&1 # warm the cache

# compare LABEL DUFLAME-ARGS...: alternating runs against du -s
compare() {
    local label=$1 i a=() b=() ma mb
    shift
    for i in $(seq 1 "$runs"); do
        a+=("$(run_ms "$duflame" -q "$@" "$synth")")
        b+=("$(run_ms du -s "$synth")")
    done
    ma=$(printf '%s\n' "${a[@]}" | median)
    mb=$(printf '%s\n' "${b[@]}" | median)
    local limit=$((mb * 11 / 10 + 50))
    printf '%s: median of %d alternating runs (ms): duflame %s du -s %s (goal <= %s: 1.1 x du + 50)\n' \
        "$label" "$runs" "$ma" "$mb" "$limit"
    [ "$ma" -le "$limit" ] || { echo "$label: GOAL MISSED"; status=1; }
}

echo "report bench: $synth, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
compare report
compare "report -s" -s
exit $status
