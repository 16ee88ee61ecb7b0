#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/scan.sh DUFLAME: the disk scan against du, gdu and ncdu, side by side.
#
#   warm cache  the Linux 6.1 source tree: median of alternating runs of
#               `duflame TREE -o x.svg`, `du -s TREE`, `gdu -n TREE`,
#               `ncdu -o /dev/null TREE`; goal: duflame <= 0.75 x du
#   threads     the same for -j 1, 2, 4, 8, 16 (how the default was chosen)
#   cold cache  as root only: `sync; echo 3 > /proc/sys/vm/drop_caches` before
#               each run; goal: duflame <= 0.6 x du
#   memory      1,000,000 files (synthetic-tree.sh): peak RSS (/usr/bin/time %M)
#               of `duflame TREE -o x.svg` minus that of an empty scan, divided
#               by the entries scanned (du --inodes); goal: < 100 bytes per entry
#
# The trees are built once and kept under $DUFLAME_BENCH_DIR (default
# /var/tmp/duflame-bench): building the Linux tree needs the Debian package
# linux-source-6.1 (installed as root), the synthetic tree a few minutes.
# RUNS=N changes the number of warm runs (default 9), COLD_RUNS (default 3).
# SKIP_MEMORY=1 / SKIP_COLD=1 leave those parts out. BENCH_RT=1 (root) runs each
# timed command under `chrt -f 10`, so that on a machine loaded by other work
# the ratios measure the tools rather than the scheduler (each run is short).
# Exit 1 if a goal is missed.
set -u
duflame=${1:?usage: bench/scan.sh path/to/duflame}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${DUFLAME_CORPUS:-$here/bench/corpus}
dir=${DUFLAME_BENCH_DIR:-/var/tmp/duflame-bench}
runs=${RUNS:-9}
cold_runs=${COLD_RUNS:-3}
out=$(mktemp -d /tmp/duflame-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
mkdir -p "$dir"
status=0

now() { date +%s%N; }
# run_ms CMD...: wall milliseconds of one run, output thrown away
rt=()
[ -n "${BENCH_RT:-}" ] && [ "$(id -u)" = 0 ] && command -v chrt >/dev/null && rt=(chrt -f 10)
run_ms() {
    local s e
    s=$(now)
    "${rt[@]}" "$@" >/dev/null 2>&1
    e=$(now)
    echo $(((e - s) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }

linux=$dir/linux/linux-source-6.1
if [ ! -d "$linux" ]; then
    echo "scan bench: building the Linux source tree in $dir/linux (once)"
    nice sh "$corpus/linux-tree.sh" "$dir/linux" >/dev/null || linux=
fi

# compare NAME CMD... (alternating): fills $out/NAME.ms
declare -a names cmds
bench_alternating() {
    local n=$1 i k
    shift
    for k in "${!names[@]}"; do : >"$out/${names[$k]}.ms"; done
    for i in $(seq 1 "$n"); do
        for k in "${!names[@]}"; do
            [ -n "${COLD:-}" ] && { sync; echo 3 >/proc/sys/vm/drop_caches; }
            # shellcheck disable=SC2086
            run_ms ${cmds[$k]} >>"$out/${names[$k]}.ms"
        done
    done
}

if [ -n "$linux" ]; then
    entries=$(find "$linux" | wc -l)
    echo "scan bench: $linux ($entries entries), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
    du -s "$linux" >/dev/null 2>&1 # warm the cache
    names=(duflame du gdu ncdu)
    cmds=("$duflame -q $linux -o $out/x.svg" "du -s $linux" "gdu -n -p $linux" "ncdu -q -o /dev/null $linux")
    command -v gdu >/dev/null || unset 'names[2]' 'cmds[2]'
    command -v ncdu >/dev/null || unset 'names[3]' 'cmds[3]'
    bench_alternating "$runs"
    declare -A med
    for k in "${!names[@]}"; do med[${names[$k]}]=$(median <"$out/${names[$k]}.ms"); done
    r=$(ratio "${med[duflame]}" "${med[du]}")
    printf 'warm: median of %d alternating runs (ms):' "$runs"
    for k in "${!names[@]}"; do printf ' %s %s' "${names[$k]}" "${med[${names[$k]}]}"; done
    printf '\nwarm: duflame/du = %s (goal <= 0.75)\n' "$r"
    awk -v r="$r" 'BEGIN { exit !(r <= 0.75) }' || { echo "warm: GOAL MISSED"; status=1; }

    names=(j1 j2 j4 j8 j16 du)
    cmds=("$duflame -q -j1 $linux -o $out/x.svg" "$duflame -q -j2 $linux -o $out/x.svg"
        "$duflame -q -j4 $linux -o $out/x.svg" "$duflame -q -j8 $linux -o $out/x.svg"
        "$duflame -q -j16 $linux -o $out/x.svg" "du -s $linux")
    bench_alternating "$(((runs + 1) / 2))"
    printf 'warm threads (median ms):'
    for k in "${!names[@]}"; do printf ' %s %s' "${names[$k]}" "$(median <"$out/${names[$k]}.ms")"; done
    echo

    if [ -z "${SKIP_COLD:-}" ] && [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/drop_caches ]; then
        names=(duflame du j2 j16)
        cmds=("$duflame -q $linux -o $out/x.svg" "du -s $linux"
            "$duflame -q -j2 $linux -o $out/x.svg" "$duflame -q -j16 $linux -o $out/x.svg")
        COLD=1 bench_alternating "$cold_runs"
        cd_=$(median <"$out/duflame.ms")
        cu=$(median <"$out/du.ms")
        r=$(ratio "$cd_" "$cu")
        printf 'cold: median of %d runs (ms): duflame %s du %s duflame-j2 %s duflame-j16 %s\n' \
            "$cold_runs" "$cd_" "$cu" "$(median <"$out/j2.ms")" "$(median <"$out/j16.ms")"
        printf 'cold: duflame/du = %s (goal <= 0.6)\n' "$r"
        awk -v r="$r" 'BEGIN { exit !(r <= 0.6) }' || { echo "cold: GOAL MISSED"; status=1; }
    else
        echo "cold: skipped (needs root and /proc/sys/vm/drop_caches)"
    fi
else
    echo "scan bench: no Linux source tree (install linux-source-6.1 as root); warm/cold skipped"
fi

if [ -z "${SKIP_MEMORY:-}" ]; then
    synth=$dir/synth-1M
    if [ ! -f "$dir/synth-1M.done" ]; then
        echo "scan bench: building 1,000,000 files in $synth (once, a few minutes)"
        rm -rf "$synth"
        nice python3 "$corpus/synthetic-tree.sh" "$synth" 1000000 >/dev/null && touch "$dir/synth-1M.done"
    fi
    mkdir -p "$out/empty"
    base=$(/usr/bin/time -f %M "$duflame" -q "$out/empty" -o "$out/e.svg" 2>&1 >/dev/null | tail -1)
    peak=$(/usr/bin/time -f %M "$duflame" -q "$synth" -o "$out/s.svg" 2>&1 >/dev/null | tail -1)
    n=$(du -s --inodes "$synth" | cut -f1)
    per=$(awk -v p="$peak" -v b="$base" -v n="$n" 'BEGIN { printf "%.1f", (p - b) * 1024 / n }')
    echo "memory: $n entries: peak RSS ${peak} KiB, empty scan ${base} KiB: $per bytes per entry (goal < 100)"
    awk -v r="$per" 'BEGIN { exit !(r < 100) }' || { echo "memory: GOAL MISSED"; status=1; }
fi
exit $status
