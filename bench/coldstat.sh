#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Which puts more stat requests in flight on a cold cache: threads past the
# core count, or one thread with an io_uring of statx requests (io_uring has
# no getdents, so this is the part of a scan it could speed up). Every path
# of the Linux source tree is stat'ed with the page cache dropped before each
# run (as root); medians of RUNS (default 3) runs of each way are printed.
#   bench/coldstat.sh [DUFLAME] [RUNS]   (DUFLAME is not used: bench/run.sh passes it)
# Needs root, cc and liburing's header (Debian: liburing-dev); skipped
# without them.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${2:-3}
tree=${DUFLAME_BENCH_DIR:-/var/tmp/duflame-bench}/linux
[ "$(id -u)" = 0 ] || { echo "coldstat: needs root to drop the page cache, skipped"; exit 0; }
[ -e /usr/include/liburing.h ] || { echo "coldstat: liburing-dev missing, skipped"; exit 0; }
[ -d "$tree" ] || { echo "coldstat: $tree missing (bench/scan.sh makes it), skipped"; exit 0; }
work=$(mktemp -d /tmp/duflame-coldstat.XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/coldstat" "$here/bench/coldstat.c" -luring -pthread || exit 1
find "$tree" >"$work/paths"
echo "coldstat: $(wc -l <"$work/paths") paths of $tree, cold, $runs runs each (load: $(cut -d' ' -f1-3 /proc/loadavg))"
for r in $(seq "$runs"); do
    for way in "threads 1" "threads 2" "threads 8" "threads 32" "uring 8" "uring 64" "uring 256"; do
        sync
        echo 3 >/proc/sys/vm/drop_caches
        # shellcheck disable=SC2086
        "$work/coldstat" $way <"$work/paths"
    done
done >"$work/runs"
awk '{ k = $1 " " $2; t[k] = t[k] " " $3 } END { for (k in t) print k, t[k] }' "$work/runs" |
    while read -r way n times; do
        med=$(printf '%s\n' $times | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
        printf 'coldstat: %-8s %4s  median %ss  (%s)\n' "$way" "$n" "$med" "$times"
    done | sort -k2,2 -k3,3n
