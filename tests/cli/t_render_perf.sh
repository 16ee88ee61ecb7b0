# SPDX-License-Identifier: BSD-2-Clause
# render reads a profiler's text: `perf script` output on a file or a pipe is
# collapsed first (said on stderr) and draws what collapse perf's folded
# stacks draw; a perf.data file goes through perf script (where perf can
# record here); input that is mostly not folded stacks gets a message naming
# the format and the collapse command to try.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"
C=$DUFLAME_SRC/tests/cli/collapse
"$DUFLAME" render "$C/samples.default" >want.svg || fail "render folded"
"$DUFLAME" render "$C/samples.txt" >a.svg 2>err.txt || fail "render perf text: status $?"
cmp want.svg a.svg || fail "perf text draws other frames than its collapse"
grep -q "is perf script text: collapsing it" err.txt || fail "collapsing not said"
"$DUFLAME" render -o b.svg <"$C/samples.txt" 2>err.txt || fail "render perf text from a pipe"
cmp want.svg b.svg || fail "pipe"
grep -q "'standard input' is perf script text" err.txt || fail "pipe: collapsing not said"
# perf text with unknown lines: drawn, said, status 1
set +e
"$DUFLAME" render "$C/srcline.txt" >c.svg 2>err.txt
rc=$?
[ $rc = 1 ] || fail "perf text with unknown lines: status $rc"
grep -q "skipped 4 lines that are not \`perf script\` text" err.txt || fail "unknown lines not said"
# DTrace and bpftrace text: what to try instead
"$DUFLAME" render "$C/dtrace.txt" >/dev/null 2>err.txt
grep -q "is not folded stacks (\"frame;frame;frame COUNT\" lines): for a profiler's output try 'duflame collapse perf|dtrace|bpftrace'" err.txt ||
    fail "dtrace text: no hint"
"$DUFLAME" render "$C/bpftrace.txt" >/dev/null 2>err.txt
grep -q "try 'duflame collapse bpftrace'" err.txt || fail "bpftrace text: no hint"
printf 'PERFILE2\0\0\0\0' >fake.data
PATH=/nonexistent "$DUFLAME" render fake.data >/dev/null 2>err.txt
rc=$?
[ $rc = 2 ] || fail "perf.data without perf: status $rc"
grep -q "'fake.data' is a perf.data file, and reading it needs perf: as root, 'apt-get install linux-perf'" err.txt ||
    fail "perf.data without perf not said: $(cat err.txt)"
set -e
# folded input is unchanged: no message
"$DUFLAME" render "$C/samples.default" >/dev/null 2>err.txt
[ ! -s err.txt ] || fail "folded input: $(cat err.txt)"

# a real perf.data
. "$DUFLAME_SRC/tests/cli/prof/lib.sh"
prof_need_perf
prof_build
perf record -q -F 999 -g -e cpu-clock -o prof.data ./prof_cpu 30 >/dev/null 2>&1 || fail "perf record"
perf script -i prof.data 2>/dev/null | "$DUFLAME" collapse perf | "$DUFLAME" render >want.svg
"$DUFLAME" render prof.data >d.svg 2>err.txt || fail "render perf.data: status $?"
cmp want.svg d.svg || fail "perf.data draws other frames"
grep -q "'prof.data' is a perf.data file: reading it through perf script" err.txt || fail "perf.data not said"
"$DUFLAME" render <prof.data >e.svg 2>/dev/null || fail "perf.data on standard input"
cmp want.svg e.svg || fail "perf.data on standard input draws other frames"
echo ok
