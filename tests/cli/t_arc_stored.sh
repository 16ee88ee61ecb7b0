#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# --metric=stored: every archive's entries and its "(archive overhead)" add up
# to the archive's size exactly, for each format and compression; an entry's
# stored bytes are exact where the format records them (tar, zip, cpio, ar:
# compared with Python's tarfile and zipfile), and compressed bytes that
# follow the data (a random file costs more than a larger text); a nested
# archive's entries share its bytes in the outer one; a plain file's stored
# bytes are its disk usage; the report lists the worst compressed entries.
set -u
fail() { echo "FAIL: $*"; exit 1; }
sum() { awk '{ s += $NF } END { printf "%d\n", s }' "$1"; }
line() { awk -v p="$1" '{ v = $NF; $NF = ""; sub(/ $/, ""); if ($0 == p) print v }' "$2"; }
stored() { # stored ARCHIVE: folded stored bytes into out.folded, no warnings
    "$DUFLAME" --metric=stored -f folded -o out.folded "$1" 2>err.txt
    local rc=$?
    [ $rc = 0 ] || { cat err.txt; fail "$1: exit $rc"; }
    [ -s err.txt ] && { cat err.txt; fail "$1: unexpected warnings"; }
    return 0
}
total() { # total ARCHIVE: stored bytes add up to the file's size
    stored "$1"
    local got size; got=$(sum out.folded); size=$(stat -c %s "$1")
    [ "$got" = "$size" ] || { cat out.folded; fail "$1: stored total $got, file size $size"; }
    echo "ok total $1 $size"
}

mkdir -p d/sub
head -c 600000 /dev/urandom > d/rand
yes 'the same line again' | head -c 1200000 > d/text
printf 'hi\n' > d/sub/small

# tar: each member's header, data and padding
tar --format=ustar -cf a.tar d
total a.tar
python3 - <<'PY' > want.txt
import tarfile
ms = tarfile.open("a.tar").getmembers()
for i, m in enumerate(ms):
    end = ms[i + 1].offset if i + 1 < len(ms) else m.offset_data + (m.size + 511) // 512 * 512
    print("a.tar;" + m.name.rstrip("/").replace("/", ";"), end - m.offset)
PY
while read -r path want; do
    got=$(line "$path" out.folded)
    [ "$got" = "$want" ] || fail "a.tar: $path stored $got, tarfile says $want"
done < want.txt
grep -q '^a.tar;(archive overhead) ' out.folded || fail "a.tar: no overhead line"
echo "ok tar members"

# zip, deflated and stored: local header, data (and descriptor) of each
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("a.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write("d/rand", "rand")
    z.write("d/text", "text")
    z.write("d/sub/small", "sub/small", compress_type=zipfile.ZIP_STORED)
PY
total a.zip
python3 - <<'PY' > want.txt
import zipfile
z = zipfile.ZipFile("a.zip")
infos = sorted(z.infolist(), key=lambda i: i.header_offset)
for k, i in enumerate(infos):
    end = infos[k + 1].header_offset if k + 1 < len(infos) else z.start_dir
    # the local header: 30 bytes, the name, the extra field
    assert end - i.header_offset >= i.compress_size + 30 + len(i.filename)
    print("a.zip;" + i.filename.replace("/", ";"), end - i.header_offset, i.compress_size)
PY
while read -r path want csize; do
    got=$(line "$path" out.folded)
    [ "$got" = "$want" ] || fail "a.zip: $path stored $got, zipfile says $want"
done < want.txt
echo "ok zip members"

# cpio (newc) and ar: sums, and the random file costs its size plus a header
(cd d && printf 'rand\ntext\n' | cpio -o -H newc > ../a.cpio 2>/dev/null)
total a.cpio
got=$(line "a.cpio;rand" out.folded)
[ "$got" -ge 600000 ] && [ "$got" -lt 600200 ] || fail "a.cpio: rand stored $got"
(cd d && ar rc ../a.a rand text)
total a.a
got=$(line "a.a;text" out.folded)
[ "$got" = 1200060 ] || fail "a.a: text stored $got, expected 60 + 1200000"
# 7z: a folder (solid block) compresses its files together: its packed bytes
# are shared out among them by unpacked size; a non-solid 7z's files each
# get their own packed size (compared with `7z l -slt`)
if command -v 7z >/dev/null; then
    : >d/empty
    (cd d && 7z a -bd ../a.7z rand text sub empty >/dev/null) || fail "7z failed"
    total a.7z
    folder=$(7z l -slt a.7z | awk -F' = ' '$1 == "Packed Size" && $2 > 0 { s += $2 } END { print s }')
    r=$(line "a.7z;rand" out.folded); t=$(line "a.7z;text" out.folded); s=$(line "a.7z;sub;small" out.folded)
    # 600000, 1200000 and 3 of 1800003 unpacked bytes: the shares, rounded cumulatively
    want_r=$(python3 -c "print($folder * 600000 // 1800003)")
    [ "$r" -ge $((want_r - 1)) ] && [ "$r" -le $((want_r + 1)) ] || fail "a.7z: rand stored $r, its share $want_r"
    [ $((r + t + s)) = "$folder" ] || fail "a.7z: shares $r + $t + $s are not the folder's $folder"
    [ "$t" -gt $((r * 2 - 2)) ] || fail "a.7z: text $t is not twice rand's $r"
    [ -z "$(line "a.7z;empty" out.folded)" ] || fail "a.7z: an empty file has stored bytes"
    for opts in "-ms=off" "-ms=off -mhc=off"; do
        rm -f n.7z
        # shellcheck disable=SC2086
        (cd d && 7z a -bd $opts ../n.7z rand text sub empty >/dev/null) || fail "7z $opts failed"
        total n.7z
        7z l -slt n.7z | awk -F' = ' '$1 == "Path" { p = $2 } $1 == "Packed Size" && $2 > 0 { print "n.7z;" p, $2 }' |
            tr / ';' >want.txt
        [ "$(wc -l <want.txt)" = 3 ] || { cat want.txt; fail "7z l: not three packed files"; }
        while read -r path want; do
            got=$(line "$path" out.folded)
            [ "$got" = "$want" ] || fail "n.7z ($opts): $path stored $got, 7z says $want"
        done <want.txt
    done
    echo "ok 7z folders"
else
    echo "skip 7z: not installed"
fi

# compressed streams: the compressed bytes read while each entry was read
# (bzip2 and lz4 only to their blocks: the sum only)
for c in gzip xz zstd bzip2 lz4; do
    command -v $c >/dev/null || fail "$c is not installed"
    $c -c < a.tar > "a.tar.$c"
    total "a.tar.$c"
    case $c in bzip2 | lz4) continue ;; esac
    r=$(line "a.tar.$c;d;rand" out.folded); t=$(line "a.tar.$c;d;text" out.folded)
    [ "$r" -gt $((t * 4)) ] || fail "a.tar.$c: rand stored $r is not well above text's $t"
done
# gzip and xz decoded here: within a few KiB of the truth
r=$(line "a.tar.gzip;d;rand" <(stored a.tar.gzip; cat out.folded))
[ "$r" -gt 590000 ] && [ "$r" -lt 615000 ] || fail "a.tar.gzip: rand stored $r, not about 600000"

# a nested archive: its entries share its bytes in the outer archive
cp a.zip inner.zip
tar -czf nest.tgz inner.zip a.tar
total nest.tgz
inner=$(grep '^nest.tgz;inner.zip;' out.folded | awk '{ s += $NF } END { print s }')
[ "$inner" -gt 590000 ] || fail "nest.tgz: inner.zip's entries have $inner stored bytes"
grep -q '^nest.tgz;inner.zip;(archive overhead) ' out.folded || fail "nested overhead missing"

# a scan: stored = disk usage for plain files, archives shared out below
mkdir s && cp a.zip a.tar.gzip s/ && cp -r d s/
"$DUFLAME" --archives -f folded -o disk.folded s 2>err.txt || fail "scan: exit $?"
"$DUFLAME" --archives --metric=stored -f folded -o st.folded s 2>err.txt || fail "scan stored: exit $?"
[ "$(sum disk.folded)" = "$(sum st.folded)" ] || fail "scan: stored $(sum st.folded), disk $(sum disk.folded)"
[ "$(line 's;d;rand' st.folded)" = "$(line 's;d;rand' disk.folded)" ] || fail "scan: plain file"
grep -q '^s;a.zip;rand ' st.folded || fail "scan: archive entries not shown"

# the other names of the metric, and a bad one
"$DUFLAME" --metric=entries -f folded -o e.folded a.tar || fail "--metric=entries"
"$DUFLAME" --inodes -f folded -o i.folded a.tar || fail "--inodes"
cmp -s e.folded i.folded || fail "--metric=entries differs from --inodes"
"$DUFLAME" --metric=apparent -f folded -o a.folded s || fail "--metric=apparent"
"$DUFLAME" --apparent-size -f folded -o b.folded s || fail "--apparent-size"
cmp -s a.folded b.folded || fail "--metric=apparent differs from --apparent-size"
"$DUFLAME" --inodes --metric=stored -f folded -o x.folded a.tar || fail "--metric after --inodes"
[ "$(sum x.folded)" = "$(stat -c %s a.tar)" ] || fail "--metric does not win over --inodes"
"$DUFLAME" --metric=bogus a.tar >/dev/null 2>err.txt
[ $? = 2 ] || fail "--metric=bogus: not exit 2"
grep -q "invalid --metric 'bogus'" err.txt || { cat err.txt; fail "--metric=bogus: message"; }

# the report says which metric, and lists the worst compressed entries
"$DUFLAME" --metric=stored a.tar.gzip > report.txt 2>err.txt || fail "report: exit $?"
head -1 report.txt | grep -q '^Stored size of a.tar.gzip: ' || { head -1 report.txt; fail "report title"; }
grep -A1 '^Worst compressed' report.txt | tail -1 | grep -q 'a.tar.gzip/d/rand$' ||
    { cat report.txt; fail "report: rand is not the worst compressed"; }
grep -A3 '^Worst compressed' report.txt | grep -q 'd/sub/small' && fail "report: a tiny file listed"

# an ncdu export has no stored bytes: no overhead entry in it
"$DUFLAME" -f ncdu -o a.ncdu a.tar.gzip || fail "ncdu export"
grep -q 'archive overhead' a.ncdu && fail "ncdu export holds the overhead entry"
# ...and read back, its files are stored as they are on disk
"$DUFLAME" --metric=stored -f folded -o n1.folded a.ncdu || fail "ncdu input, stored"
"$DUFLAME" -f folded -o n2.folded a.ncdu || fail "ncdu input, disk"
cmp -s n1.folded n2.folded || fail "ncdu input: stored differs from disk usage"
[ "$(sum n1.folded)" -gt 0 ] || fail "ncdu input: no stored bytes"
echo "ok"
