#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Nested archives by content: a zip inside a tar inside a tar.gz, a .deb made
# with ar (control.tar.xz + data.tar.xz), a jar inside a war, a bare .gz of a
# text (a file, not an archive). Totals are compared with Python's count of
# the innermost regular files; nested archives count as their contents.
set -u
fail() { echo "FAIL: $*"; exit 1; }
sum() { awk '{ s += $NF } END { printf "%d\n", s }' "$1"; }

mkdir -p in/z
head -c 30000 /dev/urandom > in/z/blob
seq 1 5000 > in/z/nums
python3 -c '
import zipfile
with zipfile.ZipFile("inner.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("in/z/blob"); z.write("in/z/nums")'
seq 1 300 > plain.txt
gzip -c plain.txt > notes.gz            # a compressed text: a file
tar cf mid.tar inner.zip plain.txt notes.gz
tar czf outer.tar.gz mid.tar
zipbytes=$(python3 -c '
import zipfile
print(sum(i.file_size for i in zipfile.ZipFile("inner.zip").infolist()))')
want=$(( zipbytes + $(stat -c %s plain.txt) + $(stat -c %s notes.gz) ))
"$DUFLAME" outer.tar.gz -f folded -o out.folded 2>err.txt || { cat err.txt; fail "exit $?"; }
[ "$(sum out.folded)" = "$want" ] || { cat out.folded; fail "nested total $(sum out.folded) != $want"; }
grep -q '^outer.tar.gz;mid.tar;inner.zip;in;z;blob 30000$' out.folded ||
    { cat out.folded; fail "no line for the zip member inside the tar inside the tar.gz"; }
grep -q "^outer.tar.gz;mid.tar;notes.gz $(stat -c %s notes.gz)\$" out.folded ||
    fail "a .gz of a text must stay a file"

# --archive-depth=2: the zip (third level) stays a file of its own size
"$DUFLAME" --archive-depth=2 outer.tar.gz -f folded -o d2.folded || fail "depth 2"
grep -q "^outer.tar.gz;mid.tar;inner.zip $(stat -c %s inner.zip)\$" d2.folded ||
    { cat d2.folded; fail "depth 2 opened the zip"; }
# --archive-depth=0: the archive is a file
"$DUFLAME" --archive-depth=0 outer.tar.gz -f folded -o d0.folded || fail "depth 0"
[ "$(wc -l < d0.folded)" = 1 ] || fail "depth 0 opened the archive"

# a .deb: ar with debian-binary, control.tar.xz, data.tar.xz
mkdir -p deb/control deb/data/usr/bin deb/data/usr/share/doc/pkg
printf 'Package: pkg\nVersion: 1\n' > deb/control/control
head -c 12345 /dev/urandom > deb/data/usr/bin/tool
seq 1 999 > deb/data/usr/share/doc/pkg/README
echo 2.0 > debian-binary
tar cJf control.tar.xz -C deb/control .
tar cJf data.tar.xz -C deb/data .
ar rc pkg.deb debian-binary control.tar.xz data.tar.xz || fail "ar"
debwant=$(python3 -c '
import tarfile
t = 0
for n in ("control.tar.xz", "data.tar.xz"):
    t += sum(m.size for m in tarfile.open(n).getmembers() if m.isreg())
print(t + 4)')   # + debian-binary
"$DUFLAME" pkg.deb -f folded -o deb.folded 2>err.txt || { cat err.txt; fail "deb exit"; }
[ "$(sum deb.folded)" = "$debwant" ] || { cat deb.folded; fail "deb total $(sum deb.folded) != $debwant"; }
grep -q '^pkg.deb;data.tar.xz;usr;bin;tool 12345$' deb.folded || fail "deb: no usr/bin/tool"

# a jar inside a war (zip inside zip: the inner one is held in memory)
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("lib.jar", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    z.writestr("com/example/A.class", b"\xca\xfe\xba\xbe" + bytes(5000))
with zipfile.ZipFile("app.war", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("lib.jar", "WEB-INF/lib/lib.jar")
    z.writestr("index.html", "<html></html>\n")
PY
warwant=$(python3 -c '
import zipfile
print(sum(i.file_size for i in zipfile.ZipFile("lib.jar").infolist()) + 14)')
"$DUFLAME" app.war -f folded -o war.folded 2>err.txt || { cat err.txt; fail "war exit"; }
[ "$(sum war.folded)" = "$warwant" ] || { cat war.folded; fail "war total $(sum war.folded) != $warwant"; }
grep -q '^app.war;WEB-INF;lib;lib.jar;com;example;A.class 5004$' war.folded || fail "war: no class"
# the same with no memory for nested members: spooled to a temporary file
"$DUFLAME" --archive-memory=0 app.war -f folded -o spool.folded 2>err.txt || { cat err.txt; fail "spool"; }
cmp -s <(sort war.folded) <(sort spool.folded) || fail "spooled result differs"
# neither memory nor spool: the jar is skipped with a warning, exit 1
"$DUFLAME" --archive-memory=0 --archive-spool=0 app.war -f folded -o skip.folded 2>err.txt
rc=$?
[ $rc = 1 ] || fail "no room for the jar: exit $rc, expected 1"
grep -q "app.war/WEB-INF/lib/lib.jar" err.txt || { cat err.txt; fail "warning does not name the jar"; }
grep -q "^app.war;WEB-INF;lib;lib.jar $(stat -c %s lib.jar)\$" skip.folded || fail "skipped jar not a file"
exit 0
