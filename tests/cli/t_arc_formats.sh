#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Archives as input, one per format and compression, built here: the folded
# total must equal the bytes of the regular files inside as Python's tarfile /
# zipfile (or the tools' own listings) count them, and the entry count the
# number of entries.
set -u
fail() { echo "FAIL: $*"; exit 1; }
sum() { awk '{ s += $NF } END { printf "%d\n", s }' "$1"; }
run() { # run ARCHIVE [options]: folded output in out.folded, exit status checked
    local a=$1; shift
    "$DUFLAME" "$@" "$a" -f folded -o out.folded 2>err.txt
    local rc=$?
    [ $rc = 0 ] || { cat err.txt; fail "$a: exit $rc"; }
    [ -s err.txt ] && { cat err.txt; fail "$a: unexpected warnings"; }
    return 0
}
check() { # check ARCHIVE EXPECTED_BYTES [EXPECTED_ENTRIES]
    run "$1"
    local got; got=$(sum out.folded)
    [ "$got" = "$2" ] || fail "$1: folded total $got, expected $2"
    grep -q '^all;' out.folded && fail "$1: the root is not the archive's name"
    grep -q "^$1" out.folded || fail "$1: lines do not start with the archive's name"
    if [ $# -ge 3 ]; then
        run "$1" --inodes
        got=$(sum out.folded)
        [ "$got" = "$3" ] || fail "$1: entry count $got, expected $3"
    fi
    echo "ok $1 $2"
}

# a tree with directories, empty files, a binary and a symlink
mkdir -p src/d1/d2 src/empty
printf 'hello\n' > src/a.txt
: > src/zero
head -c 70000 /dev/urandom > src/d1/rand.bin
seq 1 20000 > src/d1/d2/seq.txt
ln -s a.txt src/link
tar cf plain.tar src
read -r bytes entries < <(python3 -c '
import tarfile
ms = tarfile.open("plain.tar").getmembers()
print(sum(m.size for m in ms if m.isreg()), len(ms))')
[ "$bytes" -gt 100000 ] || fail "python count $bytes"
check plain.tar "$bytes" "$entries"

for c in gzip bzip2 xz lzma zstd lz4; do
    command -v $c >/dev/null || fail "$c is not installed"
    $c -c < plain.tar > "plain.tar.$c"
    check "plain.tar.$c" "$bytes" "$entries"
done

# zip without data descriptors (seekable output) and with them (a pipe)
python3 - <<'PY'
import zipfile, os, sys
def add(z):
    for root, dirs, files in os.walk("src"):
        for d in dirs:
            z.write(os.path.join(root, d))
        for f in files:
            p = os.path.join(root, f)
            if not os.path.islink(p):
                z.write(p, compress_type=zipfile.ZIP_DEFLATED)
with zipfile.ZipFile("plain.zip", "w") as z:
    add(z)
class Pipe:  # a non-seekable stream: zipfile writes data descriptors
    def __init__(s, f): s.f = f
    def write(s, b): return s.f.write(b)
    def flush(s): s.f.flush()
with open("desc.zip", "wb") as f:
    with zipfile.ZipFile(Pipe(f), "w") as z:
        add(z)
PY
zbytes=$(python3 -c '
import zipfile
print(sum(i.file_size for i in zipfile.ZipFile("plain.zip").infolist() if not i.is_dir()))')
zentries=$(python3 -c 'import zipfile; print(len(zipfile.ZipFile("plain.zip").infolist()))')
python3 -c '
import zipfile, sys
z = zipfile.ZipFile("desc.zip")
assert any(i.flag_bits & 8 for i in z.infolist()), "no data descriptors"' || fail "desc.zip has no data descriptors"
check plain.zip "$zbytes" "$zentries"
check desc.zip "$zbytes" "$zentries"
# the same zip through a pipe: it must be held whole (zip needs seeking)
"$DUFLAME" - -f folded < desc.zip > pipe.folded 2>err.txt || { cat err.txt; fail "zip on stdin"; }
[ "$(sum pipe.folded)" = "$zbytes" ] || fail "zip on stdin: $(sum pipe.folded) != $zbytes"
grep -q '^-;src;d1;rand.bin 70000$' pipe.folded || fail "zip on stdin: no '-;src;d1;rand.bin 70000'"
cat plain.tar.xz | "$DUFLAME" - -f folded > pipe.folded 2>err.txt || fail "tar.xz on stdin"
[ "$(sum pipe.folded)" = "$bytes" ] || fail "tar.xz on stdin: $(sum pipe.folded) != $bytes"

# 7z (p7zip), cpio (newc and odc), iso9660 (genisoimage), ar
if command -v 7z >/dev/null; then
    7z a -bd plain.7z src "-xr!link" >/dev/null || fail "7z a"
    b7=$(7z l -slt plain.7z | awk '/^Path = /{p=1} /^Attributes = D/{d=1} /^Size = /{s=$3} /^$/{ if (p && !d) t+=s; p=d=0; s=0 } END { print t+0 }')
    check plain.7z "$b7"
fi
find src -depth -print | cpio -o -H newc > plain.cpio 2>/dev/null || fail "cpio"
find src -depth -print | cpio -o -H odc > odc.cpio 2>/dev/null || fail "cpio odc"
cb=$(find src -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
check plain.cpio "$cb"
check odc.cpio "$cb"
if command -v genisoimage >/dev/null; then
    genisoimage -quiet -R -o plain.iso src 2>/dev/null || fail "genisoimage"
    check plain.iso "$cb"
fi
(cd src/d1 && ar rc ../../plain.a rand.bin d2/seq.txt) || fail "ar"
ab=$(( $(stat -c %s src/d1/rand.bin) + $(stat -c %s src/d1/d2/seq.txt) ))
check plain.a "$ab" 2
exit 0
