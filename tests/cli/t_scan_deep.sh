#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A tree deeper than PATH_MAX (about 12 KiB of path, 600 levels, with files
# and a branch at several depths) is counted whole, as du counts it, by any
# number of threads; nothing is said on stderr.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

python3 - <<'PY' || fail "cannot build the deep tree"
import os
fd = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
os.mkdir("deep", dir_fd=fd)
d = os.open("deep", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
for level in range(600):
    name = "d%04d-%s" % (level, "x" * 15)
    os.mkdir(name, dir_fd=d)
    if level % 50 == 0:
        f = os.open("f%d" % level, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=d)
        os.write(f, b"z" * (level + 1) * 10)
        os.close(f)
        os.mkdir("side", dir_fd=d)
        s = os.open("side", os.O_RDONLY | os.O_DIRECTORY, dir_fd=d)
        f = os.open("s", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=s)
        os.write(f, b"s" * 5000)
        os.close(f)
        os.close(s)
    n = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=d)
    os.close(d)
    d = n
f = os.open("bottom", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=d)
os.write(f, b"b" * 12345)
os.close(f)
os.link("bottom", "bottom2", src_dir_fd=d, dst_dir_fd=d)
os.close(d)
PY

for j in 1 2 6; do
    SCAN_EXTRA="-j $j" check_totals -- deep
done
[ -s scan.err ] && { cat scan.err; fail "something was said on stderr"; }
"$DUFLAME" -q -f folded -b deep >f 2>err || fail "exit $?"
[ -s err ] && fail "stderr: $(cat err)"
line=$(grep ';bottom2\? 12345$' f) || fail "the bottom file is missing"
depth=$(printf '%s\n' "$line" | tr -cd ';' | wc -c)
[ "$depth" = 601 ] || fail "bottom at depth $depth, not 601"
echo ok
