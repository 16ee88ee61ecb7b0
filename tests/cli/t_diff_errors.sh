#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame diff with bad operands and options: a clear message on stderr and
# exit status 2, never a crash or a hang, and no output file left behind.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
# run EXPECTED-STATUS MESSAGE-REGEX ARGS...
run() {
    local want=$1 re=$2 rc=0
    shift 2
    timeout 20 "$DUFLAME" diff "$@" >out 2>err || rc=$?
    [ "$rc" = "$want" ] || { cat err >&2; fail "diff $*: exit $rc, want $want"; }
    grep -Eq "$re" err || fail "diff $*: message $(cat err), want /$re/"
    [ "$(wc -l <err)" -le 3 ] || fail "diff $*: too many messages: $(cat err)"
}

mkdir -p d1 d2
echo hello >d1/x
echo 'a;b 1' >p.folded
printf 'a;b 1 2\n' >diff.folded
head -c 5000 /dev/urandom >random.bin
printf 'just some text\nwithout counts\n' >notes.txt
mkfifo fifo

run 2 'expected two operands' d1
run 2 'expected two operands' d1 d2 d2
run 2 'expected two operands'
run 2 "^duflame: cannot access 'nope': No such file or directory$" nope d2
run 2 "^duflame: cannot access 'nope': No such file or directory$" d1 nope
run 2 "'random.bin' is not a container image, a directory, an ncdu export, an archive, a folded profile, perf script text or a perf.data file" d1 random.bin
run 2 "'notes.txt' is not a container image, a directory, an ncdu export, an archive, a folded profile, perf script text or a perf.data file" notes.txt d1
run 2 "'fifo' is not a container image, a directory, an ncdu export, an archive, a folded profile, perf script text or a perf.data file" fifo d1
run 2 "'diff.folded' holds differential stacks" diff.folded p.folded
run 2 "cannot compare the folded profile 'p.folded' with the directory 'd1'" p.folded d1
run 2 "cannot compare the folded profile 'p.folded' with the directory 'd1'" d1 p.folded
run 2 "invalid --format 'png'" -f png d1 d2
run 2 "invalid --top 'x'" --top=x d1 d2
run 2 "invalid --top '-1'" --top=-1 d1 d2
run 2 "invalid --diff-width 'min'" --diff-width=min d1 d2
run 2 "unknown option '--bogus'" --bogus d1 d2
run 2 "unknown option '-Q'" -Q d1 d2
run 2 "option '-o' needs a value" d1 d2 -o
run 2 "^duflame: cannot write 'no/such/dir/x.svg': No such file or directory$" -o no/such/dir/x.svg d1 d2
[ ! -e no ] || fail "something was created for a failed -o"
# nothing is written to the output file when a side is bad
run 2 "cannot access" -o x.svg d1 nope
[ ! -e x.svg ] || fail "x.svg written although a side was missing"
ls -a | grep -q '^\.x\.svg\|tmp' && fail "a temporary file was left: $(ls -a)"

# a side that is fine but empty is not an error
mkdir empty
"$DUFLAME" diff -f folded empty d1 >o || fail "empty dir side: exit $?"
grep -q '^d1;x 0 ' o || fail "empty dir side: $(cat o)"
echo ok
