#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A compressed tarball cut short (.tar.gz, .tar.xz, .tar.zst) keeps every
# member that was complete before the damage, as a plain .tar does: given as
# a PATH, on standard input and met by --archives; the warning names the
# archive, the exit status is 1. Cut within the first 64 KiB of decoded data
# too, where libarchive's own filters gave up before handing out a byte.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }
command -v zstd >/dev/null || { echo "zstd is not installed"; exit 77; }

mkdir -p small/src big/src
for i in $(seq 1 30); do head -c 3000 /dev/urandom >small/src/f$i; done
for i in $(seq 1 40); do head -c 20000 /dev/urandom >big/src/g$i; done
tar cf small.tar small
tar cf big.tar big

# complete DECODED: the regular members wholly inside a decoded prefix, as
# "NAME SIZE" lines
complete() {
    python3 - "$1" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
off = 0
while off + 512 <= len(d):
    h = d[off:off + 512]
    if h == bytes(512):
        break
    name = h[:100].rstrip(b"\0").decode()
    size = int(h[124:136].rstrip(b"\0 ") or b"0", 8)
    end = off + 512 + (size + 511) // 512 * 512
    if off + 512 + size > len(d):
        break
    if h[156:157] in (b"0", b"\0"):
        print(name.rstrip("/"), size)
    off = end
PY
}

# check NAME FOLDED: every complete member of the cut archive NAME is in
# the folded output, below the archive's frame, with its size
check() {
    local cut=$1 folded=$2 what=$3 n=0
    while read -r m size; do
        grep -q -- "$cut;${m//\//;} $size\$" "$folded" ||
            fail "$what: complete member $m ($size) lost: $(head -5 "$folded")"
        n=$((n + 1))
    done <want.txt
    [ "$n" -ge 3 ] || fail "$what: only $n complete members to look for (test data)"
}

for z in gz xz zst; do
    case $z in
    gz) c="gzip -c" d="gzip -dc" ;;
    xz) c="xz -c" d="xz -dc" ;;
    zst) c="zstd -q -c" d="zstd -q -dc" ;;
    esac
    for t in small big; do
        $c $t.tar >$t.tar.$z
        size=$(stat -c %s $t.tar.$z)
        # small: cut early (all within the first 64 KiB decoded); big: halfway
        [ $t = small ] && len=$((size / 3)) || len=$((size / 2))
        cut=cut-$t.tar.$z
        head -c $len $t.tar.$z >$cut
        $d $cut >prefix 2>/dev/null
        complete prefix >want.txt
        # zstd decodes whole blocks of up to 128 KiB: nothing to keep in small
        [ $z = zst ] && [ $t = small ] && continue
        rc=0
        "$DUFLAME" -q -f folded $cut >p.folded 2>p.err || rc=$?
        [ $rc = 1 ] || fail "$cut: exit $rc ($(cat p.err))"
        grep -q "cannot read archive '$cut'" p.err || fail "$cut: warning: $(cat p.err)"
        check "$cut" p.folded "$cut"
        rc=0
        "$DUFLAME" -q -f folded - <$cut >s.folded 2>s.err || rc=$?
        [ $rc = 1 ] || fail "$cut on stdin: exit $rc ($(cat s.err))"
        check "-" s.folded "$cut on stdin"
        mkdir -p dir && cp $cut dir/
        rc=0
        "$DUFLAME" -q -f folded --archives dir >d.folded 2>d.err || rc=$?
        [ $rc = 1 ] || fail "$cut in a scan: exit $rc ($(cat d.err))"
        grep -q "cannot read archive 'dir/$cut'" d.err || fail "$cut in a scan: $(cat d.err)"
        while read -r m _; do
            grep -q "^dir;$cut;${m//\//;} " d.folded || fail "$cut in a scan: $m lost"
        done <want.txt
        rm -rf dir
    done
done
echo ok
