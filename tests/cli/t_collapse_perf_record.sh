# SPDX-License-Identifier: BSD-2-Clause
# collapse perf on a real profile: perf record of our own CPU-bound program
# (tests/cli/prof/cpu.c) with known call chains; the chains appear, the
# heavier one weighs more, and the counts add up to the periods perf script
# printed for the samples (what stackcollapse-perf.pl sums). --inline finds
# the inlined function through addr2line.
. "$DUFLAME_SRC/tests/cli/prof/lib.sh"
prof_need_perf
prof_build
perf record -q -F 999 -g -e cpu-clock -o prof.data ./prof_cpu 60 >/dev/null 2>perf.log ||
    fail "perf record: $(cat perf.log)"
perf script -i prof.data >prof.txt 2>/dev/null || fail "perf script failed"
"$DUFLAME" collapse perf prof.txt >prof.folded || fail "collapse perf: status $?"

want() { # PATTERN: one line of the folded output matches; prints its count
    local n
    n=$(grep -E "$1 [0-9]+$" prof.folded | awk '{ s += $NF } END { print s + 0 }')
    [ "$n" -gt 0 ] || fail "no stack '$1' in: $(cat prof.folded)"
    echo "$n"
}
a=$(want '^prof_cpu;(.*;)?main;alpha;burn')
b=$(want '^prof_cpu;(.*;)?main;beta;gamma_;burn')
want '^prof_cpu;(.*;)?main;outer' >/dev/null
# beta's chain burns twice as long as alpha's
awk -v a="$a" -v b="$b" 'BEGIN { r = b / a; exit !(r > 1.3 && r < 3.5) }' ||
    fail "beta/alpha = $b/$a, expected about 2"

# the counts add up to the periods of the samples (every sample is of
# prof_cpu here: perf recorded only it)
periods=$(awk '/ cpu-clock: *$/ { s += $(NF - 1) } END { printf "%d\n", s }' prof.txt)
total=$(folded_sum prof.folded)
[ "$periods" = "$total" ] || fail "collapsed total $total != sum of periods $periods"
[ "$total" -gt 0 ] || fail "empty profile"
# piped, the same bytes
perf script -i prof.data 2>/dev/null | "$DUFLAME" collapse perf | cmp - prof.folded || fail "pipe"

if command -v addr2line >/dev/null 2>&1; then
    "$DUFLAME" collapse perf --inline prof.txt >inl.folded || fail "--inline: status $?"
    grep -qE ';main;outer;hot [0-9]+$' inl.folded || fail "--inline: no outer;hot in $(cat inl.folded)"
    [ "$(folded_sum inl.folded)" = "$total" ] || fail "--inline changed the total"
    "$DUFLAME" collapse perf --inline --context prof.txt >ctx.folded || fail "--context"
    grep -qE ';outer:cpu\.c:[0-9]+;hot:cpu\.c:[0-9]+ [0-9]+$' ctx.folded ||
        fail "--context: no source lines in $(cat ctx.folded)"
else
    echo "addr2line missing: --inline not checked"
fi
echo ok
