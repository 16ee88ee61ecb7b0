#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The progress line: on a terminal (a pty from script(1)) a scan that takes
# more than half a second draws "N entries ..." in place and clears it at the
# end; never with -q, never when stderr is not a terminal. Scans /usr (big
# enough to take that long); skipped when it is faster.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

command -v script >/dev/null || { echo "no script(1)"; exit 77; }
tree=${PROGRESS_TREE:-/usr}
s=$(date +%s%N)
"$DUFLAME" -q -j1 -f folded "$tree" -o /dev/null 2>/dev/null
ms=$((($(date +%s%N) - s) / 1000000))
[ $ms -ge 900 ] || { echo "scanning $tree takes only ${ms} ms"; exit 77; }

script -qec "'$DUFLAME' -j1 -f folded '$tree' -o /dev/null" /dev/null >tty.log 2>&1
grep -q 'entries' tty.log || fail "no progress line on a terminal: $(head -c 300 tty.log | od -c | head)"
# the line is cleared at the end: the last thing written is the clearing
tail -c 4 tty.log | od -An -c | tr -d ' \n' | grep -q '\\r033\[K$' ||
    fail "the progress line was not cleared: $(tail -c 80 tty.log | od -c | tail -3)"
script -qec "'$DUFLAME' -q -j1 -f folded '$tree' -o /dev/null" /dev/null >tty.log 2>&1
grep -q 'entries' tty.log && fail "a progress line with -q"
"$DUFLAME" -j1 -f folded "$tree" -o /dev/null 2>err
grep -q 'entries' err && fail "a progress line when stderr is not a terminal"
echo ok
