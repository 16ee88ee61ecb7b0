# SPDX-License-Identifier: BSD-2-Clause
# collapse on hostile input: a symbol of 2 MB, a comm of 2 MB, a stack 5000
# frames deep, binary garbage, a record cut off, empty input: never a crash
# or a hang; unknown lines counted and said (status 1); no record is status 2
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"
big=$(head -c 2000000 /dev/zero | tr '\0' 'x')
{
    printf 'prog 1 1.0: 5 cpu-clock:\n\t1 %s+0x1 (/bin/x)\n\t2 main (/bin/x)\n\n' "$big"
    printf '%s 2 1.0: 3 cpu-clock:\n\t2 main (/bin/x)\n\n' "$big"
} >long.txt
"$DUFLAME" collapse perf long.txt >out.txt || fail "long lines: status $?"
[ "$(wc -l <out.txt)" = 2 ] || fail "long lines: $(wc -l <out.txt) lines"
{ printf 'prog;main;%s 5\n' "$big"; printf '%s;main 3\n' "$big"; } | sort | cmp - out.txt ||
    fail "long symbol or comm"

awk 'BEGIN { print "deep 9 1.0: 1 cpu-clock:"; for (i = 5000; i >= 1; i--) printf "\t%x f%d (/bin/d)\n", i, i; print "" }' >deep.txt
"$DUFLAME" collapse perf deep.txt >out.txt || fail "deep: status $?"
awk -F';' '{ print NF }' out.txt | grep -qx 5001 || fail "deep: not 5001 frames"
grep -q '^deep;f1;f2;f3;' out.txt || fail "deep: order"

# garbage: random bytes, then garbage around one good record
# (no digits: no header can match, so no record at all)
head -c 300000 /dev/urandom | tr -d '0-9' >garbage.bin
set +e
timeout 60 "$DUFLAME" collapse perf garbage.bin >out.txt 2>err.txt
rc=$?
[ $rc = 2 ] || fail "garbage: status $rc, expected 2"
head -c 300000 /dev/urandom >random.bin
timeout 60 "$DUFLAME" collapse perf random.bin >out.txt 2>err.txt
rc=$?
[ $rc = 1 ] || [ $rc = 2 ] || fail "random bytes: status $rc"
{ head -c 5000 /dev/urandom | tr -d '\n'; printf '\n\nok 1 1.0: 7 cpu-clock:\n\t1 a (/x)\n\n'; head -c 5000 /dev/urandom; } >mixed.bin
timeout 60 "$DUFLAME" collapse perf mixed.bin >out.txt 2>err.txt
rc=$?
[ $rc = 1 ] || fail "garbage around a record: status $rc, expected 1"
grep -q '^ok;a 7$' out.txt || fail "the good record is lost"
grep -q "not \`perf script\` text" err.txt || fail "unrecognised lines not said"
for k in dtrace bpftrace; do
    timeout 60 "$DUFLAME" collapse $k garbage.bin >/dev/null 2>&1
    rc=$?
    [ $rc = 1 ] || [ $rc = 2 ] || fail "$k on garbage: status $rc"
done
# a record cut off (no blank line at the end): dropped and said
printf 'a1 1 1.0: 2 cpu-clock:\n\t1 f (/x)\n\na2 1 1.0: 3 cpu-clock:\n\t1 g (/x)\n' >cut.txt
"$DUFLAME" collapse perf cut.txt >out.txt 2>err.txt
rc=$?
[ $rc = 1 ] || fail "cut: status $rc"
echo 'a1;f 2' | diff - out.txt || fail "cut output"
grep -q "ends inside a record" err.txt || fail "cut not said"
# empty input; an unreadable file
"$DUFLAME" collapse perf </dev/null >out.txt 2>err.txt
[ $? = 2 ] || fail "empty input: not status 2"
grep -q "no stacks found" err.txt || fail "empty input not said"
"$DUFLAME" collapse perf missing.txt cut.txt >out.txt 2>err.txt
[ $? = 1 ] || fail "missing input: not status 1"
grep -q "cannot read 'missing.txt'" err.txt || fail "missing input not said"
# a write error leaves no output file
"$DUFLAME" collapse perf -o /nonexistent/dir/x cut.txt 2>err.txt
[ $? = 2 ] || fail "unwritable output: not status 2"
echo ok
