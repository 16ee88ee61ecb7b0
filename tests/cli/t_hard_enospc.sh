#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A full disk: output to a 64 KiB tmpfs made here (skipped where it cannot be
# mounted). A run whose output does not fit (render, scan and diff; SVG and
# folded) exits 2 saying "No space left on device", and leaves the previous
# file byte for byte and no temporary file. A pipe closed early
# (`| head -1`) ends the run quietly.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
D=$DUFLAME

# a pipe closed early: quiet, killed by SIGPIPE or done
mkdir -p tree/a tree/b
for i in $(seq 200); do printf x >"tree/a/f$i"; done
"$D" -q -f folded tree 2>pipe.err | head -1 >first
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || [ "$rc" = 141 ] || fail "| head -1: exit $rc"
[ -s first ] || fail "| head -1: no line"
[ ! -s pipe.err ] || fail "| head -1: said $(head -c 300 pipe.err)"

mkdir mnt
if ! mount -t tmpfs -o size=64k duflame-enospc mnt 2>mount.err; then
    echo "skip: cannot mount a tmpfs here: $(head -1 mount.err)"
    exit 77
fi
trap 'umount mnt 2>/dev/null' EXIT

printf 'a;b 3\na;c 4\n' >small.folded
# about 300 KiB of SVG and 200 KiB of folded text: more than the tmpfs holds
awk 'BEGIN { for (i = 0; i < 4000; i++) printf "top;dir%d;file%d %d\n", i % 50, i, i + 1 }' >big.folded
mkdir -p big/d
for i in $(seq 3000); do : >"big/d/some-longer-file-name-$i"; done

no_temp() {
    local left
    left=$(find mnt -name '.*.??????' | head -3)
    [ -z "$left" ] || fail "$1: temporary files left: $left"
}
tested=0
for ext in svg folded; do
    "$D" render small.folded -o "mnt/out.$ext" 2>err || fail "render small -o mnt/out.$ext: $(cat err)"
    cp "mnt/out.$ext" prev
    for cmd in "render --minwidth 0 big.folded" "-q --inodes big" "diff small.folded big.folded"; do
        # shellcheck disable=SC2086
        "$D" $cmd -o "mnt/out.$ext" >stdout 2>err
        rc=$?
        [ $rc = 2 ] || fail "$cmd -o mnt/out.$ext on a full disk: exit $rc, not 2 ($(head -c 300 err))"
        grep -q '^duflame: .*No space left on device' err ||
            fail "$cmd -o mnt/out.$ext: message $(head -c 300 err)"
        cmp -s "mnt/out.$ext" prev || fail "$cmd -o mnt/out.$ext: the previous output was changed"
        no_temp "$cmd -o mnt/out.$ext"
        tested=$((tested + 1))
    done
done
# and there is room again afterwards: nothing was left taking it
rm -f mnt/out.*
used=$(df -k --output=used mnt | tail -1 | tr -d ' ')
[ "$used" -le 4 ] || fail "$used KiB still used on the tmpfs: $(ls -la mnt)"
"$D" render small.folded -o mnt/again.svg 2>err || fail "render after the failures: $(cat err)"
no_temp "end"
echo "ok ($tested runs out of space)"
