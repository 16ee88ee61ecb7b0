#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/mpi.sh DUFLAME: duflame-mpi with N = 1..4 ranks on one machine
# (loopback) against duflame, on the Linux source tree and a synthetic tree
# (LINUX_DIR, SYNTH_DIR): the time and CPU time (user + sys of every
# process; medians of RUNS, default 3), entries per second, the bytes each
# rank sends in the reduction (hard links + its part), and the peak RSS of
# rank 0 and of the largest other rank against duflame's, raw and less what
# each program costs on an empty directory (OpenMPI's libraries take some
# 8 MiB before a rank walks anything). The goal: rank 0 within 1.5x, less
# those costs (raw only on trees large enough: see docs/mpi.md). Outputs are
# compared too. duflame-mpi is $DUFLAME_MPI (default beside DUFLAME);
# skipped without it or mpirun.
set -u
duflame=${1:?usage: bench/mpi.sh path/to/duflame}
mpi=${DUFLAME_MPI:-$(dirname "$duflame")/duflame-mpi}
here=$(cd "$(dirname "$0")" && pwd)
runs=${RUNS:-3}
[ -x "$mpi" ] && command -v mpirun >/dev/null || {
    echo "mpi: skipped (duflame-mpi not built or no mpirun: apt-get install libopenmpi-dev openmpi-bin)"
    exit 0
}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
threads=${THREADS:-2}
linux=${LINUX_DIR:-/tmp/duflame-linux}
synth=${SYNTH_DIR:-/tmp/duflame-synth-mpi}
trees=()
if "$here/corpus/linux-tree.sh" "$linux" >/dev/null 2>&1; then
    trees+=("$linux/linux-source-6.1")
else
    echo "mpi: no Linux tree (bench/corpus/linux-tree.sh needs linux-source-6.1)"
fi
[ -d "$synth" ] || python3 "$here/corpus/synthetic-tree.sh" "$synth" 300000 >/dev/null
trees+=("$synth")

# what a rank costs before it walks anything (OpenMPI's libraries, and its
# shared-memory buffers, one set per peer): rank 0's peak on an empty
# directory for each N, and duflame's
mkdir -p empty.d
declare -A base_mpi
for n in 1 2 3 4; do
    DUFLAME_MPI_STATS=1 mpirun --allow-run-as-root --oversubscribe -n $n "$mpi" -q -f folded empty.d \
        2>mpi.stats >/dev/null
    base_mpi[$n]=$(grep -o 'rank=0 .*max_rss_kib=[0-9]*' mpi.stats | sed 's/.*=//')
done
/usr/bin/time -f "%M" -o one.time "$duflame" -q -f folded empty.d >/dev/null
base_one=$(cat one.time)
rmdir empty.d
echo "fixed cost (peak on an empty directory): duflame $base_one KiB, duflame-mpi rank 0" \
    "${base_mpi[1]} ${base_mpi[2]} ${base_mpi[3]} ${base_mpi[4]} KiB for N = 1..4"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
status=0
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; -j $threads in every process"
for tree in "${trees[@]}"; do
    entries=$("$duflame" -q --inodes -s "$tree" | awk '{ print $1 }')
    echo "== $tree: $entries entries"
    times=() cpus=() rsss=()
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %U %S %M" -o one.time "$duflame" -q -j "$threads" -f folded "$tree" >one.folded
        read -r e u sy m <one.time
        times+=("$e")
        cpus+=("$(echo "$u + $sy" | bc -l)")
        rsss+=("$m")
    done
    t1=$(printf '%s\n' "${times[@]}" | median)
    c1=$(printf '%s\n' "${cpus[@]}" | median)
    rss1=$(printf '%s\n' "${rsss[@]}" | median)
    printf "duflame      %6.2f s (cpu %6.2f s) %10.0f entries/s  peak RSS %7d KiB\n" "$t1" "$c1" \
        "$(echo "$entries / $t1" | bc -l)" "$rss1"
    for n in 1 2 3 4; do
        times=() cpus=()
        for _ in $(seq "$runs"); do
            # the CPU time of mpirun's children: every rank
            DUFLAME_MPI_STATS=1 /usr/bin/time -f "%e %U %S" -o mpi.time \
                mpirun --allow-run-as-root --oversubscribe -n $n \
                "$mpi" -q -j "$threads" -f folded "$tree" >mpi.folded 2>mpi.stats
            read -r e u sy <mpi.time
            times+=("$e")
            cpus+=("$(echo "$u + $sy" | bc -l)")
        done
        cmp -s one.folded mpi.folded || { echo "mpi: -n $n: output differs from duflame's"; status=1; }
        t=$(printf '%s\n' "${times[@]}" | median)
        c=$(printf '%s\n' "${cpus[@]}" | median)
        rss0=$(grep -o 'rank=0 .*max_rss_kib=[0-9]*' mpi.stats | sed 's/.*=//')
        rssn=$(grep -v 'rank=0 ' mpi.stats | grep -o 'max_rss_kib=[0-9]*' | sed 's/.*=//' | sort -n | tail -1)
        sent=$(grep -o 'rank=[0-9]* .*' mpi.stats | sort -t= -k2 -n |
            awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                   printf "%s%s:%s/%s", sep, v["rank"], v["entries"], v["link_bytes"] + v["tree_bytes"]; sep = " " }')
        ratio=$(echo "$rss0 / $rss1" | bc -l)
        # the tree's share: each peak less its program's fixed cost
        net=$(echo "($rss0 - ${base_mpi[$n]}) / ($rss1 - $base_one)" | bc -l)
        printf "mpi -n %d     %6.2f s (cpu %6.2f s) %10.0f entries/s  rank 0 RSS %7d KiB (%.2fx; %.2fx less fixed costs), other ranks max %s KiB\n" \
            "$n" "$t" "$c" "$(echo "$entries / $t" | bc -l)" "$rss0" "$ratio" "$net" "${rssn:--}"
        echo "             per rank entries/bytes sent: $sent"
        if [ "$(echo "$net > 1.5" | bc -l)" = 1 ]; then
            echo "mpi: -n $n: rank 0's peak RSS, less fixed costs, is over 1.5x duflame's"
            status=1
        fi
    done
done
rm -f one.folded mpi.folded one.time mpi.time mpi.stats
exit $status
