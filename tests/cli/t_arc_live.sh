#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Archives rewritten while they are read: a writer process keeps making the
# archives of churn/ shorter (truncate), longer (append), rewritten in place
# and replaced (a new file renamed over), while duflame reads them, found by
# --archives in a scan and given as a PATH, for about LIVE_SECONDS (10).
# Every run: no signal and no sanitizer report, no hang, exit 0 or 1 with a
# message (every message names a churned archive), and the stable tree
# beside them is counted whole (du's disk usage, apparent size, entries).
# At least one run must have said that an archive changed or broke, else no
# read overlapped a write and the test proved nothing.
set -u
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed"; exit 77; }

secs=${LIVE_SECONDS:-10}

# the stable part (12 directories of 25 files) and the archives' members:
# big enough that reading an archive takes a while (many members, the
# compressed formats decoded as they are read)
mkdir -p src/m churn orig
python3 - <<'GEN' || fail "python3"
import os, random
random.seed(7)
for d in range(1, 13):
    os.makedirs("stable/d%d" % d)
    for f in range(1, 26):
        with open("stable/d%d/f%d" % (d, f), "wb") as o:
            o.write(bytes(d * 100 + f * 7))
words = [("w%05d" % i).encode() for i in range(5000)]
line = b" ".join(random.choice(words) for _ in range(4000))
for i in range(800):
    n = random.randrange(2000, 12000)
    with open("src/m/f%04d.txt" % i, "wb") as f:
        f.write(line[i % 1000:i % 1000 + n])
GEN
tar cf orig/a.tar -C src m || fail "tar"
gzip -1 -c orig/a.tar >orig/b.tar.gz || fail "gzip"
xz -0 -T1 -c orig/a.tar >orig/c.tar.xz || fail "xz"
(cd src && python3 -c '
import zipfile, os
with zipfile.ZipFile("../orig/d.zip", "w", zipfile.ZIP_DEFLATED) as z:
    for n in sorted(os.listdir("m")):
        z.write("m/" + n)') || fail "zip"
head -c 1000000 /dev/urandom >junk
cp orig/* churn/

# writer: change every archive, one way or another, until told to stop
writer() {
    local i=0 f base size
    while [ ! -e stop ]; do
        for f in churn/*; do
            base=$(basename "$f")
            size=$(stat -c %s "orig/$base")
            case $((i % 5)) in
            0) truncate -s $((size / 3)) "$f" ;;
            1) cat junk >>"$f" ;;
            2) cp "orig/$base" "$f.new" && mv -f "$f.new" "$f" ;;
            3) cat "orig/$base" >"$f" ;;
            4) cp "orig/a.tar" "$f.new" && mv -f "$f.new" "$f" ;;
            esac
            i=$((i + 1))
        done
    done
}

want_disk=$(du -sB1 stable | cut -f1)
want_app=$(du -sb stable | cut -f1)
want_ino=$(du -s --inodes stable | cut -f1)

# stable_sum FOLDED: the total of the lines under stable/
stable_sum() {
    awk '$0 ~ /^stable[ ;]/ { s += $NF } END { printf "%d\n", s }' "$1"
}

# check_run RC WHAT: the run's exit status and messages
check_run() {
    local rc=$1 what=$2
    [ "$rc" != 124 ] || fail "$what: still running after 60 s"
    [ "$rc" -lt 128 ] || { cat err.txt >&2; fail "$what: killed by signal $((rc - 128))"; }
    if grep -q -E 'Sanitizer|runtime error|LeakSanitizer' err.txt; then
        cat err.txt >&2
        fail "$what: sanitizer report"
    fi
    [ "$rc" -le 1 ] || { cat err.txt >&2; fail "$what: exit $rc"; }
    if [ "$rc" = 1 ]; then
        [ -s err.txt ] || fail "$what: exit 1 without a message"
    fi
    if grep -v -q "^duflame: .*churn/" err.txt; then
        cat err.txt >&2
        fail "$what: a message that names no churned archive"
    fi
    if [ -s err.txt ]; then
        said=$((said + 1))
    fi
}

writer &
wpid=$!
trap 'touch stop; wait $wpid 2>/dev/null' EXIT

end=$((SECONDS + secs))
runs=0 said=0
m=0
while [ $SECONDS -lt $end ] || [ $runs -lt 3 ]; do
    case $((m % 3)) in
    0) opt= want=$want_disk ;;
    1) opt=--apparent-size want=$want_app ;;
    2) opt=--inodes want=$want_ino ;;
    esac
    timeout 60 "$DUFLAME" -q -f folded --archives $opt stable churn >out.folded 2>err.txt
    check_run $? "--archives $opt"
    got=$(stable_sum out.folded)
    [ "$got" = "$want" ] || fail "--archives $opt: stable part $got, du says $want"
    f=$(ls churn | sed -n "$((m % 4 + 1))p")
    if [ -n "$f" ] && [ "${f%.new}" = "$f" ]; then
        timeout 60 "$DUFLAME" -q -f folded $opt "churn/$f" stable >out.folded 2>err.txt
        check_run $? "PATH churn/$f $opt"
        got=$(stable_sum out.folded)
        [ "$got" = "$want" ] || fail "PATH churn/$f $opt: stable part $got, du says $want"
    fi
    runs=$((runs + 1))
    m=$((m + 1))
done
touch stop
wait $wpid
trap - EXIT
echo "$runs rounds, $said runs said something changed or broke"
[ "$said" -gt 0 ] || fail "no read overlapped a write (archives too small?)"
exit 0
