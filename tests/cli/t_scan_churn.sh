#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A live file system: scans of a stable tree (24 directories of 15 files, each
# with a subdirectory of 15 more: 720 files, small so that a scan is quick) while another process, as fast
# as it can, makes and removes directories (with files and a subdirectory),
# files and symbolic links beside every stable directory, and swaps a
# directory for a file and (atomically, by renameat2 RENAME_EXCHANGE where
# it works) for a symbolic link to a bait directory outside the tree. For
# about 20 s (longer on a busy machine, up to 240 s, until 500 scans are
# done): every scan counts every stable file exactly once, nothing of
# the bait (a link is never followed), exits 0 or 1, and every message
# names a churned entry, never a stable one. At least 500 scans (40 under
# TSan, which runs each scan several times slower).
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"
D=$DUFLAME
SECONDS_TO_RUN=${CHURN_SECONDS:-20}
min=500
if ldd "$D" 2>/dev/null | grep -q libtsan; then
    min=40
fi

python3 - <<'PY' || fail "cannot build the tree"
import os
os.makedirs("bait/inner")
for i in range(50):
    open("bait/bait_%02d" % i, "w").close()
    open("bait/inner/bait_in_%02d" % i, "w").close()
for s in range(24):
    d = "root/s%02d" % s
    os.makedirs(d + "/d%02d" % s)
    for f in range(15):
        open("%s/keep.%03d" % (d, f), "w").close()
        open("%s/d%02d/keep.%03d" % (d, s, f), "w").close()
PY
nstable=720

# the churner: runs until killed
cat >churn.py <<'PY'
import ctypes, os, shutil, sys

root, bait = sys.argv[1], os.path.abspath(sys.argv[2])
libc = ctypes.CDLL(None, use_errno=True)
try:
    renameat2 = libc.renameat2
except AttributeError:
    renameat2 = None
AT_FDCWD, RENAME_EXCHANGE = -100, 2
places = [root] + ["%s/s%02d" % (root, s) for s in range(24)]
places += ["%s/s%02d/d%02d" % (root, s, s) for s in range(24)]

def quiet(f, *a):
    try:
        f(*a)
    except OSError:
        pass

def rm(p):
    if os.path.islink(p) or os.path.isfile(p):
        quiet(os.unlink, p)
    elif os.path.isdir(p):
        shutil.rmtree(p, ignore_errors=True)

def exchange(a, b):
    if renameat2 is None:
        return False
    return renameat2(AT_FDCWD, a.encode(), AT_FDCWD, b.encode(), RENAME_EXCHANGE) == 0

n = 0
while True:
    p = places[n % len(places)]
    n += 1
    # empty directories that come and go: the narrowest race, the most often
    for q in places:
        quiet(os.mkdir, q + "/c.e")
        quiet(os.rmdir, q + "/c.e")
    d = p + "/c.dir"
    quiet(os.makedirs, d + "/c.sub")
    for i in range(3):
        quiet(lambda: open("%s/c.f%d" % (d, i), "w").close())
    quiet(lambda: open(p + "/c.file", "w").close())
    quiet(os.symlink, bait, p + "/c.link")
    # a directory swapped for a symbolic link to the bait, and back
    w, l = p + "/c.swap", p + "/c.swaplink"
    quiet(os.makedirs, w + "/c.in")
    quiet(os.symlink, bait, l)
    if exchange(w, l):
        exchange(w, l)
    # a directory replaced by a file, then by a link
    rm(d)
    quiet(lambda: open(d, "w").close())
    rm(d)
    quiet(os.symlink, bait, d)
    rm(d)
    rm(p + "/c.file")
    rm(p + "/c.link")
    rm(w)
    rm(l)
PY
python3 churn.py root bait &
churner=$!
trap 'kill $churner 2>/dev/null' EXIT
sleep 0.3
kill -0 $churner 2>/dev/null || fail "the churner did not start"

# check FILES...: every out.* file holds each stable file once and nothing
# of the bait; every line of every err.* file is about a churned entry (c.*)
check() {
    local nout=0 f
    for f in "$@"; do
        case $f in out.*) nout=$((nout + 1)) ;; esac
    done
    awk -v want=$nstable -v nout=$nout '
        function finish() {
            if (cur !~ /^out/) return
            outs++
            if (n != want || dup) { print cur ": stable files " n ", twice " dup ", want " want; bad = 1 }
        }
        FNR == 1 { finish(); cur = FILENAME; n = 0; dup = 0; delete seen }
        cur ~ /^out/ && /^root;s[0-9][0-9];(d[0-9][0-9];)?keep\.[0-9]+ 1$/ {
            if (seen[$0]++) dup++; else n++
        }
        cur ~ /^out/ && /bait/ { print cur ": a link was followed: " $0; bad = 1 }
        cur ~ /^err/ && !/^duflame: [a-z ]*\x27[^\x27]*\/c\.[a-z0-9]*(\/[^\x27]*)?\x27: / {
            print cur ": not about a churned entry: " $0; bad = 1
        }
        END { finish(); if (outs != nout) { print "only " outs " of " nout " outputs read"; bad = 1 }
              exit bad }' "$@"
}

# scan_loop ID JOBS: scan (with option JOBS) until the deadline and until $min scans are done by both
# loops (up to a cap), checking the outputs 50 at a time (one awk for many
# scans: starting processes is what costs most on a busy machine); the
# number of scans goes to count.ID, a failure to failed.ID
scan_loop() {
    local id=$1 jobs=$2 n=0 rc other batch=()
    while :; do
        local now=${EPOCHREALTIME/./}
        [ "$now" -lt "$cap" ] || break
        if [ "$now" -ge "$end" ]; then
            other=0
            read -r other <"count.$((1 - id))" 2>/dev/null
            [ $((n + ${other:-0})) -lt "$min" ] || break
        fi
        n=$((n + 1))
        # shellcheck disable=SC2086
        "$D" -q -f folded --inodes $jobs root >"out.$id.$n" 2>"err.$id.$n"
        rc=$?
        echo $n >"count.$id"
        if [ $rc -gt 1 ]; then
            { cat "err.$id.$n"; echo "scan $n: exit $rc"; } >"failed.$id"
            return
        fi
        batch+=("out.$id.$n" "err.$id.$n")
        if [ ${#batch[@]} -ge 100 ]; then
            check "${batch[@]}" >"failed.$id" || return
            rm -f "${batch[@]}" "failed.$id"
            batch=()
        fi
    done
    if [ ${#batch[@]} -gt 0 ]; then
        check "${batch[@]}" >"failed.$id" || return
    fi
    rm -f "${batch[@]}" "failed.$id"
}

# two loops, one walking on one thread (one walk of the whole tree: a walker
# that gave up the rest of its walk would lose stable files), one with the
# default threads (directories handed between threads), so that both cores
# scan when the machine is idle; past the 20 s, a busy machine (other jobs)
# gets up to 240 s to reach $min scans
echo 0 >count.0
echo 0 >count.1
start=${EPOCHREALTIME/./}
end=$((start + SECONDS_TO_RUN * 1000000))
cap=$((start + 240 * 1000000))
scan_loop 0 "-j 1" &
l0=$!
scan_loop 1 "" &
l1=$!
wait $l0 $l1
secs=$(((${EPOCHREALTIME/./} - start) / 1000000))
kill $churner 2>/dev/null
wait $churner 2>/dev/null
for id in 0 1; do
    [ -f "failed.$id" ] && fail "$(head -20 "failed.$id")"
done
read -r c0 <count.0
read -r c1 <count.1
scans=$((c0 + c1))
echo "scans: $scans in ${secs}s (at least $min wanted), $nstable stable files each time"
[ "$scans" -ge $min ] || fail "only $scans scans in ${secs}s, at least $min wanted"
echo ok
