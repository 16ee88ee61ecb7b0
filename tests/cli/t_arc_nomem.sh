#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A nested zip that must be read whole and fits --archive-memory, but not in
# the memory the process may have (ulimit -v), goes to a temporary file
# instead: the archive is read whole, nothing ends the program (the reader
# once ended with "out of memory" and exit 2 from library code).
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
limit=140000 # KiB of address space
size=160000000

echo x >small.txt
tar cf small.tar small.txt
(ulimit -v $limit && "$DUFLAME" -q -f folded small.tar >/dev/null 2>&1) ||
    { echo "duflame does not run under ulimit -v $limit (a sanitizer build?)"; exit 77; }

head -c $size /dev/zero >big.bin
python3 -c '
import zipfile
with zipfile.ZipFile("big.zip", "w", zipfile.ZIP_STORED) as z:
    z.write("big.bin")' || fail "zip"
rm big.bin
tar cf outer.tar big.zip || fail "tar"
rm big.zip

(ulimit -v $limit && "$DUFLAME" -q -f folded --archive-memory=1G outer.tar) >out.folded 2>err.txt
rc=$?
[ $rc = 0 ] || { cat err.txt >&2; fail "exit $rc"; }
[ ! -s err.txt ] || { cat err.txt >&2; fail "a message"; }
grep -qx "outer.tar;big.zip;big.bin $size" out.folded || { cat out.folded >&2; fail "big.bin not read"; }
echo ok
