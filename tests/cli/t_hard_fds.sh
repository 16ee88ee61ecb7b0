#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Few file descriptors (ulimit -n) make a slower walk, never a lost subtree:
# a tree with 216 directories, archives (one holding a zip) and a chain 3000
# levels deep (past PATH_MAX: the walker keeps few levels open and reopens)
# is counted whole, as du counts it, from ulimit -n 64 down to 10, also with
# --archives and 16 threads asked for. Below that a run may give
# up on directories, but only with a "Too many open files" warning and exit
# status 1: never a crash, never a wrong total said to be right.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

python3 - <<'PY' || fail "cannot build the tree"
import io, os, tarfile, zipfile
os.mkdir("t")
for a in range(6):
    for b in range(6):
        for c in range(6):
            p = "t/a%d/b%d/c%d" % (a, b, c)
            os.makedirs(p)
            with open(p + "/f", "wb") as f:
                f.write(b"x" * (a * 100 + b * 10 + c + 1))
def tar_bytes(files, gz=False):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz" if gz else "w") as t:
        for name, data in files:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    return buf.getvalue()
zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w") as z:
    for i in range(20):
        z.writestr("z/%d" % i, b"q" * (i * 37))
open("t/a1/x.tgz", "wb").write(tar_bytes([("in/%d" % i, b"p" * i * 11) for i in range(30)], True))
open("t/a3/nest.tar", "wb").write(tar_bytes([("inner.zip", zbuf.getvalue()), ("note", b"n" * 99)]))
os.chdir("t")
for i in range(3000):
    os.mkdir("dd")
    os.chdir("dd")
    if i % 500 == 0:
        os.mkdir("side")
        open("side/s", "wb").write(b"s" * 777)
open("bottom", "wb").write(b"y" * 999)
PY

want=$(du_sum -sB1 t)
[ "$want" -gt 0 ] || fail "du gave no total"
D="$DUFLAME"
for n in 64 24 10; do
    for opts in "" "--archives -j 16"; do
        # shellcheck disable=SC2086
        (ulimit -n $n && exec "$D" -q -f folded $opts t) >f 2>err
        rc=$?
        got=$(folded_sum f)
        [ $rc = 0 ] || { cat err; fail "ulimit -n $n '$opts': exit $rc"; }
        [ -s err ] && { cat err; fail "ulimit -n $n '$opts': something said on stderr"; }
        [ "$got" = "$want" ] || fail "ulimit -n $n '$opts': total $got, du $want"
    done
done
# apparent sizes and entries at a low limit, too
(ulimit -n 16 && SCAN_EXTRA="" check_totals -- t) || exit 1

# too few to walk at all: a warning, exit 1, no crash
for n in 8 5; do
    (ulimit -n $n && exec "$D" -q -f folded t) >f 2>err
    rc=$?
    got=$(folded_sum f)
    if [ $rc = 0 ]; then
        [ "$got" = "$want" ] || fail "ulimit -n $n: exit 0 with total $got, du $want"
        [ -s err ] && fail "ulimit -n $n: exit 0 but stderr: $(head -c 300 err)"
    else
        [ $rc = 1 ] || [ $rc = 2 ] || fail "ulimit -n $n: exit $rc"
        grep -q '^duflame: .*Too many open files' err ||
            fail "ulimit -n $n: exit $rc without a clear message: $(head -c 300 err)"
    fi
done
echo ok
