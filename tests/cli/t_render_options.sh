# SPDX-License-Identifier: BSD-2-Clause
# render: every flamegraph.pl option is accepted under its name and does what
# it says; bad values are usage errors (exit 2)
set -eu
G=$DUFLAME_SRC/tests/cli/golden
frames() { python3 "$G/render_frames.py" "$@"; }
r() { "$DUFLAME" render "$@" in.folded > out.svg && frames out.svg > out.frames; }
has() { grep -q -- "$1" out.svg || { echo "missing: $1"; exit 1; }; }

printf 'main;alpha;leaf 60\nmain;beta 30\nmain;gamma;x 9\nmain;tiny 1\nother 150\n' > in.folded

r --title "My <Title>" --subtitle "sub & title"
has '>My &lt;Title&gt;</text>'
has 'id="subtitle"[^>]*>sub &amp; title</text>'
r --width 600 --height 20 --fonttype Courier --fontsize 10 --fontwidth 0.5
has 'width="600" height="[0-9.]*" viewBox="0 0 600 '
has 'font-family="Courier" font-size="10"'
has 'fg:frameheight="20" fg:fontsize="10" fg:fontwidth="0.5"'
has 'height="19.0"'
r --minwidth 1%
grep -q tiny out.frames && { echo "tiny drawn under --minwidth 1%"; exit 1; }
r --minwidth 0
grep -q tiny out.frames
r --minwidth 400
[ "$(cut -f3 out.frames | tr '\n' ' ')" = "all main other " ]
r --countname bytes --nametype File:
has '<title>alpha (60 bytes, 60 B, 24.00%)</title>'
has 'fg:nametype="File:"'
for p in hot mem io wakeup chain java js perl red green blue aqua yellow purple orange; do
    r --colors "$p"
done
r --colors mem
has 'stop-color="#e0ffe0"'
r --bgcolors blue
has 'stop-color="#e0e0ff"'
r --bgcolors '#123456'
has 'stop-color="#123456" offset="5%"'
r --hash
cp out.svg hash1.svg
r --hash
cmp out.svg hash1.svg
r --random
cp out.svg rand1.svg
r --random
cmp out.svg rand1.svg
r --cp
[ -s palette.map ]
grep -q '^alpha->rgb(' palette.map
sed -i 's/^alpha->.*/alpha->rgb(1,2,3)/' palette.map
r --cp
has '<title>alpha ([^<]*</title><rect [^>]*fill="rgb(1,2,3)"'
r --reverse
grep -q "^1	60	leaf$" out.frames
r --inverted
has '>Icicle Graph</text>'
r --flamechart
has '>Flame Chart</text>'
r --negate
r --notes 'note <1>'
has '<desc id="notes">note &lt;1&gt;</desc>'
r --total 500
has '<title>other (150 samples, 30.00%)</title>'
r --factor 0.5
has '<title>other (75 samples, 60.00%)</title>'
printf 'alpha\tclass=special\tstyle=opacity:0.5\tonclick=alert(1)\n' > attrs.txt
r --nameattr attrs.txt
has 'class="special" style="opacity:0.5"><title>alpha'
grep -q 'alert' out.svg && { echo "nameattr event handler copied"; exit 1; }
r --encoding ISO-8859-1
head -1 out.svg | grep -q 'encoding="ISO-8859-1"'
r --sort size
[ "$(awk -F'\t' '$1==2' out.frames | cut -f3 | tr '\n' ' ')" = "alpha beta gamma tiny " ]
[ "$(awk -F'\t' '$1==1' out.frames | cut -f3 | tr '\n' ' ')" = "other main " ]
r --sort name
[ "$(awk -F'\t' '$1==1' out.frames | cut -f3 | tr '\n' ' ')" = "main other " ]

"$DUFLAME" render --help > help.txt
for o in title subtitle width height minwidth fonttype fontsize fontwidth countname nametype \
         colors bgcolors hash random cp reverse inverted flamechart negate notes total factor \
         nameattr encoding sort help output; do
    grep -q -- "--$o" help.txt || { echo "--help does not list --$o"; exit 1; }
done

for bad in "--colors=pink" "--bgcolors=red" "--minwidth=-1" "--sort=age" "--width=0" \
           "--height=x" "--fontsize=0" "--total=abc" "--factor=-2" "--encoding=a\"b"; do
    set +e
    "$DUFLAME" render "$bad" in.folded > /dev/null 2> err.txt
    rc=$?
    set -e
    [ "$rc" = 2 ] || { echo "$bad: exit $rc"; exit 1; }
    grep -q "^duflame: invalid" err.txt || { cat err.txt; exit 1; }
done
set +e
"$DUFLAME" render --nameattr missing.txt in.folded > /dev/null 2> err.txt
rc=$?
set -e
[ "$rc" = 2 ]
grep -q "cannot read 'missing.txt'" err.txt
echo ok
