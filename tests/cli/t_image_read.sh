#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Container images made here without docker (tests/cli/mkimage.py): a docker
# save tarball, an OCI layout directory and an OCI layout tar with gzip
# layers, all of the same three layers. Each is drawn as its final file
# system: a file overwritten by a later layer, one removed by a whiteout, a
# directory made opaque; the wasted bytes and the efficiency in the text
# report, the largest wasted paths; --layers one top per layer; the layer
# and command in the SVG's tooltips; diff of two images; a tar that only
# looks like an image is read as an archive.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
mk="$DUFLAME_SRC/tests/cli/mkimage.py"
mkdir -p l1/etc l1/usr/bin l1/usr/lib l2/etc l2/var l3/usr
printf 'aaaa' >l1/etc/a
head -c 1000 /dev/urandom >l1/usr/bin/big
head -c 700 /dev/urandom >l1/usr/lib/libx.so
head -c 300 /dev/zero >l1/etc/b
printf 'x\n' >l1/etc/c
head -c 2000 /dev/zero >l2/etc/a          # replaces l1's etc/a: 4 bytes wasted
touch l2/etc/.wh.b                        # removes etc/b: 300 bytes wasted
head -c 50 /dev/zero >l2/var/log
touch l3/usr/.wh..wh..opq                 # hides usr/bin/big and usr/lib/libx.so: 1700
printf 'hi\n' >l3/usr/new
mkdir -p l4/etc
head -c 5000 /dev/zero >l4/etc/a
printf '%s\n' "docker d.tar l1 l2 l3" "oci-dir oci l1 l2 l3" "oci-tar oci.tar l1 l2 l3 --gzip" \
    "docker d2.tar l1 l2 l3 l4" >batch.txt
python3 "$mk" --batch batch.txt || fail "mkimage"

want='etc;a 2000
etc;c 2
usr;new 3
var;log 50'
for img in d.tar oci oci.tar; do
    "$DUFLAME" -f folded "$img" >out.folded || fail "$img: exit $?"
    got=$(sed "s/^$img;//" out.folded | sort)
    [ "$got" = "$want" ] || fail "$img: final file system:
$got"
done

# the text report: wasted bytes, their share and the efficiency; the paths
"$DUFLAME" -f text d.tar >r.txt || fail "report exit $?"
cat r.txt
grep -q "3 layers, .*(2,004 bytes) wasted by later layers (49\.4%), efficiency 50\.6%" r.txt ||
    fail "wasted line"
grep -A4 "^Largest wasted paths:" r.txt >paths.txt
sed -n 2p paths.txt | grep -q "1000 B  1x  usr/bin/big$" || fail "largest wasted path"
grep -q "700 B  1x  usr/lib/libx.so$" paths.txt || fail "opaque directory's file not wasted"
grep -q "300 B  1x  etc/b$" paths.txt || fail "whited-out file not wasted"
grep -q "4 B  1x  etc/a$" paths.txt || fail "overwritten file not wasted"

# --layers: one top per layer, what each layer adds; the sum is every layer's bytes
"$DUFLAME" -f folded --layers oci >layers.folded || fail "--layers exit $?"
cat layers.folded
grep -qx 'oci;layer-1;usr;bin;big 1000' layers.folded || fail "layer 1"
grep -qx 'oci;layer-2;etc;a 2000' layers.folded || fail "layer 2"
grep -qx 'oci;layer-3;usr;new 3' layers.folded || fail "layer 3"
[ "$(awk '{s += $NF} END {print s}' layers.folded)" = 4059 ] || fail "--layers total"
"$DUFLAME" -f text --layers oci | grep -q "layer 3 .*COPY l3 /" || fail "--layers report"

# tooltips: the image's wasted share; an entry's layer and command
"$DUFLAME" -o p.svg oci.tar || fail "svg exit $?"
grep -q '<title>oci.tar ([^<]*image of 3 layers: [^<]*efficiency 50.6%</title>' p.svg ||
    fail "image tooltip"
grep -q '<title>a ([^<]*) layer 2 of 3: COPY l2 /</title>' p.svg || fail "entry tooltip"
grep -q '<title>new ([^<]*) layer 3 of 3: COPY l3 /</title>' p.svg || fail "entry tooltip 3"

# diff of two images compares their final file systems
"$DUFLAME" diff -f folded d.tar d2.tar >diff.folded || fail "diff exit $?"
cat diff.folded
grep -qx 'd2.tar;etc;a 2000 5000' diff.folded || fail "diff of etc/a"
grep -qx 'd2.tar;var;log 50 50' diff.folded || fail "diff of var/log"

# a tar whose first member looks like an image's but holds no manifest: an archive
mkdir -p blobs
printf 'z' >blobs/zz
tar cf notimg.tar blobs
"$DUFLAME" -f folded notimg.tar >n.folded || fail "notimg exit $?"
grep -qx 'notimg.tar;blobs;zz 1' n.folded || fail "not an image: $(cat n.folded)"
echo ok
