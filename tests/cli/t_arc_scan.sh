#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# --archives inside a scan: archives found in the tree show their contents,
# and the totals stay du's for disk usage, apparent size and entries; the
# contents share the archive's width in proportion to their extracted sizes.
# Fifos are never opened (the test would hang). Without --archives nothing
# is opened.
set -u
fail() { echo "FAIL: $*"; exit 1; }
sum() { awk '{ s += $NF } END { printf "%d\n", s }' "$1"; }

mkdir -p t/sub t/pkg
seq 1 100000 > t/sub/big.txt
head -c 40000 /dev/urandom > t/sub/rand.bin
tar czf t/pkg/src.tar.gz -C t sub
python3 -c '
import zipfile
with zipfile.ZipFile("t/pkg/app.jar", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("a/B.class", bytes(30000)); z.writestr("c.txt", "x" * 1000)'
gzip -c t/sub/big.txt > t/sub/big.txt.gz     # a .gz of text: not an archive
xz -c t/sub/rand.bin > t/sub/rand.bin.xz       # an .xz of data: not an archive
tar cJf t/pkg/data.txz -C t sub/rand.bin       # a tar.xz found by looking into the xz
genisoimage -quiet -R -o t/pkg/disc.iso t/sub 2>/dev/null || fail "genisoimage" # starts with zeros
echo 'not really a tar' > t/pkg/fake.tar
mkfifo t/pipe.tar
ln t/pkg/src.tar.gz t/pkg/hardlink.tgz        # a further link: its contents count once

for m in "" "-b" "--inodes"; do
    ref=$(case "$m" in "") du -sB1 t ;; -b) du -sb t ;; *) du -s --inodes t ;; esac | cut -f1)
    "$DUFLAME" --archives $m t -f folded -o out.folded 2>err.txt
    rc=$?
    [ $rc = 1 ] || { cat err.txt; fail "exit $rc, expected 1 (fake.tar)"; }
    got=$(sum out.folded)
    [ "$got" = "$ref" ] || fail "--archives $m: total $got, du says $ref"
    echo "ok --archives $m $got"
done
grep -q "fake.tar" err.txt || fail "no message for fake.tar"
[ "$(grep -c . err.txt)" = 1 ] || { cat err.txt; fail "more than one message"; }

"$DUFLAME" --archives t -f folded -o out.folded 2>/dev/null
# one of the two names of the hard-linked tar.gz carries it (the walker picks
# which, bytewise first: hardlink.tgz), with its contents; the other nothing
arcname=$(grep -o '^t;pkg;[a-z.]*;sub;big.txt ' out.folded | cut -d';' -f3)
[ "$(echo "$arcname" | grep -c .)" = 1 ] || { cat out.folded; fail "tar.gz opened ${arcname:-never}"; }
grep -q '^t;pkg;app.jar;a;B.class ' out.folded || fail "jar not opened"
grep -q '^t;pkg;disc.iso;rand.bin ' out.folded || fail "iso not opened"
grep -q '^t;sub;big.txt.gz ' out.folded || fail ".gz of a text"
grep -q '^t;sub;rand.bin.xz ' out.folded || fail ".xz of data"
grep -q '^t;pkg;data.txz;sub;rand.bin ' out.folded || fail "tar.xz not opened"
# the shares: in proportion to the extracted sizes, adding up to the archive's du
dsz=$(du -B1 t/pkg/src.tar.gz | cut -f1)
arcsum=$(grep "^t;pkg;$arcname" out.folded | awk '{ s += $NF } END { print s }')
[ "$arcsum" = "$dsz" ] || fail "$arcname contents add up to $arcsum, du says $dsz"
python3 - "$dsz" "$arcname" <<'PY' || fail "shares are not proportional"
import sys
d = int(sys.argv[1])
sizes = {"sub;big.txt": 588895, "sub;rand.bin": 40000}
lines = dict(l.rsplit(" ", 1) for l in open("out.folded").read().splitlines())
tot = sum(sizes.values())
for k, s in sizes.items():
    got = int(lines["t;pkg;%s;%s" % (sys.argv[2], k)])
    assert abs(got - d * s / tot) <= 1, (k, got, d * s / tot)
PY

# tooltips: an archive's extracted bytes and ratio, an entry's estimate
"$DUFLAME" --archives t -o out.svg 2>/dev/null
grep -q "\[archive\] extracted 628,895 bytes, 614.2 KiB, [0-9.]*x its disk usage</title>" out.svg ||
    fail "no extracted bytes in the archive's tooltip"
grep -q "<title>rand.bin ([0-9,]* bytes, [^)]*) about [34][0-9],[0-9]* bytes, [^,]*, extracted</title>" out.svg ||
    fail "no estimate in an entry's tooltip"

# without --archives: no archive is opened
"$DUFLAME" t -f folded -o plain.folded 2>err.txt || { cat err.txt; fail "plain scan"; }
grep -q 'src.tar.gz;' plain.folded && fail "opened without --archives"
[ "$(sum plain.folded)" = "$(du -sB1 t | cut -f1)" ] || fail "plain total"
# an archive given as a PATH is always drawn as its contents (extracted bytes)
"$DUFLAME" t/pkg/src.tar.gz -f folded -o in.folded || fail "archive as PATH"
[ "$(sum in.folded)" = $(( 588895 + 40000 )) ] || fail "archive as PATH: $(sum in.folded)"
# a PATH that is an archive and a directory in one run
"$DUFLAME" t/pkg/app.jar t/sub -f folded -o two.folded 2>err.txt || { cat err.txt; fail "two PATHs"; }
grep -q '^t/pkg/app.jar;a;B.class 30000$' two.folded || { cat two.folded; fail "jar as PATH"; }
exit 0
