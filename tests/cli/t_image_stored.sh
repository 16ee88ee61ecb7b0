#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# --metric=stored on container images: each entry of the final file system
# holds the bytes of its layer's blob from its header to the next one (the
# compressed bytes read meanwhile for a gzip layer), and the rest (manifest,
# config, index, the tar's headers, whiteouts, what later layers replaced or
# removed) is one "(archive overhead)" frame, so the total is the tarball's
# size or, for a layout directory, the sum of its blob files; --layers the
# same; the random file costs about its size in a gzip layer, the zeros
# next to nothing, and the report lists it as the worst compressed.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
mk="$DUFLAME_SRC/tests/cli/mkimage.py"
sum() { awk '{ s += $NF } END { printf "%d\n", s }' "$1"; }
line() { awk -v p="$1" '{ v = $NF; $NF = ""; sub(/ $/, ""); if ($0 == p) print v }' "$2"; }
mkdir -p l1/etc l1/usr/bin l2/etc l2/var
head -c 200000 /dev/urandom >l1/usr/bin/rand
head -c 300000 /dev/zero >l1/etc/zeros
printf 'aaaa' >l1/etc/a
head -c 2000 /dev/zero >l2/etc/a # replaces l1's etc/a
touch l2/etc/.wh.zeros           # removes etc/zeros
head -c 50 /dev/zero >l2/var/log
printf '%s\n' "docker d.tar l1 l2" "oci-dir oci l1 l2" "oci-dir ocig l1 l2 --gzip" \
    "oci-tar oci.tar l1 l2 --gzip" >batch.txt
python3 "$mk" --batch batch.txt || fail "mkimage"

blobs() { find "$1/blobs" -type f -exec stat -c %s {} + | awk '{ s += $1 } END { print s }'; }
for img in d.tar oci ocig oci.tar; do
    if [ -d "$img" ]; then want=$(blobs "$img"); else want=$(stat -c %s "$img"); fi
    for layers in "" --layers; do
        "$DUFLAME" --metric=stored -f folded $layers -o s.folded "$img" 2>err.txt ||
            { cat err.txt; fail "$img $layers: exit $?"; }
        [ -s err.txt ] && { cat err.txt; fail "$img $layers: warnings"; }
        [ "$(sum s.folded)" = "$want" ] || { cat s.folded; fail "$img $layers: stored $(sum s.folded), want $want"; }
        grep -q "^$img;(archive overhead) " s.folded || fail "$img $layers: no overhead frame"
    done
    "$DUFLAME" --metric=stored -f folded -o s.folded "$img"
    # what survives keeps its bytes; the removed and replaced files do not show
    grep -q "^$img;etc;zeros " s.folded && fail "$img: a removed file has stored bytes"
    r=$(line "$img;usr;bin;rand" s.folded)
    [ "$r" -ge 180000 ] && [ "$r" -lt 220000 ] || fail "$img: rand stored $r, not about 200000"
    echo "ok $img $want"
done
# uncompressed layers: exact tar spans (header, data, padding)
[ "$(line 'd.tar;etc;a' s.folded)" = "" ] # s.folded is oci.tar's now
"$DUFLAME" --metric=stored -f folded -o s.folded d.tar
[ "$(line 'd.tar;etc;a' s.folded)" = 2560 ] || fail "d.tar: etc/a stored $(line 'd.tar;etc;a' s.folded), want 512 + 2048"
[ "$(line 'd.tar;var;log' s.folded)" = 1024 ] || fail "d.tar: var/log"
# gzip layers: the zeros cost next to nothing
"$DUFLAME" --metric=stored --layers -f folded -o s.folded ocig
z=$(line "ocig;layer-1;etc;zeros" s.folded)
[ -n "$z" ] && [ "$z" -lt 20000 ] || fail "ocig: 300000 zeros stored as $z"
# the text report lists an image's worst compressed files too
"$DUFLAME" --metric=stored ocig >r.txt
grep -A1 '^Worst compressed' r.txt | tail -1 | grep -q ' ocig/usr/bin/rand$' ||
    { cat r.txt; fail "report: rand is not the worst compressed"; }
# the text report names the metric
"$DUFLAME" --metric=stored oci.tar >r.txt
head -1 r.txt | grep -q '^Stored size of oci.tar: ' || { head -3 r.txt; fail "report title"; }
echo ok
