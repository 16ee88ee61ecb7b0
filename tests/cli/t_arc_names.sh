#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Entry names: "..", absolute paths, "./", latin-1 and UTF-8 bytes, a
# directory listed after its children, a hard link (counted once) and a
# sparse entry (its logical size), checked against Python's tarfile.
set -u
fail() { echo "FAIL: $*"; exit 1; }
sum() { awk '{ s += $NF } END { printf "%d\n", s }' "$1"; }

python3 - <<'PY'
import tarfile, io
def reg(t, name, data):
    i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))
with tarfile.open("names.tar", "w", format=tarfile.GNU_FORMAT, encoding="latin-1") as t:
    reg(t, "../escape.txt", b"x" * 11)
    reg(t, "a/../../up.txt", b"y" * 13)
    reg(t, "/etc/abs.conf", b"z" * 17)
    reg(t, "./dot/f", b"w" * 19)
    reg(t, "caf\xe9.txt", b"l" * 23)                 # latin-1 byte e9
    reg(t, "late/child.bin", b"c" * 29)              # before its directory
    d = tarfile.TarInfo("late"); d.type = tarfile.DIRTYPE; t.addfile(d)
    reg(t, "orig.dat", b"o" * 31)
    h = tarfile.TarInfo("hard.dat"); h.type = tarfile.LNKTYPE; h.linkname = "orig.dat"; t.addfile(h)
with tarfile.open("utf8.tar", "w", format=tarfile.PAX_FORMAT) as t:
    reg(t, "\u65e5\u672c/\u00e9t\u00e9.txt", b"u" * 37)
PY
want=$(python3 -c '
import tarfile
print(sum(m.size for m in tarfile.open("names.tar").getmembers() if m.isreg()))')
"$DUFLAME" names.tar -f folded -o n.folded 2>err.txt || { cat err.txt; fail "exit $?"; }
[ "$(sum n.folded)" = "$want" ] || { cat n.folded; fail "total $(sum n.folded) != $want"; }
grep -qx 'names.tar;\.\.;escape.txt 11' n.folded || { cat n.folded; fail "'..' did not stay a label"; }
grep -qx 'names.tar;a;\.\.;\.\.;up.txt 13' n.folded || fail "a/../../up.txt"
grep -qx 'names.tar;etc;abs.conf 17' n.folded || fail "the leading / was not dropped"
grep -qx 'names.tar;dot;f 19' n.folded || fail "the leading ./ was not dropped"
grep -qx 'names.tar;caf\\xe9.txt 23' n.folded || { cat n.folded; fail "latin-1 name not kept as bytes"; }
grep -qx 'names.tar;late;child.bin 29' n.folded || fail "directory after its child"
grep -qx 'names.tar;orig.dat 31' n.folded || fail "hard link target"
grep -q 'hard.dat' n.folded && fail "a hard link must add no bytes"
"$DUFLAME" --inodes names.tar -f folded -o c.folded || fail "inodes"
ents=$(python3 -c 'import tarfile; print(len(tarfile.open("names.tar").getmembers()))')
[ "$(sum c.folded)" = "$ents" ] || fail "entries $(sum c.folded) != $ents"
# the SVG marks ".." as a label only: the name is there, nothing climbs out
"$DUFLAME" names.tar -o n.svg || fail "svg"
grep -q 'escape.txt' n.svg || fail "svg lacks escape.txt"

"$DUFLAME" utf8.tar -f folded -o u.folded || fail "utf8"
grep -qx "utf8.tar;日本;été.txt 37" u.folded || { cat u.folded; fail "UTF-8 name"; }
LC_ALL=C "$DUFLAME" utf8.tar -f folded -o uc.folded || fail "utf8 under LC_ALL=C"
cmp -s u.folded uc.folded || { cat uc.folded; fail "names differ under LC_ALL=C"; }

# a sparse file, archived with GNU tar --sparse: its logical size counts
truncate -s 50M sparse.img
printf 'data' | dd of=sparse.img bs=1 seek=1000000 conv=notrunc 2>/dev/null
tar --sparse -cf sparse.tar sparse.img || fail "tar --sparse"
[ "$(stat -c %s sparse.tar)" -lt 1000000 ] || fail "tar did not store it sparse"
want=$(python3 -c '
import tarfile
print(sum(m.size for m in tarfile.open("sparse.tar").getmembers() if m.isreg()))')
[ "$want" = 52428800 ] || fail "python sees $want"
"$DUFLAME" sparse.tar -f folded -o s.folded 2>err.txt || { cat err.txt; fail "sparse exit"; }
grep -qx 'sparse.tar;sparse.img 52428800' s.folded || { cat s.folded; fail "sparse size"; }
# a sparse member holding an archive is read with its holes as zeros
mkdir sp && truncate -s 3M sp/holes && tar --sparse -cf sp.tar sp
tar czf outer.tgz sp.tar
"$DUFLAME" outer.tgz -f folded -o o.folded 2>err.txt || { cat err.txt; fail "nested sparse"; }
grep -qx 'outer.tgz;sp.tar;sp;holes 3145728' o.folded || { cat o.folded; fail "nested sparse size"; }
exit 0
