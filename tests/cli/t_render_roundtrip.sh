# SPDX-License-Identifier: BSD-2-Clause
# render of duflame's own folded output draws the same frames (name, count,
# depth) as the scan's direct SVG, also for names that need escaping: the
# SVG shows names as typed (spaces, semicolons, UTF-8 as themselves, control
# bytes and invalid UTF-8 as \xHH), render as the folded text spells them
set -eu
G=$DUFLAME_SRC/tests/cli/golden
frames() { python3 "$G/render_frames.py" "$@"; }

mkdir -p d/sub d/'semi;colon' d/'x 12'
printf 'hello' > d/sub/a.txt
head -c 5000 /dev/zero > d/'semi;colon'/' lead'
head -c 3000 /dev/zero > d/'x 12'/'new
line'
printf 'z' > d/'back\slash'
printf 'y' > "$(printf 'd/bad\xffname')"
if ! "$DUFLAME" --format=svg -o direct.svg d 2> err.txt; then
    if grep -q "not implemented" err.txt; then
        echo "the scan is not there yet"; exit 77
    fi
    cat err.txt; exit 1
fi
"$DUFLAME" --format=folded -o d.folded d
"$DUFLAME" render d.folded > rendered.svg
frames --refold direct.svg | sort > a
frames rendered.svg | sort > b
diff -u a b
frames direct.svg > typed
grep -q '	semi;colon$' typed
grep -q '	x 12$' typed
grep -q '	 lead$' typed
grep -q '	back.slash$' typed
grep -q '	new\\x0aline$' typed
grep -q '	bad\\xffname$' typed
grep -q 'x3b\|x20' typed && { echo "folded escapes in the scan's SVG"; exit 1; }
grep -q 'semi\\x3bcolon' b
echo ok
