#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Archive reading speed: duflame on linux-source-6.1.tar.xz (138 MB, Debian
# package linux-source-6.1) next to `bsdtar -tvf` on the same file. Runs
# alternate (duflame, bsdtar, duflame, ...) so that both see the same machine
# load; the medians of wall time and of user+system CPU time are compared.
# Goal: duflame / bsdtar <= 1.05.
#   bench/archive.sh [DUFLAME] [RUNS]      (default build/duflame, 5 runs each)
# Environment: ARCHIVE=path to use another archive.
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

for i in $(seq "$runs"); do
    measure duflame "$duflame" "$archive" -f folded -o /dev/null
    measure bsdtar bsdtar -tvf "$archive"
done
dw=$(secs duflame)
dc=$(cpu duflame)
bw=$(secs bsdtar)
bc=$(cpu bsdtar)
rw=$(ratio "$dw" "$bw" 3)
rc=$(ratio "$dc" "$bc" 3)
echo "archive: $(basename "$archive"), $runs alternating runs each, medians"
echo "archive:   duflame -f folded  wall ${dw}s  cpu ${dc}s"
echo "archive:   bsdtar -tvf        wall ${bw}s  cpu ${bc}s"
echo "archive:   ratio duflame/bsdtar  wall $rw  cpu $rc  (goal <= 1.05)"
at_most "$rw" 1.05 || echo "archive: GOAL MISSED (wall ratio $rw > 1.05)"
exit 0
