# SPDX-License-Identifier: BSD-2-Clause
# collapse dtrace and bpftrace: stackcollapse.pl's rules (three header lines
# skipped, offsets and C++ arguments dropped, "->" inlined frames, a leading
# Java 'L' dropped, sums sorted) and stackcollapse-bpftrace.pl's (each map
# entry one line, in input order, its count as printed)
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"
C=$DUFLAME_SRC/tests/cli/collapse
"$DUFLAME" collapse dtrace "$C/dtrace.txt" >out.txt || fail "dtrace: status $?"
diff -u "$C/dtrace.expected" out.txt || fail "dtrace output"
"$DUFLAME" collapse bpftrace "$C/bpftrace.txt" >out.txt || fail "bpftrace: status $?"
diff -u "$C/bpftrace.expected" out.txt || fail "bpftrace output"
# a stack cut off at the end: what came before is kept, the cut is said
head -n 16 "$C/bpftrace.txt" >cut.txt
set +e
"$DUFLAME" collapse bpftrace cut.txt >out.txt 2>err.txt
rc=$?
set -e
[ $rc = 1 ] || fail "cut bpftrace input: status $rc"
head -n 3 "$C/bpftrace.expected" | diff -u - out.txt || fail "cut bpftrace output"
grep -q "ends inside a record" err.txt || fail "cut not said"
# no stack at all
set +e
printf 'hello\nworld\n' | "$DUFLAME" collapse dtrace >out.txt 2>err.txt
rc=$?
set -e
[ $rc = 2 ] || fail "no dtrace stack: status $rc"
grep -q "no stacks found: the input is not DTrace stacks" err.txt || fail "no stack not said"
echo ok
