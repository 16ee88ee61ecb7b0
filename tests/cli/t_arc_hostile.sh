#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Hostile and broken archives, made here: a zstd stream of 16 GiB of zeros
# (bare, inside a tar, and as a tar member declared 16 GiB), a nested zip
# bomb that would expand to 4 TiB, a truncated tar.gz, random bytes, an
# archive needing an external program. Each must end (the harness has a
# timeout) under 256 MB of memory, keep what it read, and exit as documented.
set -u
fail() { echo "FAIL: $*"; exit 1; }
sum() { awk '{ s += $NF } END { printf "%d\n", s }' "$1"; }
command -v zstd >/dev/null || fail "zstd missing"
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing"; exit 77; }
# mem LIMIT_KB STATUS CMD...: run under /usr/bin/time, check exit status and peak RSS
mem() {
    local want=$1 st=$2; shift 2
    /usr/bin/time -f %M -o rss.txt "$@" 2>err.txt >/dev/null
    local rc=$?
    [ "$rc" = "$st" ] || { cat err.txt; fail "$*: exit $rc, expected $st"; }
    local kb; kb=$(tail -1 rss.txt)
    [ "$kb" -lt "$want" ] || fail "$*: peak RSS $kb KiB"
    echo "ok $* (exit $rc, ${kb} KiB)"
}

# 16 GiB of zeros as 256 zstd frames of 64 MiB each
head -c 64M /dev/zero | zstd -q -1 -c > frame.zst
for i in $(seq 256); do cat frame.zst; done > zeros.zst
[ "$(stat -c %s zeros.zst)" -lt 10000000 ] || fail "zeros.zst is too big"
# bare: a compressed file of zeros is a file, not an archive
mem 262144 0 "$DUFLAME" zeros.zst -f folded -o z.folded
grep -qx "zeros.zst $(stat -c %s zeros.zst)" z.folded || grep -q "^zeros.zst " z.folded ||
    fail "zeros.zst is not one frame"
# inside a tar: a member that is a file
tar cf holder.tar zeros.zst
mem 262144 0 "$DUFLAME" holder.tar -f folded -o h.folded
grep -qx "holder.tar;zeros.zst $(stat -c %s zeros.zst)" h.folded || fail "member zeros.zst"

# a tar.zst whose member is declared 16 GiB of zeros: stopped by --archive-bytes
python3 -c '
import tarfile, sys
i = tarfile.TarInfo("big.img"); i.size = 16 << 30
sys.stdout.buffer.write(i.tobuf(tarfile.GNU_FORMAT))' > head.bin
python3 -c '
import tarfile, sys
i = tarfile.TarInfo("first.txt"); i.size = 5
sys.stdout.buffer.write(i.tobuf(tarfile.GNU_FORMAT) + b"hello" + bytes(507))' > first.bin
{ cat first.bin head.bin | zstd -q -c; cat zeros.zst; } > bomb.tar.zst
mem 262144 1 "$DUFLAME" bomb.tar.zst -f folded -o b.folded
grep -q "bomb.tar.zst" err.txt && grep -q -- "--archive-bytes" err.txt || { cat err.txt; fail "limit warning"; }
grep -qx "bomb.tar.zst;first.txt 5" b.folded || fail "what was read before the limit is kept"
# a higher limit lets it through (reading 16 GiB of zeros is bounded by time,
# not memory; only the limit's arithmetic is checked here, with a small bomb)
head -c 8M /dev/zero | zstd -q -c > small.zst
python3 -c '
import tarfile, sys
i = tarfile.TarInfo("small.img"); i.size = 8 << 20
sys.stdout.buffer.write(i.tobuf(tarfile.GNU_FORMAT))' | zstd -q -c > shead.zst
cat shead.zst small.zst > sbomb.tar.zst
"$DUFLAME" --archive-bytes=1M sbomb.tar.zst -f folded -o s.folded 2>err.txt
[ $? = 1 ] || fail "--archive-bytes=1M: exit status"
grep -q "more than 1048576 extracted bytes" err.txt || { cat err.txt; fail "limit message"; }
"$DUFLAME" --archive-bytes=9M sbomb.tar.zst -f folded -o s.folded 2>err.txt ||
    { cat err.txt; fail "--archive-bytes=9M"; }
grep -qx "sbomb.tar.zst;small.img 8388608" s.folded || fail "small bomb size"

# a nested zip bomb: 16 zips of 16 zips of 64 members of 256 MiB of zeros
python3 - <<'PY'
import struct, zlib
def deflate(data_iter):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = b"".join(c.compress(d) for d in data_iter) + c.flush()
    return out
def zipfile_bytes(members):  # members: (name, compressed, size, crc)
    out, cd = bytearray(), bytearray()
    for name, comp, size, crc in members:
        n = name.encode()
        off = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0, crc,
                           len(comp), size, len(n), 0) + n + comp
        cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0, crc,
                          len(comp), size, len(n), 0, 0, 0, 0, 0, off) + n
    end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(members), len(members),
                      len(cd), len(out), 0)
    return bytes(out + cd + end)
zero = bytes(1 << 20)
leaf = deflate(zero for _ in range(256))
leafcrc = 0
for _ in range(256):
    leafcrc = zlib.crc32(zero, leafcrc)
l1 = zipfile_bytes([("zeros%02d.bin" % i, leaf, 256 << 20, leafcrc) for i in range(64)])
c1 = deflate([l1])
l2 = zipfile_bytes([("l1-%02d.zip" % i, c1, len(l1), zlib.crc32(l1)) for i in range(16)])
c2 = deflate([l2])
l3 = zipfile_bytes([("l2-%02d.zip" % i, c2, len(l2), zlib.crc32(l2)) for i in range(16)])
open("bomb.zip", "wb").write(l3)
PY
[ "$(stat -c %s bomb.zip)" -lt 5000000 ] || fail "bomb.zip is $(stat -c %s bomb.zip) bytes"
mem 262144 1 "$DUFLAME" bomb.zip -f folded -o z.folded
grep -q "bomb.zip" err.txt && grep -q -- "--archive-bytes" err.txt || { cat err.txt; fail "zip bomb warning"; }
grep -q '^bomb.zip;l2-00.zip;l1-00.zip;zeros00.bin 268435456$' z.folded || fail "zip bomb: nothing kept"
# the entries limit stops it too
mem 262144 1 "$DUFLAME" --archive-bytes=1P --archive-entries=500 bomb.zip -f folded -o e.folded
grep -q -- "--archive-entries" err.txt || { cat err.txt; fail "entries warning"; }
[ "$(wc -l < e.folded)" -le 500 ] || fail "more than 500 entries"
# and with scanning inside a tree (--archives), the totals still add up to du
mkdir tree && cp bomb.zip tree/
"$DUFLAME" --archives tree -f folded -o t.folded 2>err.txt
[ $? = 1 ] || fail "scan with a bomb: exit status"
[ "$(sum t.folded)" = "$(du -sB1 tree | cut -f1)" ] || fail "scan total with a bomb differs from du"

# a truncated tar.gz: what was read is kept, the archive and entry are named
mkdir -p src
for i in $(seq 1 40); do head -c 20000 /dev/urandom > src/f$i; done
tar czf full.tgz src
head -c $(( $(stat -c %s full.tgz) / 2 )) full.tgz > cut.tgz
mem 262144 1 "$DUFLAME" cut.tgz -f folded -o c.folded
grep -q "cut.tgz" err.txt || { cat err.txt; fail "truncation warning does not name the archive"; }
grep -q "src/f" err.txt || { cat err.txt; fail "truncation warning does not name the entry"; }
n=$(wc -l < c.folded)
[ "$n" -gt 5 ] && [ "$n" -lt 40 ] || fail "truncated: $n entries kept"
# a truncated tar.xz (decoded on several threads when there are several cores)
tar cJf full.txz src
head -c $(( $(stat -c %s full.txz) / 2 )) full.txz > cut.txz
mem 262144 1 "$DUFLAME" cut.txz -f folded -o x.folded
grep -q "cut.txz" err.txt && grep -q "src/f" err.txt || { cat err.txt; fail "truncated xz warning"; }
n=$(wc -l < x.folded)
[ "$n" -gt 5 ] && [ "$n" -lt 40 ] || fail "truncated xz: $n entries kept"
# corrupt bytes in the middle of the xz stream
cp full.txz bad.txz
printf 'XXXXXXXXXXXXXXXX' | dd of=bad.txz bs=1 seek=$(( $(stat -c %s full.txz) / 2 )) conv=notrunc 2>/dev/null
mem 262144 1 "$DUFLAME" bad.txz -f folded -o x.folded
grep -q "bad.txz" err.txt || { cat err.txt; fail "corrupt xz warning"; }
# the same truncated archive inside a tar: the outer one is read on
tar cf holds-cut.tar cut.tgz src/f1
"$DUFLAME" holds-cut.tar -f folded -o hc.folded 2>err.txt
[ $? = 1 ] || fail "nested truncated: exit status"
grep -q "holds-cut.tar/cut.tgz" err.txt || { cat err.txt; fail "nested truncation warning"; }
grep -qx "holds-cut.tar;src;f1 20000" hc.folded || fail "the outer archive was not read on"

# random bytes: a file; named like an archive: a message and exit 1
head -c 100000 /dev/urandom > random.bin
mem 262144 0 "$DUFLAME" random.bin -f folded -o r.folded
cp random.bin random.tar.gz
mem 262144 1 "$DUFLAME" random.tar.gz -f folded -o r.folded
grep -q "cannot read archive 'random.tar.gz'" err.txt || { cat err.txt; fail "message"; }
{ printf '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03'; head -c 5000 /dev/urandom; } > badgz.tar.gz
mem 262144 1 "$DUFLAME" badgz.tar.gz -f folded -o r.folded
: > empty.zip
mem 262144 1 "$DUFLAME" empty.zip -f folded -o r.folded
grep -q "empty.zip" err.txt || fail "empty.zip message"

# compression that needs an external program is rejected, never run
printf 'LRZI\x00\x06' > x.tar.lrz; head -c 1000 /dev/urandom >> x.tar.lrz
mem 262144 1 "$DUFLAME" x.tar.lrz -f folded -o r.folded
grep -q "external program" err.txt || { cat err.txt; fail "lrzip message"; }
exit 0
