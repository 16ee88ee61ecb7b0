#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Little memory (ulimit -v) gives a clear error or a correct result, never a
# crash: drawing 400,000 distinct frames in 60 MB says "out of memory", exits
# 2 (the x* allocators' exit) or 1, never by a signal, and
# leaves the previous output file as it was with no temporary file beside
# it; reading an archive whose nested zip is held in memory says so too; a
# scan with 16 threads asked for in 60 MB either fits (fewer threads) with
# du's total or says why. Skipped for a sanitizer build (ASan needs terabytes
# of address space).
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
(ulimit -v 300000 && exec "$DUFLAME" --version) >/dev/null 2>&1 ||
    { echo "the binary does not start in 300 MB of address space (a sanitizer build?)"; exit 77; }

# limited RUN: run with ulimit -v KB, no core file; stdout to out, stderr to err
limited() {
    local kb=$1
    shift
    (ulimit -c 0 && ulimit -v "$kb" && exec "$@") >out 2>err
}
# a failure must be a clear one: a message naming memory, no crash
clear_failure() { # LABEL RC
    case $2 in
    1 | 2) ;; # 2: "duflame: out of memory" (util.c), 1: a warning, then a partial result
    *) fail "$1: exit $2: $(head -c 300 err)" ;;
    esac
    grep -qi 'out of memory\|cannot allocate memory' err ||
        fail "$1: exit $2 without saying why: $(head -c 300 err)"
}

python3 -c '
for i in range(400000):
    print("top%d;mid%d;leaf%d %d" % (i % 7, i % 1000, i, i % 13 + 1))' >big.folded ||
    fail "cannot write the input"

# without a limit it works
"$DUFLAME" render big.folded -o good.svg 2>err || fail "unlimited render: exit $?: $(cat err)"
cp good.svg before.svg
# 60 MB: not enough for the tree
limited 60000 "$DUFLAME" render big.folded -o good.svg
rc=$?
[ $rc != 0 ] || fail "render in 60 MB worked: the test no longer tests a shortage"
clear_failure "render in 60 MB" $rc
cmp -s good.svg before.svg || fail "the failed render changed the previous output"
ls -A | grep -q '^\.good\.svg\.' && fail "a temporary file was left: $(ls -A)"

# a scan of an archive holding a 32 MB zip (read into memory to be opened)
python3 - <<'PY' || fail "cannot write the archive"
import io, tarfile, zipfile
zb = io.BytesIO()
with zipfile.ZipFile(zb, "w", zipfile.ZIP_STORED) as z:
    for i in range(8):
        z.writestr("blob%d" % i, b"\0" * (4 << 20))
data = zb.getvalue()
with tarfile.open("nest.tar.gz", "w:gz") as t:
    ti = tarfile.TarInfo("inner.zip")
    ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
PY
"$DUFLAME" -q -f folded nest.tar.gz >full 2>err || fail "unlimited archive scan: exit $?"
want=$(awk '{ s += $NF } END { print s }' full)
[ "$want" = $((8 * 4 * 1048576)) ] || fail "the archive holds $want bytes"
for kb in 80000 60000; do
    limited $kb "$DUFLAME" -q -f folded nest.tar.gz
    rc=$?
    if [ $rc = 0 ]; then
        got=$(awk '{ s += $NF } END { print s }' out)
        [ "$got" = "$want" ] || fail "archive in $kb KB: exit 0 with $got bytes, want $want"
    else
        clear_failure "archive in $kb KB" $rc
    fi
done

# a scan asking for 16 threads (their stacks alone are 128 MB of address space)
mkdir -p tree/a tree/b
for i in $(seq 1 200); do
    printf '%*s' $((i * 37)) x >"tree/a/f$i"
    printf '%*s' $((i * 11)) x >"tree/b/g$i"
done
want=$(du -sB1 tree | cut -f1)
for kb in 100000 60000; do
    limited $kb "$DUFLAME" -q -j 16 -f folded tree
    rc=$?
    if [ $rc = 0 ]; then
        got=$(awk '{ s += $NF } END { print s }' out)
        [ "$got" = "$want" ] || fail "scan in $kb KB: exit 0 with $got bytes, du $want"
        [ -s err ] && fail "scan in $kb KB: exit 0 but said $(head -c 300 err)"
    else
        clear_failure "scan in $kb KB" $rc
    fi
done
echo ok
