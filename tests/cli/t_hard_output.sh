#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Output is written safely by every command (render, scan, diff): a run that
# fails (nothing valid to draw, a missing input, a target directory that
# cannot be written, a write that fails half way with "File too large")
# exits 2 with a message, leaves the previous output byte for byte and no
# temporary file; a run that works replaces the file by a rename (a new
# inode, never a truncated old one); a device node or FIFO given as the
# output is written, never replaced.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
D=$DUFLAME

printf 'a;b 3\na;c 4\n' >good.folded
printf 'a;b 5\na;d 1\n' >after.folded
printf 'no count here\n\n' >bad.folded
mkdir -p tree/sub
printf 'hello\n' >tree/sub/f

# no temporary file is left in the directory (names like .out.svg.XXXXXX)
no_temp() {
    local left
    left=$(find . -maxdepth 2 -name '.*.??????' | head -3)
    [ -z "$left" ] || fail "$1: temporary files left: $left"
}
# expect_fail LABEL OUTFILE CMD...: exit 2, a message, OUTFILE unchanged
expect_fail() {
    local label=$1 target=$2
    shift 2
    cp "$target" saved
    "$@" >stdout 2>err
    local rc=$?
    [ $rc = 2 ] || fail "$label: exit $rc, not 2 ($(head -c 300 err))"
    grep -q '^duflame: ' err || fail "$label: no message"
    cmp -s "$target" saved || fail "$label: the previous output was changed"
    no_temp "$label"
}

for ext in svg folded txt; do
    "$D" render good.folded -o "out.$ext" 2>err || fail "render -o out.$ext: exit $?"
    "$D" -q tree -o "scan.$ext" 2>err || fail "scan -o scan.$ext: exit $?"
    "$D" diff good.folded after.folded -o "diff.$ext" 2>err || fail "diff -o diff.$ext: exit $?"
done
[ -s out.svg ] && [ -s scan.svg ] && [ -s diff.svg ] || fail "no output written"
no_temp "successful runs"

# a run that works renames a new file into place
ino=$(stat -c %i out.svg)
"$D" render good.folded -o out.svg || fail "render again: exit $?"
[ "$(stat -c %i out.svg)" != "$ino" ] || fail "out.svg was rewritten in place, not renamed"

# failures of each command
expect_fail "render of no valid line" out.svg "$D" render bad.folded -o out.svg
expect_fail "render of a missing file" out.svg "$D" render missing.folded -o out.svg
expect_fail "diff of a missing BEFORE" diff.svg "$D" diff missing after.folded -o diff.svg
expect_fail "diff of no valid line" diff.folded "$D" diff bad.folded after.folded -o diff.folded
expect_fail "scan into a missing directory" scan.svg "$D" -q tree -o nodir/scan.svg
expect_fail "render into a missing directory" out.svg "$D" render good.folded -o nodir/x.svg
mkdir adir
expect_fail "render onto a directory" out.svg "$D" render good.folded -o adir
[ -d adir ] || fail "the directory given as output is gone"

# a write that fails half way (the file size limit; SIGXFSZ ignored, so the
# write returns EFBIG): the old file stays
big() { # a large valid input, so the SVG is larger than the limit
    awk 'BEGIN { for (i = 0; i < 3000; i++) printf "top;f%d %d\n", i, i + 1 }' >big.folded
}
big
tested=0
for cmd in "render big.folded" "-q --apparent-size tree" "diff good.folded big.folded"; do
    # shellcheck disable=SC2086
    "$D" $cmd -o fsz.svg 2>err || [ $? = 1 ] || fail "$cmd -o fsz.svg without a limit: $(cat err)"
    [ "$(stat -c %s fsz.svg)" -gt 0 ] || fail "$cmd: empty output"
    cp fsz.svg fsz.prev
    # the first run wrote fsz.svg whole; now allow less than that
    limit=$(($(stat -c %s fsz.svg) / 1024 / 2))
    [ "$limit" -ge 1 ] || limit=1
    # shellcheck disable=SC2086
    (trap '' XFSZ && ulimit -f "$limit" && exec "$D" $cmd -o fsz.svg) >stdout 2>err
    rc=$?
    if [ "$(stat -c %s fsz.svg)" -le $((limit * 1024)) ] && [ $rc = 0 ]; then
        continue # small enough to fit after all: nothing to test here
    fi
    [ $rc = 2 ] || fail "$cmd with ulimit -f $limit: exit $rc ($(head -c 300 err))"
    grep -q "^duflame: .*File too large" err ||
        fail "$cmd with ulimit -f: message $(head -c 300 err)"
    cmp -s fsz.svg fsz.prev || fail "$cmd with ulimit -f: the previous output was changed"
    no_temp "$cmd with ulimit -f"
    tested=$((tested + 1))
done
[ $tested -ge 2 ] || fail "only $tested commands failed under ulimit -f"

# an unwritable directory, as an unprivileged user (root writes anywhere)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
    setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
    mkdir ro
    cp out.svg ro/out.svg
    chmod 755 ro . && chmod 644 ro/out.svg good.folded
    expect_fail "render into a directory not writable" ro/out.svg \
        setpriv --reuid=nobody --regid=nogroup --clear-groups "$D" render good.folded -o ro/out.svg
    grep -q "cannot write 'ro/out.svg': Permission denied" err || fail "message: $(cat err)"
fi

# devices and FIFOs are written, not replaced
mkfifo fifo
cat fifo >from-fifo &
reader=$!
"$D" render good.folded -o fifo 2>err || fail "render -o fifo: exit $?"
wait $reader
[ -p fifo ] || fail "the FIFO was replaced"
grep -q '</svg>' from-fifo || fail "the SVG did not go through the FIFO"
if mknod null c 1 3 2>/dev/null; then
    "$D" render good.folded -o null 2>err || fail "render -o null: exit $?"
    "$D" -q tree -o null 2>err || fail "scan -o null: exit $?"
    "$D" diff good.folded after.folded -o null 2>err || fail "diff -o null: exit $?"
    [ -c null ] || fail "the device node was replaced by a file"
fi
no_temp "end"
echo ok
