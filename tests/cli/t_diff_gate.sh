#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame diff --fail-over: exit 3 when the total grew by more than a size or
# a percentage, with a message saying by how much; 0 at or under the bound
# and when the total shrank; 2 for a bad bound; 3 wins over 1 (a side with
# unreadable parts).
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
# run EXPECTED-STATUS ARGS...: the exit status must be EXPECTED-STATUS
run() {
    local want=$1 rc=0
    shift
    "$DUFLAME" diff "$@" >out 2>err || rc=$?
    [ "$rc" = "$want" ] || { cat err >&2; fail "diff $*: exit $rc, want $want"; }
}

# sizes: two trees whose apparent size differs by exactly 1500 bytes
mkdir -p old/d new/d
head -c 1000 /dev/zero >old/d/f
head -c 2500 /dev/zero >new/d/f
grow=$(($(du -sb new | cut -f1) - $(du -sb old | cut -f1)))
[ $grow = 1500 ] || fail "test setup: grew by $grow"
run 3 --apparent-size --fail-over=1499 old new
grep -q "^duflame: the total grew by +1.5 KiB (+[0-9.]*%), more than --fail-over=1499$" err ||
    fail "gate message: $(cat err)"
run 0 --apparent-size --fail-over=1500 old new
[ ! -s err ] || fail "a gate that holds said something: $(cat err)"
run 3 --apparent-size --fail-over=1K old new
run 0 --apparent-size --fail-over=2K old new
run 0 --apparent-size --fail-over=1.5K old new
run 3 --apparent-size --fail-over=1.4K old new
run 0 --apparent-size --fail-over=1M old new
# shrinking never trips, even a 0 bound
run 0 --apparent-size --fail-over=0 new old
run 0 --apparent-size --fail-over=0% new old
# the gate applies whatever is written, and the output is written first
run 3 --apparent-size --fail-over=0 -o g.svg old new
[ -s g.svg ] || fail "no SVG written when the gate tripped"
run 3 --apparent-size --fail-over=0 -f folded old new
grep -q '^old;d;f 1000 2500$\|^new;d;f 1000 2500$' out || fail "folded output with the gate: $(cat out)"
# disk usage and --inodes
run 0 --fail-over=1G old new
mkdir new/more
run 3 --inodes --fail-over=0 old new
run 0 --inodes --fail-over=1 old new

# percentages on profiles: 100 -> 105 is +5%
echo 'a;b 100' >p1.folded
echo 'a;b 105' >p2.folded
run 0 --fail-over=5% p1.folded p2.folded
run 0 --fail-over=10% p1.folded p2.folded
run 3 --fail-over=4.9% p1.folded p2.folded
grep -q "^duflame: the total grew by +5 (+5.0%), more than --fail-over=4.9%$" err ||
    fail "percent message: $(cat err)"
run 3 --fail-over=0% p1.folded p2.folded
run 0 --fail-over=0% p2.folded p1.folded
run 0 --fail-over=5 p1.folded p2.folded
run 3 --fail-over=4 p1.folded p2.folded
# from an empty side every percentage is exceeded
: >empty.folded
run 3 --fail-over=1000% empty.folded p2.folded
run 0 --fail-over=1000% empty.folded empty.folded

# bad bounds are usage errors, before anything is read
for bad in '' abc 5x -5 -5% '%' '5%%' 1e3% 99999999999999999999; do
    run 2 --fail-over="$bad" p1.folded p2.folded
    grep -q "^duflame: invalid --fail-over '$bad'" err || fail "message for '$bad': $(cat err)"
done

# a side with a problem (status 1) and a tripped gate: 3 wins
{ for i in $(seq 1 120); do echo "f$i 1"; done; echo "bad line"; } >p3.folded
run 1 p1.folded p3.folded
run 1 --fail-over=1000 p1.folded p3.folded
run 3 --fail-over=1 p1.folded p3.folded
grep -q "skipped 1 invalid line" err || fail "the warning is lost when the gate trips"
grep -q "the total grew by" err || fail "the gate message is lost with a warning"
echo ok
