#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame-mpi --archives: archives met in the walk are read in place by the
# rank that meets them, and the output is duflame --archives' byte for byte
# for 1 to 4 ranks (folded, ncdu JSON with its "extracted" sizes, the SVG
# with its tooltips, the page), with -b, --inodes and -l too: a tar.gz, a
# zip, a tar.gz holding a tar holding a zip, one archive under two names
# (a hard link across top directories) and a broken one (a warning, status
# 1) in a tree of some thousand entries. An archive given as a PATH is drawn
# as its contents as duflame draws it; an ncdu export, a container image and
# standard input are refused with status 2, said once.
. "$DUFLAME_SRC/tests/cli/mpi_lib.sh"

d=$(scratch)
trap 'rm -rf "$d"' EXIT
t=$d/t
python3 "$DUFLAME_SRC/tests/cli/mpi_gen.py" "$t" 4000 >/dev/null || fail "generator"
python3 - "$t" <<'EOF' || fail "archives"
import io, os, sys, tarfile, zipfile
t = sys.argv[1]
def data(i, n):
    return bytes((i * 7 + k * 13) % 251 for k in range(n))
def tgz(path, members):
    with tarfile.open(path, "w:gz") as z:
        for name, body in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(body)
            ti.mtime = 1700000000
            z.addfile(ti, io.BytesIO(body))
def zipf(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in members:
            z.writestr(zipfile.ZipInfo(name, (2023, 11, 14, 22, 13, 20)), body)
tops = sorted(e for e in os.listdir(t) if os.path.isdir(os.path.join(t, e)))
for k, top in enumerate(tops):
    sub = os.path.join(t, top, "arc%d" % k, "deeper")
    os.makedirs(sub, exist_ok=True)
    tgz(os.path.join(sub, "src%d.tar.gz" % k),
        [("src/a%d.c" % i, data(i, 300 * i + k)) for i in range(1, 12)])
    zipf(os.path.join(t, top, "arc%d" % k, "docs%d.zip" % k),
         [("doc/p%d.txt" % i, data(i, 500 * i)) for i in range(1, 9)])
# nested: a tar.gz holding a tar holding a zip
inner = io.BytesIO()
with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(1, 6):
        z.writestr(zipfile.ZipInfo("in/z%d" % i, (2023, 11, 14, 22, 13, 20)), data(i, 2000 * i))
mid = io.BytesIO()
with tarfile.open(fileobj=mid, mode="w") as z:
    ti = tarfile.TarInfo("inner.zip")
    ti.size = len(inner.getvalue())
    z.addfile(ti, io.BytesIO(inner.getvalue()))
tgz(os.path.join(t, tops[-1], "nested.tar.gz"), [("mid.tar", mid.getvalue()), ("x.txt", b"x" * 999)])
# one archive under two names in different top directories
a = os.path.join(t, tops[0], "shared.tar.gz")
tgz(a, [("s/%d" % i, data(i, 4000)) for i in range(6)])
os.link(a, os.path.join(t, tops[-1], "shared-too.tar.gz"))
# a file named as an archive that is none
with open(os.path.join(t, tops[1], "broken.tar.gz"), "wb") as f:
    f.write(b"not an archive at all\n")
EOF

# the archives are opened: the nested zip's members are in duflame's output
"$DUFLAME" -q --archives -f folded "$t" >base.folded 2>base.err
[ $? = 1 ] || fail "duflame --archives: exit not 1 (the broken archive)"
grep -q ';nested.tar.gz;mid.tar;inner.zip;in;z3 ' base.folded || fail "the nested zip not opened"
[ "$(grep -c "broken.tar.gz" base.err)" = 1 ] || fail "duflame: $(cat base.err)"

opened=0
for n in 1 2 3 4; do
    DUFLAME_MPI_STATS=1 mpi $n -j 1 --archives -f folded "$t" >mpi.folded 2>err
    rc=$?
    [ $rc = 1 ] || fail "-n $n: exit $rc, not 1: $(cat err)"
    cmp -s base.folded mpi.folded || fail "-n $n --archives: folded differs"
    [ "$(grep -c "^duflame: cannot read archive '.*broken.tar.gz'" err)" = 1 ] ||
        fail "-n $n: the broken archive not said once: $(cat err)"
    grep -qE "rank=[1-9][0-9]* .*archives=[1-9]" err && opened=1
done
[ $opened = 1 ] || echo "note: no rank but 0 opened an archive this time (a loaded machine?)"
for n in 1 2 3 4; do
    same_as_duflame $n "json svg" --archives -- "$t"
done
same_as_duflame 3 "html" --archives -b -- "$t"
same_as_duflame 3 "txt json" --archives --metric=stored -- "$t"
same_as_duflame 2 "json" --archives --inodes -l -- "$t"
same_as_duflame 4 "folded" --archives --archive-depth=1 --exclude='docs1*' -- "$t"
# the exports compared above hold the archives' notes
"$DUFLAME" -q --archives -o x.json "$t" 2>/dev/null
grep -q '"extracted":' x.json || fail "no extracted sizes in duflame's export"

# an archive as a PATH: its contents, as duflame draws them (with a
# directory too)
arc=$(ls "$t"/*/nested.tar.gz)
same_as_duflame 2 "folded svg" -- "$arc"
same_as_duflame 3 "json" -- "$arc" "$t/links"

# refused: an ncdu export, a container image, standard input; said once,
# status 2, nothing written
"$DUFLAME" -q -o scan.json "$t/links" || fail "duflame -o scan.json"
mpi 2 -o out.svg "$t/links" scan.json >/dev/null 2>err
rc=$?
[ $rc = 2 ] || fail "an ncdu export: exit $rc"
[ "$(grep -c "'scan.json' is an ncdu export: duflame-mpi walks" err)" = 1 ] || fail "ncdu: $(cat err)"
[ ! -e out.svg ] || fail "an ncdu export: output written"
mkdir -p img/blobs/sha256
printf '{"imageLayoutVersion":"1.0.0"}' >img/oci-layout
printf '{"schemaVersion":2,"manifests":[]}' >img/index.json
"$DUFLAME" -q -f folded img >/dev/null 2>err
grep -q "image 'img'" err || fail "duflame does not take img for an image: $(cat err)"
mpi 2 -f folded img >/dev/null 2>err
rc=$?
[ $rc = 2 ] || fail "an image layout: exit $rc: $(cat err)"
[ "$(grep -c "'img' is a container image: duflame-mpi walks" err)" = 1 ] || fail "image: $(cat err)"
mpi 2 -f folded - <scan.json >/dev/null 2>err
rc=$?
[ $rc = 2 ] || fail "standard input: exit $rc"
[ "$(grep -c "'-': duflame-mpi does not read standard input" err)" = 1 ] || fail "stdin: $(cat err)"
exit 0
