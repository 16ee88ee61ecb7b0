#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Archive reading speed: duflame on linux-source-6.1.tar.xz (138 MB, Debian
# package linux-source-6.1) next to `bsdtar -tvf` on the same file. Runs
# alternate (duflame, bsdtar, duflame, ...) so that both see the same machine
# load; the medians of wall time and of user+system CPU time are compared.
# Goals (exit 1 when one is missed): duflame / bsdtar <= 0.6 (the xz blocks
# are decoded in parallel; bsdtar decodes on one thread), and stored bytes
# (--metric=stored) at most 1.1x the plain read of the same binary. Stored
# bytes are checked first: the archive's entries and its overhead add up to
# its file size. With BASE set to another duflame binary (say, one built from
# main), it runs alongside and --metric=stored / BASE is printed too.
#   bench/archive.sh [DUFLAME] [RUNS]      (default build/duflame, 5 runs each)
# Environment: ARCHIVE=path to use another archive; BASE=duflame to compare.
set -u
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
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

for i in $(seq "$runs"); do
    measure duflame "$duflame" "$archive" -f folded -o /dev/null
    measure bsdtar bsdtar -tvf "$archive"
    measure stored "$duflame" --metric=stored "$archive" -f folded -o /dev/null
    [ -n "$base" ] && measure base "$base" "$archive" -f folded -o /dev/null
done
dw=$(secs duflame)
dc=$(cpu duflame)
bw=$(secs bsdtar)
bc=$(cpu bsdtar)
sw=$(secs stored)
sc=$(cpu stored)
rw=$(ratio "$dw" "$bw" 3)
rc=$(ratio "$dc" "$bc" 3)
echo "archive: $(basename "$archive"), $runs alternating runs each, medians"
echo "archive:   duflame -f folded  wall ${dw}s  cpu ${dc}s"
echo "archive:   bsdtar -tvf        wall ${bw}s  cpu ${bc}s"
echo "archive:   ratio duflame/bsdtar  wall $rw  cpu $rc  (goal <= 0.6)"
echo "archive:   duflame --metric=stored  wall ${sw}s  cpu ${sc}s  (stored bytes add up to the file's $size)"
echo "archive:   ratio stored/bsdtar  wall $(ratio "$sw" "$bw" 3)"
pw=$(ratio "$sw" "$dw" 3)
echo "archive:   ratio stored/plain  wall $pw  cpu $(ratio "$sc" "$dc" 3)  (goal <= 1.1)"
if [ -n "$base" ]; then
    xw=$(secs base)
    xc=$(cpu base)
    echo "archive:   BASE -f folded     wall ${xw}s  cpu ${xc}s"
    sr=$(ratio "$sw" "$xw" 3)
    echo "archive:   ratio stored/BASE  wall $sr  cpu $(ratio "$sc" "$xc" 3)"
fi
status=0
at_most "$rw" 0.6 || { echo "archive: GOAL MISSED (duflame/bsdtar wall ratio $rw > 0.6)"; status=1; }
at_most "$pw" 1.1 || { echo "archive: GOAL MISSED (stored/plain wall ratio $pw > 1.1)"; status=1; }
exit $status
