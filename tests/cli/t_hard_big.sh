#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Big inputs stay within bounds: a folded line of 100,000 frames (beside
# shorter lines that share part of it) is drawn with every frame at the right
# depth and weight, also as a flame chart, under a 1 MiB stack;
# and 60,000 distinct frames, all drawn (--minwidth 0), give a well-formed
# SVG with exactly one <g> and one <title> per frame plus the root. A
# differential input of the long line works too.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

python3 - <<'PY' || fail "cannot write the inputs"
n = 100000
frames = ["f%d" % i for i in range(n)]
with open("long.folded", "w") as f:
    f.write(";".join(frames) + " 7\n")
    f.write(";".join(frames[:50000]) + ";side 5\n")
    f.write(";".join(frames[:10]) + " 3\n")
with open("long.diff", "w") as f:
    f.write(";".join(frames) + " 7 9\n")
    f.write(";".join(frames[:50000]) + ";side 5 0\n")
with open("wide.folded", "w") as f:
    for i in range(20000):
        f.write("top%d;mid%d;leaf%d %d\n" % (i % 5, i, i, 1 + i % 3))
PY

render() { # render OUT ARGS...: under a small stack; no message allowed
    local out=$1
    shift
    (ulimit -s 1024 && exec "$DUFLAME" render "$@") >"$out" 2>err
    local rc=$?
    [ $rc = 0 ] || { head -c 500 err; fail "render $*: exit $rc"; }
    [ -s err ] && { head -c 500 err; fail "render $*: said $(head -c 300 err)"; }
}
render long.svg --minwidth 0 long.folded
render long-chart.svg --minwidth 0 --flamechart long.folded
render long-diff.svg --minwidth 0 long.diff
render wide.svg --minwidth 0 wide.folded

python3 - <<'PY' || fail "the SVGs are wrong"
import sys, xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"
FG = "{urn:duflame:fg}"

def frames(path):
    root = ET.parse(path).getroot()
    g = [e for e in root.iter(NS + "g") if e.get("id") == "frames"]
    if len(g) != 1:
        sys.exit("%s: %d frame groups" % (path, len(g)))
    out = []
    for fr in g[0]:
        t = fr.find(NS + "title")
        name = t.text.rsplit(" (", 1)[0]
        out.append((name, int(fr.get(FG + "d")), int(fr.get(FG + "w"))))
    return out

for path in ("long.svg", "long-chart.svg"):
    fr = frames(path)
    by = {}
    for name, d, w in fr:
        by.setdefault((name, d), 0)
        by[(name, d)] += w
    if path != "long-chart.svg" and len(fr) != 100000 + 2:
        sys.exit("%s: %d frames, want 100,002" % (path, len(fr)))
    if by.get(("all", 0)) != 15:
        sys.exit("%s: root weight %r" % (path, by.get(("all", 0))))
    if by.get(("f99999", 100000)) != 7:
        sys.exit("%s: the deepest frame is %r" % (path, by.get(("f99999", 100000))))
    if by.get(("side", 50001)) != 5:
        sys.exit("%s: side frame %r" % (path, by.get(("side", 50001))))
    if path != "long-chart.svg" and (by.get(("f9", 10)) != 15 or by.get(("f10", 11)) != 12):
        sys.exit("%s: shared prefix weights %r %r" % (path, by.get(("f9", 10)), by.get(("f10", 11))))

# widths from AFTER: the side frame (after 0) is not drawn
fr = frames("long-diff.svg")
if len(fr) != 100000 + 1 or fr[-1][:2] != ("f99999", 100000):
    sys.exit("long-diff.svg: %d frames, the last %r" % (len(fr), fr[-1]))

fr = frames("wide.svg")
names = [n for n, d, w in fr]
want = 1 + 5 + 20000 + 20000
if len(fr) != want or len(set((n, d) for n, d, w in fr)) != want:
    sys.exit("wide.svg: %d frames (%d distinct), want %d" % (len(fr), len(set(names)), want))
total = sum(1 + i % 3 for i in range(20000))
if fr[0] != ("all", 0, total):
    sys.exit("wide.svg: root %r" % (fr[0],))
PY
echo ok
