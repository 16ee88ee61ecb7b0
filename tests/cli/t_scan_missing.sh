#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A PATH that does not exist: a message naming it, the other PATHs still
# scanned, exit 1. Nothing at all to scan writes nothing (no empty report,
# no empty SVG), with exit status 1 as du.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

mkdir -p a
head -c 4096 /dev/urandom >a/f
"$DUFLAME" -q -f folded a no-such 'bad;name' >f 2>err
rc=$?
[ $rc = 1 ] || fail "exit status $rc, not 1"
grep -qx "duflame: cannot access 'no-such': No such file or directory" err || fail "message: $(cat err)"
grep -q "cannot access 'bad;name'" err || fail "message: $(cat err)"
[ "$(wc -l <err)" = 2 ] || fail "not once each: $(cat err)"
[ "$(folded_sum f)" = "$(du_sum -sB1 a)" ] || fail "a was not scanned whole"

"$DUFLAME" -q -f folded no-such >f 2>err
[ $? = 1 ] || fail "only a missing PATH: exit status not 1"
[ -s f ] && fail "output for nothing"
"$DUFLAME" -q -o out.svg no-such 2>/dev/null
[ $? = 1 ] || fail "svg of nothing: exit status not 1"
[ -e out.svg ] && fail "an SVG of nothing was written"
"$DUFLAME" -q no-such >f 2>/dev/null
[ $? = 1 ] || fail "report of nothing: exit status not 1"
[ -s f ] && fail "a report of nothing was written: $(cat f)"
echo ok
