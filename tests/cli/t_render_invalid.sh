# SPDX-License-Identifier: BSD-2-Clause
# render: invalid lines skipped, counted and reported once (exit 1, the SVG
# written); no valid line at all: a message and exit 2, no output file
set -eu
G=$DUFLAME_SRC/tests/cli/golden
frames() { python3 "$G/render_frames.py" "$@"; }

printf 'ok;a 1\nno count here\nbig 18446744073709551616\nneg -4\nok;b 2\n' > in.folded
set +e
"$DUFLAME" render -o out.svg in.folded 2> err.txt
rc=$?
set -e
[ "$rc" = 1 ] || { echo "exit $rc, expected 1"; exit 1; }
cat err.txt
[ "$(wc -l < err.txt)" = 1 ]
grep -q "skipped 3 invalid lines" err.txt
grep -q "'in.folded' line 2" err.txt
frames out.svg > got
printf '0\t3\tall\n1\t3\tok\n2\t1\ta\n2\t2\tb\n' | diff -u - got

# nothing valid: exit 2, and -o leaves no file behind
printf 'garbage\n\n-1\n' > bad.folded
set +e
"$DUFLAME" render -o none.svg bad.folded 2> err2.txt
rc=$?
set -e
[ "$rc" = 2 ] || { echo "exit $rc, expected 2"; exit 1; }
grep -q "no valid stack lines" err2.txt
[ ! -e none.svg ]
ls -A | grep -q '^\.none' && { echo "temporary file left"; exit 1; }

# an empty input is no valid line either
set +e
"$DUFLAME" render < /dev/null > /dev/null 2> err3.txt
rc=$?
set -e
[ "$rc" = 2 ]

# a missing file among good ones: exit 1, the rest drawn
set +e
"$DUFLAME" render missing.folded in.folded > some.svg 2> err4.txt
rc=$?
set -e
[ "$rc" = 1 ]
grep -q "cannot read 'missing.folded': No such file or directory" err4.txt
frames some.svg > /dev/null

# bad usage: exit 2
set +e
"$DUFLAME" render --no-such-option in.folded > /dev/null 2> err5.txt
rc=$?
"$DUFLAME" render --width=abc in.folded > /dev/null 2>> err5.txt
rc2=$?
set -e
[ "$rc" = 2 ] && [ "$rc2" = 2 ]
grep -q "invalid --width 'abc'" err5.txt
echo ok
