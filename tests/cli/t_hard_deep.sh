#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A tree 20,000 levels deep (made with mkdir + chdir and relative names, as
# nothing else can make it) is scanned without exhausting the stack, by one
# thread and by many, also with a small stack (ulimit -s 1024: threads get
# stacks of that size too): every metric equals a count that Python makes
# through directory descriptors (and du's disk total), the deepest file sits
# at depth 20,001, and the SVG of it is well-formed XML with every level drawn.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

LEVELS=20000
python3 - "$LEVELS" <<'PY' || fail "cannot build the deep tree"
import os, sys
levels = int(sys.argv[1])
os.mkdir("deep")
os.chdir("deep")
for i in range(levels):
    os.mkdir("d")
    os.chdir("d")
    if i % 1000 == 0:
        with open("f", "wb") as f:
            f.write(b"x" * (i + 1))
with open("bottom", "wb") as f:
    f.write(b"b" * 4321)
PY

# count: disk bytes, apparent bytes and entries, walking by descriptors (an
# fd per pending directory, the parent closed once listed: any depth)
python3 - <<'PY' >want || fail "python cannot count the tree"
import os, stat
seen = set()
disk = app = n = 0
def add(st):
    global disk, app, n
    if st.st_nlink > 1 and not stat.S_ISDIR(st.st_mode):
        if (st.st_dev, st.st_ino) in seen:
            return
        seen.add((st.st_dev, st.st_ino))
    disk += st.st_blocks * 512
    app += st.st_size
    n += 1
fd = os.open("deep", os.O_RDONLY | os.O_DIRECTORY)
add(os.fstat(fd))
todo = [fd]
while todo:
    fd = todo.pop()
    subdirs = []
    with os.scandir(fd) as it:
        for e in it:
            st = os.stat(e.name, dir_fd=fd, follow_symlinks=False)
            add(st)
            if stat.S_ISDIR(st.st_mode):
                subdirs.append(e.name)
    for name in subdirs:
        todo.append(os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd))
    os.close(fd)
print(disk, app, n)
PY
read -r want_disk want_app want_n <want
[ "$want_n" = $((LEVELS / 1000 + LEVELS + 2)) ] || fail "python counted $want_n entries"
# du walks with fts (no recursion): its disk total must agree as well
du_disk=$(du_sum -sB1 deep)
[ "$du_disk" = "$want_disk" ] || fail "du says $du_disk bytes, python $want_disk"

# the total in the first line of the text report: "... (82,153,472 bytes)"
# or "Entries in deep: 20,022 entries"
report_total() {
    head -1 "$1" | sed -n 's/.*[ (]\([0-9][0-9,]*\) \(bytes)\|entries\)$/\1/p' | tr -d ,
}
# the folded text of a deep tree grows with the square of the depth (400 MB
# here): sum it and find the bottom's depth on the fly
"$DUFLAME" -q -j 1 -f folded deep 2>err |
    awk '{ s += $NF } /;bottom [0-9]+$/ { d = gsub(/;/, ";") } END { print s, d }' >sum
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || fail "-j 1 folded: exit $rc"
[ -s err ] && { head -c 500 err; fail "-j 1 folded: something was said on stderr"; }
read -r got depth <sum
[ "$got" = "$want_disk" ] || fail "-j 1 folded: disk $got, want $want_disk"
[ "$depth" = $((LEVELS + 1)) ] || fail "bottom at depth $depth, not $((LEVELS + 1))"

# many threads, each metric; then a small stack: the main thread's and
# (glibc takes RLIMIT_STACK) every worker's
check_report() { # LABEL WANT ULIMIT-S DUFLAME-ARGS...
    local label=$1 want=$2 stack=$3
    shift 3
    (ulimit -s "$stack" && exec "$DUFLAME" -q -f text "$@" deep) >report.txt 2>err
    local rc=$?
    [ $rc = 0 ] || { head -c 500 err; fail "$label: exit $rc"; }
    [ -s err ] && { head -c 500 err; fail "$label: something was said on stderr"; }
    [ "$(report_total report.txt)" = "$want" ] ||
        fail "$label: $(head -1 report.txt), want $want"
}
stack=$(ulimit -s)
check_report "-j 8" "$want_disk" "$stack" -j 8
check_report "-j 8 --apparent-size" "$want_app" "$stack" -j 8 --apparent-size
check_report "-j 8 --inodes" "$want_n" "$stack" -j 8 --inodes
check_report "ulimit -s 1024" "$want_disk" 1024
check_report "ulimit -s 1024 -j 1" "$want_disk" 1024 -j 1

# the picture of it (every level is drawn: each is as wide as the whole)
(ulimit -s 1024 && exec "$DUFLAME" -q -o deep.svg deep) 2>err || fail "svg: exit $?: $(head -c 300 err)"
python3 - "$LEVELS" deep.svg <<'PY' || fail "the SVG of the deep tree is not well-formed"
import sys, xml.etree.ElementTree as ET
levels = int(sys.argv[1])
for path in sys.argv[2:]:
    root = ET.parse(path).getroot()
    titles = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    if len(titles) < levels:
        sys.exit("%s: only %d frames" % (path, len(titles)))
PY

# clean up here, bottom-up with chdir: quicker than the runner's rm -rf
python3 - <<'PY' || fail "cannot remove the deep tree"
import os
depth = 0
os.chdir("deep")
while True:
    for e in os.listdir("."):
        if e != "d":
            os.unlink(e)
    if not os.path.isdir("d"):
        break
    os.chdir("d")
    depth += 1
for _ in range(depth):
    os.chdir("..")
    os.rmdir("d")
os.chdir("..")
os.rmdir("deep")
PY
echo ok
