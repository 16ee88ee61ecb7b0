# SPDX-License-Identifier: BSD-2-Clause
# bench/lib.sh: the helpers every bench/*.sh shares, sourced (bench/run.sh
# does not run it): where the cached inputs live, a scratch directory, one
# timed run (wall time, CPU time, peak RSS), medians and ratios, dropping the
# page cache, the load average.
#
#   bench_init          here (the checkout), dir (the cache: $DUFLAME_BENCH_DIR,
#                       default /var/tmp/duflame-bench), out (scratch, removed
#                       at exit), status=0
#   measure NAME CMD... one run of CMD (under $BENCH_PREFIX, default nice;
#                       stdin /dev/null, stdout to $out/o.NAME, stderr
#                       dropped): "WALL KIB CPU" appended to $out/NAME
#                       (seconds, peak RSS in KiB, user + system seconds)
#   measure_pipe FILE NAME CMD...  the same reading FILE on a pipe (cat FILE |)
#   secs / kb / cpu NAME   the median wall time, peak RSS, CPU time of NAME
#   best NAME           the smallest CPU time of NAME
#   runs NAME           how many runs NAME has
#   median              the median of the numbers on stdin (one a line)
#   ratio A B [DECIMALS]  A / B (0 when B is 0), default 2 decimals
#   at_most A B / at_least A B  true when A <= B / A >= B (numbers)
#   can_drop_caches     true when drop_caches may be used (root, writable)
#   drop_caches         sync, then drop the page cache, dentries and inodes
#   load_avg            the 1-minute load average, for the printed numbers
#   flamegraph_pl       the path of flamegraph.pl: $FLAMEGRAPH, else the one
#                       on PATH, else the copy Debian's libdevel-nytprof-perl
#                       ships; empty when there is none
#
# BENCH_PREFIX is a bash array: a script sets it (e.g. BENCH_PREFIX=() to run
# without nice, or (chrt -f 10)) after bench_init.

bench_init() {
    here=$(cd "$(dirname "${BASH_SOURCE[1]}")/.." && pwd)
    dir=${DUFLAME_BENCH_DIR:-/var/tmp/duflame-bench}
    out=$(mktemp -d /tmp/duflame-bench.XXXXXX)
    # shellcheck disable=SC2064
    trap "rm -rf '$out'" EXIT
    mkdir -p "$dir"
    status=0
    BENCH_PREFIX=(nice)
}

_measure() { # NAME CMD...: stdin as the caller gave it
    local name=$1
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$out/t.$name" "${BENCH_PREFIX[@]}" "$@" \
        >"$out/o.$name" 2>/dev/null
    # the last line: before it, time says a non-zero exit status
    tail -n 1 "$out/t.$name" | awk '{ print $1, $2, $3 + $4 }' >>"$out/$name"
}
measure() { _measure "$@" </dev/null; }
measure_pipe() {
    local f=$1
    shift
    cat "$f" | _measure "$@"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
secs() { cut -d' ' -f1 "$out/$1" | median; }
kb() { cut -d' ' -f2 "$out/$1" | median; }
cpu() { cut -d' ' -f3 "$out/$1" | median; }
best() { cut -d' ' -f3 "$out/$1" | sort -n | head -1; }
runs() { wc -l <"$out/$1"; }
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { printf "%.*f", d, (b ? a / b : 0) }'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

can_drop_caches() { [ "$(id -u)" = 0 ] && [ -w /proc/sys/vm/drop_caches ]; }
drop_caches() {
    sync
    echo 3 >/proc/sys/vm/drop_caches
}
load_avg() { cut -d' ' -f1 /proc/loadavg; }
flamegraph_pl() {
    local nytprof=/usr/share/perl5/Devel/NYTProf/flamegraph.pl
    if [ -n "${FLAMEGRAPH:-}" ]; then
        echo "$FLAMEGRAPH"
    elif command -v flamegraph.pl; then
        :
    elif [ -r "$nytprof" ]; then
        echo "$nytprof"
    fi
}
