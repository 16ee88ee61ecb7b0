#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# --help lists every option and the man page documents every long option that
# --help lists; bad usage exits 2 with a message; -o picks the format from
# the extension and -f overrides it; output without -o is the text report,
# also when standard output is not a terminal; no progress line when stderr
# is not one.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

"$DUFLAME" --help >help.txt || fail "--help exit $?"
for o in --one-file-system --exclude --exclude-from --dereference --count-links --threads \
    --quiet --apparent-size --inodes --output --format --help --version --sort --title --width; do
    grep -q -- "$o\b" help.txt || fail "--help does not list $o"
done
for s in -x -X -L -l -j -q -b -o -f -d -t -s -h -B; do
    grep -q -- "^ *$s," help.txt || fail "--help does not list $s"
done
grep -q -- "^  -c  " help.txt || fail "--help does not list -c"
# every option in the getopt tables of the groups the scan front end uses
# (cli.c: output, scan, report, archive, picture) is in --help
for t in output_longs scan_longs report_longs archive_longs picture_longs; do
    sed -n "/^static const struct option $t\[\] = {/,/^};/p" "$DUFLAME_SRC/src/cli.c" |
        grep -o '{"[a-z-]*"' | tr -d '{"' >>table.txt
done
# the options scan_longs shares with the walk of duflame-mpi (WALK_LONGS)
sed -n '/^#define WALK_LONGS/,/^\/\* clang-format on/p' "$DUFLAME_SRC/src/cli.c" |
    grep -o '{"[a-z-]*"' | tr -d '{"' >>table.txt
grep -qx inodes table.txt || fail "cannot read the shared option table"
grep -qx max-depth table.txt || fail "cannot read the report's option table"
[ -s table.txt ] || fail "cannot read the option table"
while read -r o; do
    grep -q -- "--$o\b" help.txt || fail "--help does not list --$o"
done <table.txt
# every long option --help lists is in the man page (with roff's \- for -)
man=$DUFLAME_SRC/man/duflame.1
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man" >man.txt
grep -o -- '--[a-z][a-z-]*' help.txt | sort -u >long.txt
[ "$(wc -l <long.txt)" -gt 15 ] || fail "too few options in --help"
while read -r o; do
    grep -q -- "$o" man.txt || fail "the man page does not document $o"
done <long.txt

mkdir -p t/d
head -c 5000 /dev/urandom >t/d/f
# bad usage
for bad in "--threads=0" "--threads=x" "-j" "--format=png" "--no-such-option" "-Z"; do
    "$DUFLAME" $bad t >/dev/null 2>err
    rc=$?
    [ $rc = 2 ] || fail "'$bad': exit $rc, not 2"
    grep -q '^duflame: ' err || fail "'$bad': no message"
done
# formats
"$DUFLAME" -q t -o out.folded || fail "exit $?"
grep -q '^t;d;f [0-9]*$' out.folded || fail ".folded is not folded: $(head -3 out.folded)"
"$DUFLAME" -q t -o out.txt || fail "exit $?"
grep -q '^Disk usage of t: ' out.txt || fail ".txt is not the summary: $(head -3 out.txt)"
"$DUFLAME" -q t -o out.svg || fail "exit $?"
grep -q '<svg' out.svg || fail ".svg is not an SVG"
grep -q 'Disk usage of t' out.svg || fail "SVG title"
"$DUFLAME" -q -f folded -o out.svg t || fail "exit $?"
grep -q '^t;d;f ' out.svg || fail "-f folded did not override the extension"
"$DUFLAME" -q t >out 2>err || fail "exit $?"
grep -q '^Disk usage of t: ' out || fail "not a terminal: not the text report"
grep -q '<svg' out && fail "not a terminal: the SVG"
# stderr not a terminal: no progress line, nothing said
"$DUFLAME" t -o x.svg 2>err || fail "exit $?"
[ -s err ] && fail "something on stderr: $(cat err)"
# the text summary fits the width and lists the largest entry first
python3 - <<'PY' || fail "cannot build"
import os
os.makedirs("w/" + "n" * 150, exist_ok=True)
open("w/" + "n" * 150 + "/big", "wb").write(b"b" * 300000)
open("w/small", "wb").write(b"s" * 10)
PY
COLUMNS=60 "$DUFLAME" -q -f text w >sum.txt || fail "exit $?"
# columns are characters (the bars are Unicode in a UTF-8 locale): bash counts them
while IFS= read -r line; do
    [ "${#line}" -le 60 ] || fail "a line is wider than 60: $line"
done <sum.txt
[ "$(sed -n 3p sum.txt | grep -c 'nnn')" = 1 ] || fail "largest entry not first: $(cat sum.txt)"
echo ok
