# SPDX-License-Identifier: BSD-2-Clause
# render: "STACK BEFORE AFTER" lines make a differential graph: widths from
# AFTER, red growth, blue shrink, before/after in fg:b / fg:a; --diff-width=max
# keeps what vanished; --negate swaps the hues
set -eu
G=$DUFLAME_SRC/tests/cli/golden
frames() { python3 "$G/render_frames.py" "$@"; }

printf 'main;grow 10 30\nmain;shrink 20 10\nmain;same 5 5\nmain;gone 8 0\nnew 0 4\nplain 3\n' > d.folded
"$DUFLAME" render d.folded > d.svg
frames d.svg | diff -u "$G/render_diff.frames" -
grep -q 'fg:diff="1"' d.svg
grep -q '<title>grow (30 samples, [0-9.]*%; +[0-9.]*%)</title><rect [^>]*fill="rgb(255,0,0)"' d.svg
grep -q '<title>shrink ([^)]*; -[0-9.]*%)</title><rect [^>]*fill="rgb([0-9]*,[0-9]*,255)"' d.svg
"$DUFLAME" render --diff-width=max d.folded > m.svg
frames m.svg | diff -u "$G/render_diff_max.frames" -
"$DUFLAME" render --negate d.folded > n.svg
grep -q '<title>grow ([^)]*)</title><rect [^>]*fill="rgb(0,0,255)"' n.svg
echo ok
