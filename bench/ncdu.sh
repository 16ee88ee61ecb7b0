#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/ncdu.sh DUFLAME: reading an ncdu export against ncdu reading it.
#
#   A 1,000,000-entry export (bench/corpus/ncdu-export.py, deterministic: the
#   shape of synthetic-tree.sh, 62,500 directories up to 12 deep, a hard link
#   now and then) is read by `duflame EXPORT -o /dev/null --format=folded`
#   and by `ncdu -f EXPORT -o /dev/null` (ncdu 1.x: read and written back,
#   streaming). Printed: median wall time, median and best CPU time (user +
#   system) and peak RSS (/usr/bin/time %M), and duflame's peak RSS per
#   entry. Goals: best CPU time at most 1.5x ncdu's (CPU time is what stays
#   comparable on a machine shared with other work, and the best of several
#   runs what is left of it when others' work gets in the way: the system
#   time of faulting in fresh memory varies several-fold there; wall time is
#   printed too), at most 100 bytes of peak RSS per entry. Also timed, not
#   judged: the same export gzipped.
#
# The export is made once into $DUFLAME_BENCH_DIR/ncdu (default
# /var/tmp/duflame-bench/ncdu, about 50 MB; ENTRIES=N for another size).
# RUNS=N (default 5). Everything runs under nice. Exit 1 if a goal is missed.
set -u
duflame=${1:?usage: bench/ncdu.sh path/to/duflame}
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
dir=$dir/ncdu
mkdir -p "$dir"
runs=${RUNS:-5}
entries=${ENTRIES:-1000000}

row() {
    printf '  %-36s %6.2f s wall %6.2f s cpu (best %.2f) %8d KiB\n' "$1" "$(secs "$2")" \
        "$(cpu "$2")" "$(best "$2")" "$(kb "$2")"
}

f=$dir/export-$entries.json
gen=$here/bench/corpus/ncdu-export.py
if [ ! -s "$f" ] || [ "$gen" -nt "$f" ]; then
    echo "ncdu bench: generating $f (once)"
    nice python3 "$gen" "$entries" >"$f.tmp" && mv "$f.tmp" "$f" || exit 2
fi
[ -s "$f.gz" ] && [ "$f.gz" -nt "$f" ] || gzip -c "$f" >"$f.gz"

ncdu=$(command -v ncdu || true)
echo "ncdu bench: $entries entries, $(($(stat -c %s "$f") / 1048576)) MiB, $runs runs"
: >"$out/duflame"
: >"$out/gz"
: >"$out/ncdu"
for i in $(seq 1 "$runs"); do
    measure duflame "$duflame" "$f" -o /dev/null --format=folded
    measure gz "$duflame" "$f.gz" -o /dev/null --format=folded
    [ -n "$ncdu" ] && measure ncdu "$ncdu" -f "$f" -o /dev/null
done
row "duflame EXPORT --format=folded" duflame
row "duflame EXPORT.gz --format=folded" gz
per=$(awk -v k="$(kb duflame)" -v n="$entries" 'BEGIN { printf "%.1f", k * 1024 / n }')
echo "  duflame peak RSS per entry: $per bytes (goal <= 100)"
at_most "$per" 100 || { echo "  MISSED: memory per entry"; status=1; }
if [ -n "$ncdu" ]; then
    row "ncdu -f EXPORT -o /dev/null" ncdu
    r=$(ratio "$(best duflame)" "$(best ncdu)")
    m=$(ratio "$(cpu duflame)" "$(cpu ncdu)")
    w=$(ratio "$(secs duflame)" "$(secs ncdu)")
    echo "  duflame / ncdu: ${r}x best CPU time (${m}x median), ${w}x wall time (goal: best CPU <= 1.5x)"
    at_most "$r" 1.5 || { echo "  MISSED: time against ncdu"; status=1; }
else
    echo "  ncdu is not installed: the comparison is skipped"
fi
exit $status
