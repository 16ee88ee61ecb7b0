#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame diff of two release tarballs whose entries start with different
# top-level directories (app-1.0/ and app-1.1/): the two wrappers are matched,
# the columns add up to the tarballs' contents (Python's tarfile) and to a
# scan of each tarball; "./" tarballs; a tarball against a directory.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
mk() { head -c "$2" /dev/urandom >"$1"; }
mkdir -p app-1.0/src app-1.0/docs/api app-1.1/src app-1.1/lib/deep
mk app-1.0/src/main.c 10000
mk app-1.1/src/main.c 50000
mk app-1.0/src/same.h 3000
cp app-1.0/src/same.h app-1.1/src/same.h
mk app-1.0/docs/api/index.html 20000
mk app-1.1/lib/deep/libnew.so 123456
tar czf app-1.0.tar.gz app-1.0
tar cJf app-1.1.tar.xz app-1.1

# bytes of regular members, as Python's tarfile reads them
tarsum() { python3 -c 'import sys, tarfile
print(sum(m.size for m in tarfile.open(sys.argv[1]) if m.isfile()))' "$1"; }
sums() { awk '{b += $(NF-1); a += $NF} END {print b + 0, a + 0}' "$1"; }

"$DUFLAME" diff -f folded app-1.0.tar.gz app-1.1.tar.xz >d.folded || fail "exit $?"
cat d.folded
[ "$(sums d.folded)" = "$(tarsum app-1.0.tar.gz) $(tarsum app-1.1.tar.xz)" ] ||
    fail "columns $(sums d.folded), tarfile says $(tarsum app-1.0.tar.gz) $(tarsum app-1.1.tar.xz)"
"$DUFLAME" -f folded app-1.0.tar.gz >b.folded
"$DUFLAME" -f folded app-1.1.tar.xz >a.folded
want="$(awk '{s += $NF} END {print s}' b.folded) $(awk '{s += $NF} END {print s}' a.folded)"
[ "$(sums d.folded)" = "$want" ] || fail "columns $(sums d.folded), scans say $want"
# the wrappers are one frame, named as AFTER's
grep -qx 'app-1.1.tar.xz;app-1.1;src;main.c 10000 50000' d.folded || fail "main.c not matched"
grep -qx 'app-1.1.tar.xz;app-1.1;src;same.h 3000 3000' d.folded || fail "same.h not matched"
grep -qx 'app-1.1.tar.xz;app-1.1;docs;api;index.html 20000 0' d.folded || fail "vanished file"
grep -qx 'app-1.1.tar.xz;app-1.1;lib;deep;libnew.so 0 123456' d.folded || fail "new file"
grep -q 'app-1\.0;' d.folded && fail "BEFORE's wrapper is still a frame of its own"
# the AFTER column is the scan of AFTER, line for line
awk '$NF != 0 {print $1, $NF}' d.folded | sort >a1
sort a.folded | awk '{print $1, $NF}' >a2
cmp a1 a2 || fail "AFTER column differs from a scan of the AFTER tarball"

# --no-match-top keeps the two wrappers apart
"$DUFLAME" diff --no-match-top -f folded app-1.0.tar.gz app-1.1.tar.xz >n.folded
grep -qx 'app-1.1.tar.xz;app-1.0;src;main.c 10000 0' n.folded || fail "--no-match-top: before"
grep -qx 'app-1.1.tar.xz;app-1.1;src;main.c 0 50000' n.folded || fail "--no-match-top: after"

# tarballs made with "tar -C DIR ." (entries start with ./) match by name
tar -C app-1.0 -czf dot-1.0.tgz .
tar -C app-1.1 -cf dot-1.1.tar .
"$DUFLAME" diff -f folded dot-1.0.tgz dot-1.1.tar >dot.folded
grep -qx 'dot-1.1.tar;src;main.c 10000 50000' dot.folded || fail "./ tarballs: $(cat dot.folded)"
[ "$(sums dot.folded)" = "$(sums d.folded)" ] || fail "./ tarballs: other sums"
# one "./" tarball against one with a wrapper: the wrapper is dissolved
"$DUFLAME" diff -f folded dot-1.0.tgz app-1.1.tar.xz >mix.folded
grep -qx 'app-1.1.tar.xz;src;main.c 10000 50000' mix.folded || fail "mixed: $(cat mix.folded)"

# a tarball against a directory (apparent sizes: a tarball holds no blocks)
"$DUFLAME" diff -b -f folded app-1.0.tar.gz app-1.1 >td.folded
grep -qx 'app-1.1;src;main.c 10000 50000' td.folded || fail "tarball vs dir: $(cat td.folded)"
grep -qx 'app-1.1;lib;deep;libnew.so 0 123456' td.folded || fail "tarball vs dir: new file"
[ "$(sums td.folded | cut -d' ' -f2)" = "$(du -sb app-1.1 | cut -f1)" ] ||
    fail "tarball vs dir: AFTER column is not du -sb of the directory"

# the text report and the gate on tarballs
"$DUFLAME" diff -f text app-1.0.tar.gz app-1.1.tar.xz >t.txt
grep -Eq ' new +app-1.1/lib/deep/libnew.so$' t.txt || fail "text: $(cat t.txt)"
rc=0
"$DUFLAME" diff -f text --fail-over=100K app-1.0.tar.gz app-1.1.tar.xz >/dev/null 2>err || rc=$?
[ $rc = 3 ] || fail "gate on tarballs: exit $rc"
grep -q 'the total grew by +140.1 KiB (+434.7%), more than --fail-over=100K' err || fail "gate message: $(cat err)"

# a truncated tarball: what could be read, a warning, exit status 1
tar cf app-1.0.tar app-1.0
head -c 15000 app-1.0.tar >cut.tar
rc=0
"$DUFLAME" diff -f folded cut.tar app-1.1.tar.xz >c.folded 2>c.err || rc=$?
[ $rc = 1 ] || fail "truncated tarball: exit $rc ($(cat c.err))"
grep -q "cannot read archive 'cut.tar'" c.err || fail "truncated tarball: no warning naming it"
grep -qx 'app-1.1.tar.xz;app-1.1;src;main.c 10000 50000' c.folded ||
    fail "truncated tarball: what could be read is lost: $(cat c.folded)"
# a compressed tarball cut short, as a plain one: the members read before
# the damage, a warning naming it, exit status 1
head -c 15000 app-1.0.tar.gz >cut.tar.gz
rc=0
"$DUFLAME" diff -f folded cut.tar.gz app-1.1.tar.xz >c.folded 2>c.err || rc=$?
[ $rc = 1 ] || fail "truncated tar.gz: exit $rc ($(cat c.err))"
grep -q "cannot read archive 'cut.tar.gz'" c.err || fail "truncated tar.gz: no warning naming it"
[ "$(grep -c . c.err)" = 1 ] || fail "truncated tar.gz: said more than once: $(cat c.err)"
before=$(awk '{b += $(NF-1)} END {print b + 0}' c.folded)
[ "$before" -ge 10000 ] || fail "truncated tar.gz: what could be read is lost: $(cat c.folded)"
echo ok
