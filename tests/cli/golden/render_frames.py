#!/usr/bin/env python3
"""Print the frames of a duflame SVG, one per line: DEPTH<TAB>COUNT<TAB>NAME
(plus <TAB>BEFORE<TAB>AFTER for a differential graph), in document order.
Parsing with xml.etree also checks that the SVG is well-formed XML; the
script fails if it is not, or if the frames break the SVG contract
(docs/svg-format.md): a title that does not start with the name and " (",
a child wider than its parent, a depth that skips a level, a script too many."""
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
FG = "{urn:duflame:fg}"

tree = ET.parse(sys.argv[1] if len(sys.argv) > 1 else sys.stdin)
root = tree.getroot()
assert root.tag == SVG + "svg", root.tag
frames = root.find(".//" + SVG + "g[@id='frames']")
assert frames is not None, "no <g id='frames'>"
# one script (flame.js); a scan's SVG also has the page engine and its two
# data scripts, which no browser runs (docs/svg-format.md)
scripts = root.findall(".//" + SVG + "script")
code = [s for s in scripts if s.get("type") not in ("application/json", "application/octet-stream")]
has_data = root.find(".//" + SVG + "script[@id='dv-data']") is not None
assert len(code) == (2 if has_data else 1) and len(scripts) == (4 if has_data else 1), \
    "not exactly one script (or flame.js and the page engine with its data)"
stack = []  # (depth, x, w) of open ancestors
for g in frames.findall(SVG + "g"):
    w, d, x = int(g.get(FG + "w")), int(g.get(FG + "d")), int(g.get(FG + "x"))
    title = g.find(SVG + "title").text or ""
    k = title.rfind(" (")
    assert k >= 0, "title without ' (': %r" % title
    name = title[:k]
    while stack and stack[-1][0] >= d:
        stack.pop()
    if stack:
        pd, px, pw = stack[-1]
        assert pd == d - 1, "depth %d below depth %d" % (d, pd)
        assert px <= x and x + w <= px + pw, "frame %r outside its parent" % name
    else:
        assert d == 0, "first frame at depth %d" % d
    stack.append((d, x, w))
    extra = ""
    if g.get(FG + "b") is not None:
        extra = "\t%s\t%s" % (g.get(FG + "b"), g.get(FG + "a"))
    sys.stdout.write("%d\t%d\t%s%s\n" % (d, w, name.replace("\t", "\\t"), extra))
