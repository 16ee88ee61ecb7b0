#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Container images built by the real tools from local directories: umoci
# writes an OCI layout layer by layer (a fresh bundle unpacked for each
# layer, as repacking one bundle twice drops the first layer; the opaque
# directory written by hand and added with `umoci raw add-layer`, as umoci
# makes none), skopeo copies it to a docker-archive tarball (skopeo's
# docker save format: <id>.tar layers, <id>/layer.tar symbolic links) and
# to an oci-archive. The three read the same final file system and waste.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
for t in umoci skopeo; do
    command -v $t >/dev/null || { echo "$t is not installed (apt-get install $t)"; exit 77; }
done
mkdir -p l1/etc l1/usr/bin l3/usr
printf 'aaaa' >l1/etc/a
head -c 1000 /dev/urandom >l1/usr/bin/big
head -c 300 /dev/zero >l1/etc/b
printf 'x\n' >l1/etc/c
touch l3/usr/.wh..wh..opq
printf 'hi\n' >l3/usr/new
umoci init --layout img || fail "umoci init"
umoci new --image img:t || fail "umoci new"
umoci unpack --rootless --image img:t b1 >/dev/null || fail "unpack 1"
cp -a l1/. b1/rootfs/
umoci repack --image img:t b1 || fail "repack 1"
# a fresh bundle for the second layer: umoci whites out what was removed
umoci unpack --rootless --image img:t b2 >/dev/null || fail "unpack 2"
rm b2/rootfs/etc/b
head -c 2000 /dev/zero >b2/rootfs/etc/a
umoci repack --image img:t b2 || fail "repack 2"
tar -C l3 -cf l3.tar usr
umoci raw add-layer --image img:t l3.tar || fail "add-layer"
skopeo copy -q oci:img:t docker-archive:d.tar:test:latest || fail "skopeo docker-archive"
skopeo copy -q oci:img:t oci-archive:o.tar || fail "skopeo oci-archive"

want='etc;a 2000
etc;c 2
usr;new 3'
for x in img d.tar o.tar; do
    "$DUFLAME" -f folded "$x" >out.folded 2>err.txt || { cat err.txt; fail "$x: exit $?"; }
    got=$(sed "s/^$x;//" out.folded | sort)
    [ "$got" = "$want" ] || fail "$x: final file system:
$got"
    "$DUFLAME" -f text "$x" >r.txt || fail "$x: report exit"
    grep -q "3 layers, .*(1,304 bytes) wasted by later layers" r.txt || { cat r.txt; fail "$x: wasted"; }
    grep -q "1000 B  1x  usr/bin/big$" r.txt || fail "$x: opaque directory's file"
done
echo ok
