# SPDX-License-Identifier: BSD-2-Clause
# duflame record end to end: a COMMAND profiled and drawn in one step (the
# known frames in the SVG, its total the samples' periods, no perf data left
# behind), --keep-data, -p PID with --duration, and what it says when perf
# is missing or the usage is wrong.
. "$DUFLAME_SRC/tests/cli/prof/lib.sh"
# usage errors and a missing perf are said whatever the machine
set +e
"$DUFLAME" record >/dev/null 2>err.txt
[ $? = 2 ] && grep -q "what to record" err.txt || fail "no command not said"
"$DUFLAME" record --call-graph=lbr true >/dev/null 2>err.txt
[ $? = 2 ] && grep -q "expected fp or dwarf" err.txt || fail "bad --call-graph not said"
PATH=/nonexistent "$DUFLAME" record true 2>err.txt
[ $? = 2 ] && grep -q "perf is not installed.*linux-perf" err.txt || fail "missing perf not said"
set -e
"$DUFLAME" record --help | grep -q -- "--call-graph=dwarf gives deeper stacks" || fail "help"
# a user whom perf_event_paranoid stops is told what to set
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -gt 0 ]; then
    set +e
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$DUFLAME" record -a --duration 1 -o /dev/null 2>err.txt
    rc=$?
    set -e
    [ $rc = 2 ] || fail "paranoid: status $rc"
    grep -q "kernel.perf_event_paranoid is [0-9]*, which does not let this user record every CPU: run as root, or as root set 'sysctl kernel.perf_event_paranoid=0'" err.txt ||
        fail "paranoid not said: $(cat err.txt)"
fi

prof_need_perf
prof_build
mkdir tmp
TMPDIR=$PWD/tmp "$DUFLAME" record -o cpu.svg -- ./prof_cpu 60 >cmd.out 2>err.txt || fail "record: status $? $(cat err.txt)"
[ -s cpu.svg ] || fail "no SVG"
for f in alpha beta gamma_ burn outer; do
    grep -q "<title>$f (" cpu.svg || fail "frame $f not drawn"
done
[ -z "$(ls tmp)" ] || fail "perf data left in TMPDIR: $(ls tmp)"
[ ! -e perf.data ] || fail "perf.data left behind"
grep -qx '[01]' cmd.out || fail "the command's output is lost"

# --keep-data keeps what perf recorded; its collapse has the SVG's total
"$DUFLAME" record --keep-data kept.data -F 499 -o perf.svg ./prof_cpu 30 2>err.txt >/dev/null || fail "--keep-data"
[ -s kept.data ] && [ -s perf.svg ] || fail "no kept.data or perf.svg"
perf script -i kept.data 2>/dev/null | "$DUFLAME" collapse perf >kept.folded
total=$(folded_sum kept.folded)
commas=$(echo "$total" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta')
grep -q "<title>all ($commas samples, 100" perf.svg || fail "SVG total is not $commas: $(grep -o '<title>all ([^<]*' perf.svg)"

# without -o: the explorable page perf.html in the current directory
"$DUFLAME" record -F 499 ./prof_cpu 10 2>err.txt >/dev/null || fail "record to perf.html: $(cat err.txt)"
grep -qi '^<!DOCTYPE html' perf.html || fail "the default output is not the page perf.html"
grep -q 'role="tree"\|duflameView' perf.html || fail "perf.html holds no viewer"

# a running process for a while
./prof_cpu 100000 >/dev/null &
pid=$!
"$DUFLAME" record -p "$pid" --duration 1 -o p.svg 2>err.txt || { kill $pid; fail "-p: $(cat err.txt)"; }
kill $pid
wait $pid 2>/dev/null || true
grep -q "<title>burn (" p.svg || fail "-p: burn not drawn"
echo ok
