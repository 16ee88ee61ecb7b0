#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# valgrind (memcheck, --leak-check=full) finds no error and no leak in scans
# of the nasty tree (names with ';', newlines, bad UTF-8, deeper than
# PATH_MAX, hard links, symlink loops, a sparse file, a FIFO) as SVG, folded
# and text, with -L and with several threads, nor in reading archives: a
# .tar.gz holding a zip and a .tar.xz, a 7z, a truncated .tgz, --archives in
# a directory, and the fuzz findings; nor in render and diff.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
command -v valgrind >/dev/null || { echo "no valgrind"; exit 77; }
VG="valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,possible"
# a sanitizer build cannot run under valgrind
$VG "$DUFLAME" --version >/dev/null 2>&1 ||
    { echo "the binary does not run under valgrind (a sanitizer build?)"; exit 77; }

python3 "$DUFLAME_SRC/tests/corpus/nasty-tree.sh" n >/dev/null || fail "cannot build the nasty tree"

python3 - <<'PY' || fail "cannot write the archives"
import io, os, tarfile, zipfile
zb = io.BytesIO()
with zipfile.ZipFile(zb, "w", zipfile.ZIP_DEFLATED) as z:
    for i in range(30):
        z.writestr("z/semi;colon/%d<b>" % i, b"q" * (i * 300))
def tar(path, mode, extra=()):
    with tarfile.open(path, mode) as t:
        for name, data in [("top/a", b"a" * 5000), ("top/sub/b", b"b" * 70000),
                           ("../escape", b"e" * 10)] + list(extra):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
os.makedirs("arc", exist_ok=True)
tar("arc/nested.tar.gz", "w:gz", [("inner.zip", zb.getvalue())])
tar("arc/plain.tar.xz", "w:xz")
data = open("arc/nested.tar.gz", "rb").read()
open("truncated.tgz", "wb").write(data[: len(data) // 2])
PY
if command -v 7z >/dev/null; then
    (cd n/names && 7z a -bd ../../arc/some.7z . >/dev/null 2>&1) || rm -f arc/some.7z
fi

vg() { # vg LABEL OKSTATUS ARGS...: duflame under valgrind
    local label=$1 ok=$2
    shift 2
    $VG "$DUFLAME" "$@" >vg.out 2>vg.err
    local rc=$?
    if [ $rc = 9 ] || ! printf '%s\n' "$ok" | grep -qw -- "$rc"; then
        grep -v '^duflame: ' vg.err | head -60
        fail "$label: exit $rc under valgrind"
    fi
    grep -q '^==[0-9]*==' vg.err && { head -60 vg.err; fail "$label: valgrind said something"; }
    return 0
}

# few runs, each doing much: valgrind's start-up alone takes a second
vg "scan nasty svg" "0 1" -q -j 4 -o nasty.svg n
vg "scan nasty folded -L -b, 1 thread" "0 1" -q -L -b -j 1 -f folded n
vg "scan --archives" "0 1" -q --archives -f text arc
archives=(arc/nested.tar.gz arc/plain.tar.xz truncated.tgz)
[ -f arc/some.7z ] && archives+=(arc/some.7z)
for f in "$DUFLAME_SRC"/tests/fuzz/regress/fuzz_arc/*; do
    [ -f "$f" ] && archives+=("$f")
done
vg "archives as PATHs" "1" -q -o archives.svg "${archives[@]}"
"$DUFLAME" -q -f folded n >nasty.folded 2>/dev/null
vg "render" "0" render --minwidth 0 -o render.svg nasty.folded
vg "render diff" "0 1" diff -o diff.svg nasty.folded nasty.folded
vg "diff of trees" "0 1" diff -q -f text n/names n/dirs
echo ok
