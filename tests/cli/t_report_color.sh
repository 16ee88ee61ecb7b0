#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Colour and fit on a terminal, plain text on a pipe: --color=auto colours
# only a terminal (a pty from script(1)) and not when NO_COLOR is set;
# always and never mean what they say; the report fits the terminal's
# height; --ascii (or a locale that is not UTF-8) gives '#' bars.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"
command -v script >/dev/null || { echo "no script(1)"; exit 77; }
export LC_ALL=C.UTF-8

mkdir -p t
for i in $(seq 1 80); do
    mkdir -p "t/d$i"
    head -c $((i * 1000)) /dev/urandom >"t/d$i/f$i.c"
done
long=t/$(printf 'n%.0s' $(seq 1 150))
mkdir -p "$long"
head -c 500000 /dev/urandom >"$long/big"
esc=$(printf '\033')

# on a terminal of 30 rows and 100 columns: colour, at most 30 lines
tty() {
    script -qec "stty rows 30 cols 100; $*" /dev/null </dev/null | tr -d '\r'
}
tty "'$DUFLAME' -q t" >out
grep -q "$esc\[" out || fail "terminal: no colour"
grep -q "Disk usage of t" out || fail "terminal: no report: $(head -3 out)"
n=$(wc -l <out)
[ "$n" -le 30 ] && [ "$n" -ge 20 ] || fail "terminal: $n lines for 30 rows"
# columns are characters (bash counts them in a UTF-8 locale), escapes left out
sed "s/$esc\[[0-9;]*m//g" out >plain
while IFS= read -r line; do
    [ "${#line}" -le 100 ] || fail "terminal: a line wider than 100 columns: $line"
done <plain
grep -q '█' plain || fail "terminal: no Unicode bars"
grep -q 'nnnn…$' plain || fail "terminal: the long name is not cut and marked: $(cat plain)"
grep -q '[0-9] entries, 0 warnings, [0-9.]* s$' out || fail "terminal: no footer: $(tail -2 out)"

tty "NO_COLOR=1 '$DUFLAME' -q t" >out
grep -q "$esc" out && fail "NO_COLOR: colour"
tty "NO_COLOR=1 '$DUFLAME' -q --color=always t" >out
grep -q "$esc\[" out || fail "NO_COLOR with --color=always: no colour"
tty "'$DUFLAME' -q --color=never t" >out
grep -q "$esc" out && fail "--color=never: colour"
tty "'$DUFLAME' -q --top 7 t" >out
[ "$(grep -c '% ' out)" -ge 7 ] || fail "terminal --top 7: $(cat out)"

# a pipe: no colour, 40 rows of the tree by default, Unicode bars in UTF-8
"$DUFLAME" -q t >out
grep -q "$esc" out && fail "pipe: colour"
rows=$(sed -n '2,/^$/p' out | grep -c '% ')
[ "$rows" = 40 ] || fail "pipe: $rows rows, not 40"
LC_ALL=C.UTF-8 "$DUFLAME" -q t | grep -q '█' || fail "UTF-8: no block bars"
"$DUFLAME" -q --color=always t | grep -q "$esc\[" || fail "--color=always on a pipe: no colour"
LC_ALL=C "$DUFLAME" -q t | grep -q '█' && fail "C locale: Unicode bars"
"$DUFLAME" -q --ascii t | grep -q '█' && fail "--ascii: Unicode bars"
"$DUFLAME" -q --ascii t | grep -Eq '% #+\.* ' || fail "--ascii: no '#' bars"

"$DUFLAME" -q --color=sometimes t >out 2>err
[ $? = 2 ] || fail "--color=sometimes: not refused"
grep -q "invalid --color 'sometimes': expected auto, always or never" err || fail "message: $(cat err)"
echo ok
