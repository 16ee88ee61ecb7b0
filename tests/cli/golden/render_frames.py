#!/usr/bin/env python3
"""Print the frames of a duflame SVG, one per line: DEPTH<TAB>COUNT<TAB>NAME
(plus <TAB>BEFORE<TAB>AFTER for a differential graph), in document order.
Parsing with xml.etree also checks that the SVG is well-formed XML; the
script fails if it is not, or if the frames break the SVG contract
(docs/svg-format.md): a title that does not start with the name and " (",
a child wider than its parent, a depth that skips a level, a script too many.
With --refold (first argument), a scan's names (shown as typed, only control
bytes and invalid UTF-8 as \\xHH) are printed as duflame's folded writer
spells them, so a scan's SVG compares with `render` of its folded output."""
import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
FG = "{urn:duflame:fg}"


def utf8_len(b, i):
    for n in (1, 2, 3, 4):
        try:
            b[i:i + n].decode("utf-8")
            return n
        except UnicodeDecodeError:
            continue
    return 0


def refold(shown):
    """names.h: name_display() undone (its \\xHH are control or non-ASCII
    bytes), then name_folded_escape()"""
    b = re.sub(rb"\\x([01][0-9a-f]|7f|[89a-f][0-9a-f])",
               lambda m: bytes([int(m.group(1), 16)]), shown.encode())
    if b == b"":
        return "\\(empty)"
    out, i = [], 0
    while i < len(b):
        n, c = utf8_len(b, i), b[i]
        if c == 0x5c:
            out.append("\\\\")
            i += 1
        elif n == 0 or (n == 1 and (c < 0x20 or c == 0x7f or c == 0x3b)):
            out.append("\\x%02x" % c)
            i += 1
        else:
            out.append(b[i:i + n].decode())
            i += n
    s = "".join(out)
    if s.startswith(" "):
        s = "\\x20" + s[1:]
    if s.endswith(" "):
        s = s[:-1] + "\\x20"
    m = re.search(r" ([0-9]+(\.[0-9]+)?)$", s)
    if m:
        s = s[:m.start()] + "\\x20" + m.group(1)
    return s


args = sys.argv[1:]
fold = bool(args) and args[0] == "--refold"
if fold:
    args = args[1:]
tree = ET.parse(args[0] if args else sys.stdin)
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
    if fold and d > 0:
        name = refold(name)
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
