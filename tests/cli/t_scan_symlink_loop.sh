#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Symbolic links: not followed by default (a link counts as itself); with
# -L/--dereference followed, and a directory met again (a loop, or a second
# link to it) is not entered again, as du -L. Always finishes.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

mkdir -p t/a/b t/c
head -c 3000 /dev/urandom >t/a/b/f
head -c 4000 /dev/urandom >t/c/g
ln -s .. t/a/b/up          # loop to an ancestor
ln -s ../../c t/a/b/toc    # a second way to c
ln -s ../a t/c/back        # loop through two links
ln -s nowhere t/c/dangling
ln -s b/f t/a/flink

for j in 1 3; do
    SCAN_EXTRA="-j $j" check_totals -- t
    SCAN_EXTRA="-j $j" check_totals -L -- t
    SCAN_EXTRA="-j $j" check_totals -L -- t/a t/c
    SCAN_EXTRA="-j $j" check_totals -L -- t/c/back
done
timeout 60 "$DUFLAME" -q -f folded -L t >f || fail "exit $?"
echo ok
