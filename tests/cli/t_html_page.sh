#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The HTML page: -o x.html and --format=html write one self-contained page
# whose embedded data (docs/viewer-data.md, decoded here independently)
# holds every entry once with du's totals in all three metrics and names as
# typed; --max-entries merges the smallest subtrees into aggregates that keep
# the totals, with a note on stderr and exit status 0; render -o x.html too.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

mkdir -p t/a/b t/c
for i in $(seq 1 200); do head -c $((i * 53)) /dev/zero >"t/a/f$i.txt"; done
head -c 70000 /dev/urandom >t/a/b/blob.png
printf x >'t/c/Photos 2024'
printf x >'t/c/a;b.txt'
printf x >"t/c/$(printf 'ctl\001x')"
printf x >'t/c/<script>alert(1)<'
truncate -s 5M t/sparse.img

decode() { # PAGE -> "records names disk apparent entries" and the names, one a line
    python3 - "$1" <<'PY'
import base64, re, sys, zlib
page = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<script type="application/octet-stream" id="dv-data">([^<]*)</script>', page)
data = zlib.decompress(base64.b64decode(m.group(1)), -15)
pos = 0
def vi():
    global pos
    v = shift = 0
    while True:
        b = data[pos]; pos += 1
        v |= (b & 127) << shift; shift += 7
        if not b & 128: return v
version, nw, n, nnames, nlen = vi(), vi(), vi(), vi(), vi()
# a scan's four weights: disk, apparent, entries, stored
assert version == 2 and nw == 4, (version, nw)
names = data[pos:pos + nlen].decode("utf-8").split("\n")[:-1]
assert len(names) == nnames
pos += nlen
# the records as columns: child counts, flags1, flags2, name references,
# then each weight slot
def column():
    return [vi() for _ in range(n)]
kids = column()
f1s = data[pos:pos + n]; pos += n
f2s = data[pos:pos + n]; pos += n
refs = column()
ws = [column() for _ in range(nw)]
assert pos == len(data), (pos, len(data))
tot = [sum(ws[k]) for k in range(3)]
shown, used, aggs = [], 0, 0
for i in range(n):
    r = refs[i]
    if f1s[i] & 0x10: aggs += 1
    elif r == 0: shown.append(names[used]); used += 1
    else: shown.append(names[r - 1])
assert used == nnames
print(n, nnames, tot[0], tot[1], tot[2], aggs)
for s in shown: print(s)
PY
}

"$DUFLAME" -q -o p.html t 2>err || fail "exit $?"
[ ! -s err ] || fail "stderr: $(cat err)"
head -c 15 p.html | grep -q '<!DOCTYPE html>' || fail "not an HTML page"
grep -Eq '(src|href)="?(https?:|//)' p.html && fail "the page refers to something outside itself"
[ "$(grep -c '<script' p.html)" = 3 ] || fail "expected three script elements"
grep -q '<script>alert(1)' p.html && fail "a name was written raw"
decode p.html >d || fail "the data does not decode"
read -r n _ disk app ent aggs <d
[ "$n" = "$(($(find t | wc -l) + 1))" ] || fail "records $n, entries $(find t | wc -l) plus the root"
[ "$disk" = "$(du_sum -sB1 t)" ] || fail "disk $disk, du $(du_sum -sB1 t)"
[ "$app" = "$(du_sum -sb t)" ] || fail "apparent $app, du $(du_sum -sb t)"
[ "$ent" = "$(du_sum -s --inodes t)" ] || fail "entries $ent, du $(du_sum -s --inodes t)"
[ "$aggs" = 0 ] || fail "aggregates without a budget"
for name in 'Photos 2024' 'a;b.txt' 'ctl\x01x' '<script>alert(1)<' blob.png; do
    grep -qxF "$name" d || fail "name '$name' not stored as typed"
done

# --format=html to standard output, and -b opens in apparent sizes
"$DUFLAME" -q -b --format=html t >q.html || fail "exit $?"
grep -q '"metric":1,' q.html || fail "-b does not open in apparent sizes"

# the budget
"$DUFLAME" -q --max-entries=50 -o m.html t 2>err
rc=$?
[ "$rc" = 0 ] || fail "exit $rc with --max-entries"
grep -q '^duflame: note: the picture holds .* merged into .* aggregates' err || fail "no note: $(cat err)"
decode m.html >d2 || fail "the merged data does not decode"
read -r n2 _ disk2 app2 ent2 aggs2 <d2
[ "$n2" -le 50 ] || fail "$n2 records for --max-entries=50"
[ "$aggs2" -ge 1 ] || fail "no aggregate"
[ "$disk2 $app2 $ent2" = "$disk $app $ent" ] || fail "merged totals $disk2 $app2 $ent2, want $disk $app $ent"
# many equal sizes (every small file takes one 4 KiB block; every entry
# counts 1): the page still keeps close to the budget, the same on every run
for m in "" --inodes; do
    "$DUFLAME" -q $m --max-entries=120 -o e.html t 2>err || fail "exit $? with ties ($m)"
    grep -q '^duflame: note: the picture holds' err || fail "no note with ties ($m)"
    decode e.html >d3 || fail "the tied data does not decode ($m)"
    read -r n3 _ disk3 app3 ent3 _ <d3
    [ "$n3" -le 120 ] && [ "$n3" -ge 110 ] || fail "$n3 records for --max-entries=120 ($m)"
    [ "$disk3 $app3 $ent3" = "$disk $app $ent" ] || fail "tied totals $disk3 $app3 $ent3 ($m)"
    "$DUFLAME" -q $m --max-entries=120 -o e2.html t 2>/dev/null
    cmp -s e.html e2.html || fail "two runs with ties differ ($m)"
done
"$DUFLAME" -q --max-entries=1 -o m.html t 2>err
[ $? = 2 ] || fail "--max-entries=1 accepted"

# render: samples as the metric, frames as the folded text spells them
printf 'main;a\\x3bb 5\nmain;c 7\n' >p.folded
"$DUFLAME" render -o r.html p.folded || fail "render exit $?"
grep -q '"key":"samples"' r.html || fail "render page without samples"
"$DUFLAME" render -o r2.htm p.folded || fail "render -o x.htm exit $?"
cmp -s r.html r2.htm || fail "render -o x.html and -o x.htm differ"
"$DUFLAME" render -f html p.folded >r3.html || fail "render -f html exit $?"
cmp -s r.html r3.html || fail "render -f html differs from -o x.html"
"$DUFLAME" render --format=html -o r4.out p.folded || fail "render --format=html exit $?"
cmp -s r.html r4.out || fail "render --format=html -o r4.out is not the page"
"$DUFLAME" render -f svg -o r5.html p.folded || fail "render -f svg exit $?"
head -c 200 r5.html | grep -q '<svg' || fail "render -f svg -o x.html is not an SVG"
"$DUFLAME" render -o r6.out p.folded || fail "render -o r6.out exit $?"
head -c 200 r6.out | grep -q '<svg' || fail "render -o FILE without .html is not an SVG"
"$DUFLAME" render -f text p.folded >/dev/null 2>err && fail "render -f text accepted"
grep -q "expected svg or html" err || fail "render -f text: $(cat err)"
exit 0
