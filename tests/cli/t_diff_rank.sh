#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame diff's ranking in its three written forms on a constructed pair of
# profiles (exact counts): text, JSON (checked by Python's json module, the
# same rows as the text) and a Markdown table; --top cuts all three; a scan
# refuses markdown; --normalize scales BEFORE to AFTER's total; two profiles
# as a page carry the ranking and both sides.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }

# main;app grows by 300 in one leaf; main;lib loses a whole subtree (removed);
# main;new appears; swap's two children cancel out
cat >before.folded <<'X'
main;app;render 100
main;app;parse 50
main;lib;old;a 40
main;lib;old;b 20
swap;up 10
swap;down 60
X
cat >after.folded <<'X'
main;app;render 400
main;app;parse 50
main;new;x 25
swap;up 60
swap;down 10
X

"$DUFLAME" diff -f text before.folded after.folded >d.txt || fail "text exit $?"
cat >want <<'X'
before  280 samples  before.folded
after   545 samples  after.folded
change  +265 (+94.6%)

changed most (6 of 6 paths, largest change first)
X
head -5 d.txt | diff -u want - || fail "text head"
sed -n 6p d.txt | grep -Eq '^ +change +before +after +% +path$' || fail "text header"
# main is not folded (three children changed); lib;old is one row (a chain
# of single entries); ties in name order
awk 'NR > 6 {print $1, $2, $3, $4, $5}' d.txt >rows
cat >want <<'X'
+300 100 400 +300.0% main;app;render
+265 210 475 +126.2% main
-60 60 0 removed main;lib;old
-50 60 10 -83.3% swap;down
+50 10 60 +500.0% swap;up
+25 0 25 new main;new;x
X
diff -u want rows || fail "ranking rows"

# JSON: valid, same totals and rows
"$DUFLAME" diff -o d.json before.folded after.folded || fail "json exit $?"
python3 - d.json <<'PY' || fail "json content"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["before"] == {"label": "before.folded", "total": 280}, d["before"]
assert d["after"]["total"] == 545 and d["change"] == 265 and d["unit"] == "samples", d
assert d["sep"] == ";" and d["paths_changed"] == 6, d
rows = [(r["path"], r["before"], r["after"], r["change"], r["mark"]) for r in d["rows"]]
assert rows == [
    ("main;app;render", 100, 400, 300, "changed"),
    ("main", 210, 475, 265, "changed"),
    ("main;lib;old", 60, 0, -60, "removed"),
    ("swap;down", 60, 10, -50, "changed"),
    ("swap;up", 10, 60, 50, "changed"),
    ("main;new;x", 0, 25, 25, "new"),
], rows
assert d["rows"][5]["percent"] is None and d["rows"][2]["percent"] == -100.0
PY
"$DUFLAME" diff -f json --top=2 before.folded after.folded >t2.json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["rows"]) == 2 and d["paths_changed"] == 6' t2.json ||
    fail "--top=2 json"

# Markdown: a totals line, then a table with one row a path
"$DUFLAME" diff -o d.md before.folded after.folded || fail "markdown exit $?"
"$DUFLAME" diff -f markdown before.folded after.folded | cmp - d.md || fail "-f markdown and -o d.md differ"
head -1 d.md | grep -qx '\*\*before.folded\*\* → \*\*after.folded\*\*: 280 → 545 samples, +265 (+94.6%)' ||
    fail "markdown totals: $(head -1 d.md)"
grep -qx '| Path | Before | After | Change | % |' d.md || fail "markdown header"
grep -qx '|:--|--:|--:|--:|--:|' d.md || fail "markdown alignment row"
grep -qx '| main;lib;old | 60 | 0 | -60 | removed |' d.md || fail "markdown removed row"
[ "$(grep -c '^| ' d.md)" = 7 ] || fail "markdown: want a header and 6 rows"
"$DUFLAME" diff -f md --top=1 before.folded after.folded >t1.md
grep -q '^1 of 6 changed paths' t1.md || fail "markdown --top=1 note"

# a scan has no ranking
mkdir -p tree && echo x >tree/f
rc=0
"$DUFLAME" -f markdown tree >/dev/null 2>err || rc=$?
[ $rc = 2 ] || fail "a scan as markdown: exit $rc"
grep -q 'the markdown format is the ranking that duflame diff writes' err || fail "message: $(cat err)"

# --normalize: BEFORE scaled to AFTER's total (545/280 each)
printf 'a 100\nb 100\n' >n1.folded
printf 'a 300\nb 100\n' >n2.folded
"$DUFLAME" diff -f folded --normalize n1.folded n2.folded >n.folded
printf 'a 200 300\nb 200 100\n' | diff -u - n.folded || fail "--normalize"
"$DUFLAME" diff -f text --normalize n1.folded n2.folded | grep -qx 'change  0 (0.0%)' || fail "--normalize total"

# two profiles as a page: both sides and the ranking embedded
"$DUFLAME" diff -o d.html before.folded after.folded || fail "html exit $?"
python3 - d.html <<'PY' || fail "page config"
import json, re, sys
page = open(sys.argv[1]).read()
cfg = json.loads(re.search(r'id="dv-config">(.*?)</script>', page, re.S).group(1))
assert [(m["key"], m["side"]) for m in cfg["metrics"]] == [("samples", "before"), ("samples", "after")], cfg["metrics"]
assert cfg["sep"] == ";" and cfg["diffBase"] == "", cfg
assert cfg["diff"]["rows"][0]["path"] == "main;app;render", cfg["diff"]["rows"][0]
PY
exit 0
