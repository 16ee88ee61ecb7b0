#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Output chosen like a Unix tool: a scan writes the text report on standard
# output, terminal or not; -o FILE takes the format from the extension and
# refuses one it does not know, naming those it does; -f overrides it;
# nothing is written when nothing was read; render keeps writing SVG to
# standard output; -h is du's human sizes in a scan and the help in render.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

mkdir -p t/d
head -c 9000 /dev/urandom >t/d/f

# a pipe: the report, not SVG
"$DUFLAME" -q t >out 2>err || fail "pipe: exit $?"
head -1 out | grep -q '^Disk usage of t: ' || fail "pipe: not the report: $(head -c 200 out)"
grep -q '<svg' out && fail "pipe: SVG"
grep -q ' t/d/$' out || fail "pipe: no row for t and its only directory"

# -o by extension
"$DUFLAME" -q t -o out.svg || fail ".svg: exit $?"
grep -q '<svg' out.svg || fail ".svg is not an SVG"
"$DUFLAME" -q t -o out.folded || fail ".folded: exit $?"
grep -q '^t;d;f [0-9]*$' out.folded || fail ".folded: $(cat out.folded)"
"$DUFLAME" -q t -o out.txt || fail ".txt: exit $?"
head -1 out.txt | grep -q '^Disk usage of t: ' || fail ".txt is not the report"
"$DUFLAME" -q -f folded -o out.svg t || fail "-f: exit $?"
grep -q '^t;d;f ' out.svg || fail "-f folded did not override the extension"
"$DUFLAME" -q --format=svg t >out || fail "--format svg: exit $?"
grep -q '<svg' out || fail "--format svg on a pipe: not SVG"

# extensions it does not know, and none at all: refused, nothing written
accepted=$("$DUFLAME" --help | tr -d '\n' | grep -o '(\.svg[^)]*)')
for bad in x.png x.svg.gz noext; do
    "$DUFLAME" -q t -o "$bad" >out 2>err
    rc=$?
    [ $rc = 2 ] || fail "-o $bad: exit $rc"
    [ -e "$bad" ] && fail "-o $bad: written"
    grep -q "cannot tell the format of '$bad'" err || fail "-o $bad: message $(cat err)"
    for e in .svg .folded .txt; do
        grep -q -- "$e" err || fail "-o $bad: the message does not list $e: $(cat err)"
    done
    [ -s out ] && fail "-o $bad: standard output written"
done
[ -n "$accepted" ] || fail "--help does not list the extensions"
# but with -f any name will do
"$DUFLAME" -q -f text -o noext t || fail "-f text -o noext: exit $?"
grep -q '^Disk usage of t: ' noext || fail "-f text -o noext: not the report"

# nothing read, nothing written
"$DUFLAME" -q -o out2.svg no-such 2>err
[ $? = 1 ] || fail "missing PATH: exit status not 1"
[ -e out2.svg ] && fail "missing PATH: an SVG was written"
"$DUFLAME" -q no-such >out 2>err
[ $? = 1 ] || fail "missing PATH on a pipe: exit status not 1"
[ -s out ] && fail "missing PATH: a report was written: $(cat out)"

# -h: du's human sizes in a scan (the default), help in render
"$DUFLAME" -q -h t >out || fail "-h in a scan: exit $?"
head -1 out | grep -q '^Disk usage of t: ' || fail "-h in a scan: not the report"
[ "$("$DUFLAME" -q -sh t)" = "$(du -sh t)" ] || fail "-sh: $("$DUFLAME" -q -sh t)"
"$DUFLAME" render -h >out || fail "render -h: exit $?"
grep -q '^usage: duflame render' out || fail "render -h: not the help"

# render still writes SVG on a pipe
printf 'a;b 3\n' | "$DUFLAME" render >out || fail "render: exit $?"
grep -q '<svg' out || fail "render on a pipe: not SVG"

# a full device: exit 2, and the message names the output, in every format
if [ -w /dev/full ]; then
    for f in svg html folded text ncdu; do
        "$DUFLAME" -q -f $f t -o /dev/full 2>err
        rc=$?
        [ $rc = 2 ] || fail "-f $f -o /dev/full: exit $rc"
        grep -q "cannot write '/dev/full': " err || fail "-f $f -o /dev/full: $(cat err)"
    done
    "$DUFLAME" -q -f svg t >/dev/full 2>err
    grep -q "cannot write 'standard output': " err || fail "svg to a full stdout: $(cat err)"
    printf 'a;b 3\n' | "$DUFLAME" render -o /dev/full 2>err
    rc=$?
    [ $rc = 2 ] || fail "render -o /dev/full: exit $rc"
    grep -q "cannot write '/dev/full': " err || fail "render -o /dev/full: $(cat err)"
else
    echo "t_report_output: /dev/full is missing: the full-device cases are skipped" >&2
fi
echo ok
