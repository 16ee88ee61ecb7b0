#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# -x/--one-file-system: entries on another file system than their PATH are
# left out, as du -x. Needs a mount point below a PATH: a tmpfs mounted here
# when allowed, else /dev (devtmpfs with /dev/shm, /dev/pts below); skipped
# when neither has one.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

mkdir -p t/sub t/mnt
head -c 9000 /dev/urandom >t/sub/f
if mount -t tmpfs -o size=4m tmpfs t/mnt 2>/dev/null; then
    trap 'umount t/mnt' EXIT
    head -c 100000 /dev/urandom >t/mnt/big
    mkdir t/mnt/d
    check_totals -x -- t
    check_totals -- t
    "$DUFLAME" -q -f folded -x t >f || fail "exit $?"
    grep -q '^t;mnt' f && fail "-x listed the mount point"
    grep -q '^t;sub;f ' f || fail "-x lost t/sub/f"
    "$DUFLAME" -q -f folded t >f || fail "exit $?"
    grep -q '^t;mnt;big ' f || fail "without -x the other file system is missing"
    echo ok
    exit 0
fi
dev_root=$(stat -c %d /dev)
sub=$(find /dev -mindepth 1 -maxdepth 1 -type d -exec stat -c %d {} + 2>/dev/null | grep -vxc "$dev_root")
[ "${sub:-0}" -gt 0 ] || { echo "no second file system to test -x with"; exit 77; }
check_totals -x -- /dev
echo ok
