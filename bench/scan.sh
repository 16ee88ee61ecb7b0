#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/scan.sh DUFLAME: the disk scan against du, ncdu and gdu, side by side,
# printed as one table: for each tree and cache state, each tool's median wall
# time and CPU time (user + system), entries per second, peak RSS
# (/usr/bin/time %M) and bytes per entry (peak RSS / entries), and its time
# as a ratio of du's (medians of runs that alternate between the tools, so
# that all see the same machine load).
#
#   linux     the Linux 6.1 source tree (bench/corpus/linux-tree.sh, Debian
#             package linux-source-6.1), warm: `duflame -q TREE -o x.svg`
#             (the picture written), `du -s TREE`, `ncdu -0 -o /dev/null
#             TREE`, `gdu -n -p TREE`; then duflame -j 1, 2, 4, 8, 16, 32
#   1M        1,000,000 files (bench/corpus/synthetic-tree.sh), the same tools
#   cold      as root: `sync; echo 3 > /proc/sys/vm/drop_caches` before every
#             run, the same tools and thread counts (fewer runs)
#   3M        3,000,000 files, duflame warm against the 1M tree: linear?
#
# Goals (exit 1 when one is missed): linux warm duflame/du <= 0.6, linux cold
# duflame/du <= 0.4, 3M time / 1M time <= 3.3, bytes per entry at 1M and at
# 3M <= 44.
# Trees are made once into $DUFLAME_BENCH_DIR (default /var/tmp/duflame-bench;
# the 3M tree takes about 15 minutes and 1.5 GB). RUNS=N warm runs (default 7),
# COLD_RUNS=N (default 3 on the Linux tree, 1 on the 1M tree), SKIP_COLD=1,
# SKIP_1M=1, SKIP_3M=1, SKIP_THREADS=1 leave parts out. BENCH_RT=1 (root) runs
# each command under `chrt -f 10` so that the ratios measure the tools rather
# than the scheduler of a machine loaded by other work.
set -u
duflame=${1:?usage: bench/scan.sh path/to/duflame}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
BENCH_PREFIX=()
[ -n "${BENCH_RT:-}" ] && [ "$(id -u)" = 0 ] && command -v chrt >/dev/null && BENCH_PREFIX=(chrt -f 10)
corpus=${DUFLAME_CORPUS:-$here/bench/corpus}
runs=${RUNS:-7}
cold_runs=${COLD_RUNS:-3}
cold=1
[ -n "${SKIP_COLD:-}" ] && cold=
can_drop_caches || cold=

# entries TREE: how many entries find lists (cached beside the tree)
entries() {
    local f=$1.entries
    [ -s "$f" ] && [ "$f" -nt "$1" ] || find "$1" | wc -l >"$f"
    cat "$f"
}

# tools TREE: fills names[] and cmds[] with the four tools on TREE
declare -a names cmds
tools() {
    names=(duflame du)
    cmds=("$duflame -q $1 -o $out/x.svg" "du -s $1")
    if command -v ncdu >/dev/null; then
        names+=(ncdu)
        cmds+=("ncdu -0 -o /dev/null $1")
    fi
    if command -v gdu >/dev/null; then
        names+=(gdu)
        cmds+=("gdu -n -p $1")
    fi
}
# threads TREE: duflame at several -j and du
threads() {
    names=(du)
    cmds=("du -s $1")
    for j in 1 2 4 8 16 32; do
        names+=("duflame-j$j")
        cmds+=("$duflame -q -j$j $1 -o $out/x.svg")
    done
}

# series TAG N COLD: N rounds of every command in turn (COLD: the cache
# dropped before each), then one table row per command
series() {
    local tag=$1 n=$2 c=$3 i k
    for k in "${!names[@]}"; do : >"$out/$tag.${names[$k]}"; done
    for i in $(seq 1 "$n"); do
        for k in "${!names[@]}"; do
            [ -n "$c" ] && drop_caches
            # shellcheck disable=SC2086
            measure "$tag.${names[$k]}" ${cmds[$k]}
        done
    done
    for k in "${!names[@]}"; do row "$tag" "${names[$k]}"; done
}
row() { # TAG NAME: one line of the table
    local tag=$1 name=$2 s
    s=$(secs "$tag.$name")
    printf '%-11s %-13s %4d %8.2f %7.2f %11.0f %10d %9.1f %7s\n' "$tag" "$name" \
        "$(runs "$tag.$name")" "$s" "$(cpu "$tag.$name")" "$(awk -v n="$n_entries" -v s="$s" 'BEGIN { print (s > 0 ? n / s : 0) }')" \
        "$(kb "$tag.$name")" "$(awk -v k="$(kb "$tag.$name")" -v n="$n_entries" \
            'BEGIN { printf "%.1f", k * 1024 / n }')" "$(ratio "$s" "$(secs "$tag.du")")"
}
header() {
    printf '%-11s %-13s %4s %8s %7s %11s %10s %9s %7s\n' tree tool runs "wall s" "cpu s" "entries/s" \
        "peak KiB" "bytes/ent" "x du"
}
goal() { # TEXT VALUE OP LIMIT
    local ok
    if [ "$3" = "<=" ]; then at_most "$2" "$4" && ok=met || ok=MISSED; fi
    printf 'goal: %-44s %6s (<= %s) %s\n' "$1" "$2" "$4" "$ok"
    [ "$ok" = met ] || status=1
}

linux=$dir/linux/linux-source-6.1
if [ ! -d "$linux" ]; then
    echo "scan bench: building the Linux source tree in $dir/linux (once)"
    nice sh "$corpus/linux-tree.sh" "$dir/linux" >/dev/null || linux=
fi
synth=$dir/synth-1M
if [ -z "${SKIP_1M:-}" ] && [ ! -f "$dir/synth-1M.done" ]; then
    echo "scan bench: building 1,000,000 files in $synth (once, a few minutes)"
    rm -rf "$synth"
    nice python3 "$corpus/synthetic-tree.sh" "$synth" 1000000 >/dev/null && touch "$dir/synth-1M.done"
fi

echo "scan bench: $(nproc) cores, load $(load_avg) at the start; medians of alternating runs"
[ -n "$cold" ] || echo "scan bench: cold runs skipped (need root and /proc/sys/vm/drop_caches, or SKIP_COLD)"
header
if [ -n "$linux" ]; then
    n_entries=$(entries "$linux")
    du -s "$linux" >/dev/null 2>&1 # warm the cache
    tools "$linux"
    series linux-warm "$runs" ""
    warm_r=$(ratio "$(secs linux-warm.duflame)" "$(secs linux-warm.du)")
    if [ -z "${SKIP_THREADS:-}" ]; then
        threads "$linux"
        series linux-warm "$(((runs + 1) / 2))" ""
    fi
    if [ -n "$cold" ]; then
        tools "$linux"
        series linux-cold "$cold_runs" 1
        cold_r=$(ratio "$(secs linux-cold.duflame)" "$(secs linux-cold.du)")
        if [ -z "${SKIP_THREADS:-}" ]; then
            threads "$linux"
            series linux-cold "$cold_runs" 1
        fi
    fi
else
    echo "scan bench: no Linux source tree (install linux-source-6.1 as root): its rows are skipped"
fi
if [ -z "${SKIP_1M:-}" ] && [ -f "$dir/synth-1M.done" ]; then
    n_entries=$(entries "$synth")
    du -s "$synth" >/dev/null 2>&1
    tools "$synth"
    series 1M-warm "$(((runs + 1) / 2))" ""
    per=$(awk -v k="$(kb 1M-warm.duflame)" -v n="$n_entries" 'BEGIN { printf "%.1f", k * 1024 / n }')
    if [ -n "$cold" ]; then
        series 1M-cold "${COLD_RUNS_1M:-1}" 1
    fi
fi
synth3=$dir/synth-3M
if [ -z "${SKIP_3M:-}" ] && [ -z "${SKIP_1M:-}" ] && [ -f "$dir/synth-1M.done" ]; then
    if [ ! -f "$dir/synth-3M.done" ]; then
        echo "scan bench: building 3,000,000 files in $synth3 (once, about 15 minutes)"
        rm -rf "$synth3"
        nice python3 "$corpus/synthetic-tree.sh" "$synth3" 3000000 >/dev/null &&
            touch "$dir/synth-3M.done"
    fi
    if [ -f "$dir/synth-3M.done" ]; then
        n1=$(entries "$synth")
        n_entries=$(entries "$synth3")
        du -s "$synth3" >/dev/null 2>&1
        names=(duflame du)
        cmds=("$duflame -q $synth3 -o $out/x.svg" "du -s $synth3")
        series 3M-warm "$(((runs + 1) / 2))" ""
        # the same entries per second at three times the entries: 3x the time
        lin=$(ratio "$(secs 3M-warm.duflame)" "$(secs 1M-warm.duflame)")
        per3=$(awk -v k="$(kb 3M-warm.duflame)" -v n="$n_entries" 'BEGIN { printf "%.1f", k * 1024 / n }')
        echo "3M / 1M: $(ratio "$n_entries" "$n1") times the entries, bytes per entry $per3 against ${per:-?}"
    fi
fi
echo "scan bench: load $(load_avg) at the end"
[ -n "${warm_r:-}" ] && goal "linux warm: duflame / du" "$warm_r" "<=" 0.6
[ -n "${cold_r:-}" ] && goal "linux cold: duflame / du" "$cold_r" "<=" 0.4
[ -n "${lin:-}" ] && goal "3M time / 1M time (warm)" "$lin" "<=" 3.3
[ -n "${per:-}" ] && goal "1M: bytes per entry (peak RSS / entries)" "$per" "<=" 44
[ -n "${per3:-}" ] && goal "3M: bytes per entry (peak RSS / entries)" "$per3" "<=" 44
exit $status
