#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Broken container images (tests/cli/mkimage.py breaks them on purpose): a
# layer blob missing, a blob whose sha256 is not the manifest's, a layer
# that is not a tar, entries and whiteouts that would leave the root, an
# index that names itself, a docker save layer that is a symbolic link
# going round, manifests that are not JSON, and the archive limits on all
# layers together. Each: the message on stderr, exit 1, the rest drawn.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
mk="$DUFLAME_SRC/tests/cli/mkimage.py"
mkdir -p l1/etc l2/etc l3/usr
head -c 300 /dev/zero >l1/etc/b
printf 'x\n' >l1/etc/c
head -c 2000 /dev/zero >l2/etc/a
printf 'hi\n' >l3/usr/new
echo "not a tar at all" >junk

# check NAME IMAGE MESSAGE LINES...: exit 1, MESSAGE on stderr, each LINE in the folded output
check() {
    local name=$1 img=$2 msg=$3
    shift 3
    "$DUFLAME" -f folded "$img" >out.folded 2>err.txt
    local rc=$?
    cat err.txt
    [ $rc = 1 ] || fail "$name: exit $rc"
    grep -q -- "$msg" err.txt || fail "$name: no message '$msg'"
    for l in "$@"; do
        grep -qx -- "$l" out.folded || fail "$name: '$l' not drawn: $(cat out.folded)"
    done
    echo "ok $name"
}

# every image made by one Python run
for f in docker oci-dir oci-tar; do
    o=img-$f.tar
    [ $f = oci-dir ] && o=img-$f
    echo "$f m$o l1 l2 l3 --missing 2"
    echo "$f x$o l1 l2 l3 --mismatch 2"
    echo "$f j$o l1 l2 l3 --raw 2:junk"
    echo "$f e$o l1 l2 l3 --entry 2:../escape --entry '3:usr/.wh.../../etc/c'"
done >batch.txt
echo "oci-dir loop l1 l2 --loop" >>batch.txt
echo "docker links.tar l1 l2 l3 --link-loop" >>batch.txt
echo "oci-dir lim l1 l2 l3" >>batch.txt
echo "docker limt.tar l1 l2 l3" >>batch.txt
python3 "$mk" --batch batch.txt || fail "mkimage"

for f in docker oci-dir oci-tar; do
    o=img-$f.tar
    [ $f = oci-dir ] && o=img-$f
    check "$f missing blob" m$o "layer 2 '.*' is missing from the image$" "m$o;usr;new 3" "m$o;etc;b 300"
    check "$f digest" x$o "layer 2 '.*': digest mismatch: the manifest says sha256:[0-9a-f]\{64\}, the blob is sha256:" "x$o;usr;new 3"
    check "$f not a tar" j$o "layer 2 '.*' is not a tar: " "j$o;etc;b 300" "j$o;usr;new 3"
    check "$f escape" e$o "layer 3: entry 'usr/.wh.../../etc/c' leaves the image's root: skipped" \
        "e$o;etc;c 2" "e$o;etc;a 2000"
    grep -q "layer 2: entry '../escape' leaves" err.txt || fail "$f: ../escape not said"
    grep -q escape out.folded && fail "$f: ../escape drawn"
done
check "index loop" loop "index 'sha256:abab[ab]*' names itself: a loop"
check "symbolic link loop" links.tar "layer 1 '.*' is a loop of symbolic links" "links.tar;etc;a 2000"

# the archive limits count every layer together
"$DUFLAME" -f folded --archive-entries=3 lim >out.folded 2>err.txt; [ $? = 1 ] || fail "entries limit exit"
grep -q "more than --archive-entries entries; stopped there" err.txt || fail "entries limit message"
grep -qx "lim;etc;b 300" out.folded || fail "entries limit: what was read"
"$DUFLAME" -f folded --archive-entries=4 lim >/dev/null 2>&1
[ $? = 1 ] || fail "entries limit: exit"
"$DUFLAME" -f folded --archive-bytes=1000 lim >out.folded 2>err.txt
[ $? = 1 ] || fail "bytes limit: exit"
grep -q "more than --archive-bytes extracted bytes" err.txt || fail "bytes limit message"
# a tar image's layers are read on threads: the same entry stops it, the
# same output and messages whatever their number
for j in 1 2 4; do
    "$DUFLAME" -j$j -f folded --archive-entries=3 limt.tar >out$j.folded 2>err$j.txt
    [ $? = 1 ] || fail "tar entries limit -j$j: exit"
done
grep -qx "limt.tar;etc;b 300" out1.folded || fail "tar entries limit: what was read"
grep -q "layer '.*': the image holds more than --archive-entries entries" err1.txt ||
    fail "tar entries limit message"
for j in 2 4; do
    cmp -s out1.folded out$j.folded || fail "tar entries limit: -j$j drew otherwise"
    cmp -s err1.txt err$j.txt || fail "tar entries limit: -j$j said otherwise"
done

# manifests that are not JSON, or name nothing
mkdir -p bad/blobs
printf '{"manifests": [' >bad/index.json
check "index not JSON" bad "index.json is not JSON: byte 15: expected a value"
printf '[{"Config": "c.json"}]' >bad/manifest.json
check "manifest without layers" bad "manifest.json names no layers"
echo ok
