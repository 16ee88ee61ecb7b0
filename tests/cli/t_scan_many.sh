#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Many files in wide and nested directories: totals equal du's whatever the
# number of threads, and every entry is listed exactly once.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

python3 - <<'PY' || fail "cannot build the tree"
import os, random
r = random.Random(7)
os.mkdir("m")
os.mkdir("m/wide")
for i in range(5000):
    with open("m/wide/f%05d" % i, "wb") as f:
        f.write(b"w" * r.randrange(0, 9000))
for a in range(20):
    for b in range(10):
        d = "m/t%02d/u%02d" % (a, b)
        os.makedirs(d)
        for i in range(40):
            with open("%s/g%02d" % (d, i), "wb") as f:
                f.write(b"t" * r.randrange(0, 20000))
PY
for j in 1 2 3 16; do
    SCAN_EXTRA="-j $j" check_totals -- m
done
"$DUFLAME" -q -j 8 -f folded --inodes m >f || fail "exit $?"
[ "$(wc -l <f)" = "$(find m | wc -l)" ] || fail "lines $(wc -l <f) != entries $(find m | wc -l)"
[ "$(sort f | uniq -d | wc -l)" = 0 ] || fail "an entry was listed twice"
echo ok
