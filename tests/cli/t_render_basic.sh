# SPDX-License-Identifier: BSD-2-Clause
# render: stacks merged through the tree (one foo of 8), frame list against a
# golden file, stdin / "-" / several files / -o, the same bytes every run
set -eu
G=$DUFLAME_SRC/tests/cli/golden
frames() { python3 "$G/render_frames.py" "$@"; }

printf 'main;foo 5\nmain;foo2;x 1\nmain;foo;bar 3\n' > in.folded
"$DUFLAME" render in.folded > a.svg
frames a.svg > a.frames
diff -u "$G/render_basic.frames" a.frames

# the same from standard input, from "-", and split over two files
"$DUFLAME" render < in.folded > b.svg
cmp a.svg b.svg
head -1 in.folded > p1; tail -2 in.folded > p2
"$DUFLAME" render p2 - < p1 > c.svg
frames c.svg | diff -u "$G/render_basic.frames" -
# same bytes on every run; -o writes the file and nothing on stdout
"$DUFLAME" render -o d.svg in.folded > stdout.txt
cmp a.svg d.svg
[ ! -s stdout.txt ]
grep -q '<title>all (9 samples, 100.00%)</title>' a.svg
grep -q 'fg:w="8" fg:d="2" fg:x="0"><title>foo (8 samples, 88.89%)</title>' a.svg

# a larger mixed input: empty frames, CRLF, blanks, decimals in any order
printf 'b;a 2\r\n\r\na;;c 1.5\n  \nb;a;x 0.5\n;lead 1\nb 3\n' > mixed.folded
"$DUFLAME" render mixed.folded > m.svg
frames m.svg | diff -u "$G/render_mixed.frames" -
grep -q 'fg:scale="1"' m.svg
grep -q '<title>a (2.5 samples, ' m.svg
echo ok
