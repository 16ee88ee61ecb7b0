# SPDX-License-Identifier: BSD-2-Clause
# collapse perf: every stackcollapse-perf.pl option on hand-written `perf
# script` text, against outputs worked out from that script's documented
# rules (comm from the header, frames outermost first, "+0x.." offsets and
# C++ arguments dropped, Go method names kept, "->" inlined frames marked
# _[i], [unknown] shown as [dso], periods summed, keys sorted bytewise)
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"
C=$DUFLAME_SRC/tests/cli/collapse

check() { # EXPECTED INPUT [OPTIONS...]
    local exp=$1 in=$2
    shift 2
    "$DUFLAME" collapse perf "$@" "$C/$in" >out.txt 2>err.txt || fail "collapse perf $* $in: status $?"
    diff -u "$C/$exp" out.txt || fail "collapse perf $* $in: output differs from $exp"
}

check samples.default samples.txt
check samples.pid samples.txt --pid
check samples.tid samples.txt --tid
check samples.kernel samples.txt --kernel
check samples.jit samples.txt --jit
check samples.all samples.txt --all
check samples.addrs samples.txt --addrs
# options may come before the kind too, and standard input is read
"$DUFLAME" collapse --tid perf <"$C/samples.txt" | diff -u "$C/samples.tid" - || fail "stdin"
"$DUFLAME" collapse perf -o o.folded - <"$C/samples.txt" && diff -u "$C/samples.default" o.folded ||
    fail "-o"

# events: the first event is kept and the others are said; a period of 0 or
# none counts 1; a one-letter comm is read as the script reads it
check events.default events.txt
grep -q "kept the samples of the first event, 'cycles'; 1 of other events (such as 'instructions')" err.txt ||
    fail "mixed events not said"
check events.instructions events.txt --event-filter=instructions
[ ! -s err.txt ] || fail "--event-filter still warns"
check events.instructions events.txt --event-filter instructions
check events.tid events.txt --tid

# --srcline: the line after each frame is its source place
check srcline.srcline srcline.txt --srcline
set +e
"$DUFLAME" collapse perf "$C/srcline.txt" >out.txt 2>err.txt
rc=$?
set -e
[ $rc = 1 ] || fail "source lines without --srcline: status $rc, expected 1"
diff -u "$C/srcline.default" out.txt || fail "srcline without --srcline"
grep -q "skipped 4 lines that are not \`perf script\` text, the first at '.*srcline.txt' line 3" err.txt ||
    fail "unrecognised lines not said: $(cat err.txt)"

# two inputs are one stream, as Perl's <> reads them
"$DUFLAME" collapse perf "$C/samples.txt" "$C/samples.txt" >two.txt
awk '{ $NF = $NF * 2; print }' "$C/samples.default" | diff -u - two.txt || fail "two inputs"

# options of perf only; --inline without addr2line is said
set +e
"$DUFLAME" collapse dtrace --kernel /dev/null 2>err.txt
[ $? = 2 ] || fail "dtrace --kernel accepted"
PATH=/nonexistent "$DUFLAME" collapse perf --inline "$C/samples.txt" >/dev/null 2>err.txt
rc=$?
set -e
[ $rc = 2 ] || fail "--inline without addr2line: status $rc"
grep -q "needs addr2line" err.txt || fail "--inline without addr2line not said"
"$DUFLAME" collapse --help | grep -q -- "--event-filter" || fail "help"
echo ok
