#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Archive reading speed: duflame on linux-source-6.1.tar.xz (138 MB, Debian
# package linux-source-6.1) next to `bsdtar -tvf` on the same file. Runs
# alternate (duflame, bsdtar, duflame, ...) so that both see the same machine
# load; the medians of wall time and of user+system CPU time are compared.
# Goal: duflame / bsdtar <= 1.05.
# Stored bytes (--metric=stored) are timed too, and checked first: the
# archive's entries and its overhead add up to its file size. With BASE set
# to another duflame binary (say, one built from main), it runs alongside and
# the cost of stored bytes is the ratio --metric=stored / BASE (goal <= 1.1).
#   bench/archive.sh [DUFLAME] [RUNS]      (default build/duflame, 5 runs each)
# Environment: ARCHIVE=path to use another archive; BASE=duflame to compare.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
duflame=${1:-$here/build/duflame}
runs=${2:-5}
archive=${ARCHIVE:-/usr/src/linux-source-6.1.tar.xz}
if [ ! -r "$archive" ]; then
    echo "archive: $archive is missing; as root: apt-get install -y linux-source-6.1" >&2
    if [ "$(id -u)" = 0 ] && [ -z "${ARCHIVE:-}" ]; then
        apt-get install -y linux-source-6.1 >/dev/null 2>&1 || true
    fi
    [ -r "$archive" ] || { echo "archive: skipped"; exit 0; }
fi
command -v bsdtar >/dev/null || { echo "archive: bsdtar missing (libarchive-tools), skipped"; exit 0; }
[ -x "$duflame" ] || { echo "archive: $duflame is not built" >&2; exit 2; }

# the numbers must be right before their speed matters: the folded total is
# the sum of the sizes of the regular files that bsdtar lists
want=$(bsdtar -tvf "$archive" | awk '$1 ~ /^-/ { s += $5 } END { printf "%d\n", s }')
got=$("$duflame" "$archive" -f folded | awk '{ s += $NF } END { printf "%d\n", s }')
if [ "$want" != "$got" ]; then
    echo "archive: duflame's total $got differs from bsdtar's $want" >&2
    exit 1
fi

size=$(stat -c %s "$archive")
stored=$("$duflame" --metric=stored "$archive" -f folded | awk '{ s += $NF } END { printf "%d\n", s }')
if [ "$stored" != "$size" ]; then
    echo "archive: stored bytes add up to $stored, the file has $size" >&2
    exit 1
fi
base=${BASE:-}

# one timed run: prints "wall cpu" in seconds
timed() {
    /usr/bin/time -o /tmp/duflame-bench-time.$$ -f '%e %U %S' "$@" >/dev/null 2>&1
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' /tmp/duflame-bench-time.$$
    rm -f /tmp/duflame-bench-time.$$
}
median() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m }'; }

: > /tmp/duflame-bench-arc.$$
for i in $(seq "$runs"); do
    echo "duflame $(timed nice "$duflame" "$archive" -f folded -o /dev/null)" >> /tmp/duflame-bench-arc.$$
    echo "bsdtar $(timed nice bsdtar -tvf "$archive")" >> /tmp/duflame-bench-arc.$$
    echo "stored $(timed nice "$duflame" --metric=stored "$archive" -f folded -o /dev/null)" >> /tmp/duflame-bench-arc.$$
    [ -n "$base" ] && echo "base $(timed nice "$base" "$archive" -f folded -o /dev/null)" >> /tmp/duflame-bench-arc.$$
done
sw=$(awk '$1 == "stored" { print $2 }' /tmp/duflame-bench-arc.$$ | median)
sc=$(awk '$1 == "stored" { print $3 }' /tmp/duflame-bench-arc.$$ | median)
if [ -n "$base" ]; then
    xw=$(awk '$1 == "base" { print $2 }' /tmp/duflame-bench-arc.$$ | median)
    xc=$(awk '$1 == "base" { print $3 }' /tmp/duflame-bench-arc.$$ | median)
fi
dw=$(awk '$1 == "duflame" { print $2 }' /tmp/duflame-bench-arc.$$ | median)
dc=$(awk '$1 == "duflame" { print $3 }' /tmp/duflame-bench-arc.$$ | median)
bw=$(awk '$1 == "bsdtar" { print $2 }' /tmp/duflame-bench-arc.$$ | median)
bc=$(awk '$1 == "bsdtar" { print $3 }' /tmp/duflame-bench-arc.$$ | median)
rm -f /tmp/duflame-bench-arc.$$
rw=$(awk -v a="$dw" -v b="$bw" 'BEGIN { printf "%.3f", a / b }')
rc=$(awk -v a="$dc" -v b="$bc" 'BEGIN { printf "%.3f", a / b }')
echo "archive: $(basename "$archive"), $runs alternating runs each, medians"
echo "archive:   duflame -f folded  wall ${dw}s  cpu ${dc}s"
echo "archive:   bsdtar -tvf        wall ${bw}s  cpu ${bc}s"
echo "archive:   ratio duflame/bsdtar  wall $rw  cpu $rc  (goal <= 1.05)"
echo "archive:   duflame --metric=stored  wall ${sw}s  cpu ${sc}s  (stored bytes add up to the file's $size)"
echo "archive:   ratio stored/bsdtar  wall $(awk -v a="$sw" -v b="$bw" 'BEGIN { printf "%.3f", a / b }')"
if [ -n "$base" ]; then
    echo "archive:   BASE -f folded     wall ${xw}s  cpu ${xc}s"
    sr=$(awk -v a="$sw" -v b="$xw" 'BEGIN { printf "%.3f", a / b }')
    echo "archive:   ratio stored/BASE  wall $sr  cpu $(awk -v a="$sc" -v b="$xc" 'BEGIN { printf "%.3f", a / b }')  (goal <= 1.1)"
    awk -v r="$sr" 'BEGIN { exit !(r <= 1.1) }' || echo "archive: GOAL MISSED (stored/BASE wall ratio $sr > 1.1)"
fi
awk -v r="$rw" 'BEGIN { exit !(r <= 1.05) }' || echo "archive: GOAL MISSED (wall ratio $rw > 1.05)"
exit 0
