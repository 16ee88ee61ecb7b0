#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# No injection: names that hold markup, event handlers, scripts, "]]>",
# entities, quotes, a DOCTYPE, folded-text separators, terminal escapes and
# bytes that are not UTF-8 -- from file names (a scan), archive entries (a tar
# and a zip as PATH, and inside a directory with --archives, nested too), a
# folded line (render) and both sides of a diff -- are text and nothing else:
# every SVG is well-formed XML (python3 xml.etree), holds only the elements
# duflame writes, no event handler, no link, exactly one script that is
# flame.js (a scan's SVG also the page engine, viewer.js, with its data as
# base64 and its configuration as JSON without "<", in scripts of types no
# browser runs), "]]>" only where the styles and the scripts end, no raw
# control byte; each name is a frame's name, shown exactly as the escape rules say;
# the text report and the folded text hold no control byte, and the folded
# text of a scan draws the same frames as the scan.
set -u
fail() {
    echo "FAIL: $*" >&2
    exit 1
}
export DUFLAME DUFLAME_SRC
python3 - <<'PY' || fail "see above"
import io, json, os, re, subprocess, sys, tarfile, zipfile
import xml.etree.ElementTree as ET

D = os.environ["DUFLAME"]
JS = open(os.path.join(os.environ["DUFLAME_SRC"], "src/assets/flame.js"), encoding="utf-8").read()
VJS = open(os.path.join(os.environ["DUFLAME_SRC"], "src/assets/viewer.js"), encoding="utf-8").read()
NS = "{http://www.w3.org/2000/svg}"
FG = "{urn:duflame:fg}"
ALLOWED = {"svg", "defs", "linearGradient", "radialGradient", "stop", "style", "script", "rect",
           "text", "tspan", "g", "title", "desc", "line", "path"}

# names possible in a file system (no '/', no NUL) and in an archive (where
# a '/' would make a directory)
NAMES = [
    b"<script>alert(1)<script>",
    b"<img src=x onerror=alert(2)>",
    b"]]>",
    b"x]]>y<![CDATA[z",
    b"&amp;&lt;&#x3c;&#60;script&gt",
    b'"onload="alert(3)" x="',
    b"'onmouseover='alert(4)' \"dq\"",
    b"<title><script>alert(5)<script><title>",
    b"<svg onload=alert(6)>",
    b"--><!--<?xml x?>",
    b"<foreignObject><iframe src=javascript:alert(7)>",
    b"<style>*{fill:red}<style>",
    b"a;b;c",
    b"count 123",
    b" lead and trail ",
    b"back\\slash\\x41",
    b"\x1b[31mred\x1b[0m\x1b]0;title\x07",
    b"new\nline\rtab\t",
    b"bad\xff\xfeutf8\xc3",
    b"\xef\xbb\xbfbom \xe2\x80\xaertl",
]
# only in folded text (a '/' in an archive entry makes a directory)
FOLDED_ONLY = [b"<script>alert(1)</script>", b"</title><script>alert(5)</script><title>",
               b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
               b"<a href=\"javascript:alert(8)\">x</a>"]

def utf8_at(b, i):
    for n in (1, 2, 3, 4):
        try:
            b[i:i + n].decode("utf-8")
            return n
        except UnicodeDecodeError:
            continue
    return 0

def display(b):
    """names.h name_display: invalid UTF-8, C0, DEL, U+FFFE/F -> \\xHH"""
    out, i = [], 0
    while i < len(b):
        n = utf8_at(b, i)
        if n == 0 or (n == 1 and (b[i] < 0x20 or b[i] == 0x7f)) or b[i:i + n] in (b"\xef\xbf\xbe", b"\xef\xbf\xbf"):
            for k in range(max(n, 1)):
                out.append("\\x%02x" % b[i + k])
            i += max(n, 1)
        else:
            out.append(b[i:i + n].decode())
            i += n
    return "".join(out)

def folded_escape(b):
    """names.h name_folded_escape, as the folded writer spells names"""
    if b == b"":
        return "\\(empty)"
    out, i = [], 0
    while i < len(b):
        n = utf8_at(b, i)
        c = b[i]
        if c == 0x5c:
            out.append("\\\\"); i += 1
        elif n == 0 or (n == 1 and (c < 0x20 or c == 0x7f or c == 0x3b)):
            out.append("\\x%02x" % c); i += 1
        else:
            out.append(b[i:i + n].decode()); i += n
    s = "".join(out)
    if s.startswith(" "):
        s = "\\x20" + s[1:]
    if s.endswith(" "):
        s = s[:-1] + "\\x20"
    m = re.search(r" ([0-9]+(\.[0-9]+)?)$", s)
    if m:
        s = s[:m.start()] + "\\x20" + m.group(1)
    return s

def run(args, ok=(0,)):
    p = subprocess.run([D] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in ok:
        sys.exit("duflame %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr[:500]))
    return p.stdout

def check_svg(path, want, what):
    raw = open(path, "rb").read()
    for i, c in enumerate(raw):
        if c < 0x20 and c not in (0x0a,) or c == 0x7f:
            sys.exit("%s: raw control byte 0x%02x at %d" % (what, c, i))
    raw.decode("utf-8")
    page = b'id="dv-data"' in raw
    cdata = 4 if page else 2
    if raw.count(b"]]>") != cdata or raw.count(b"<![CDATA[") != cdata:
        sys.exit("%s: %d ']]>' and %d CDATA starts, want %d (styles, scripts)" % (what, raw.count(b"]]>"), raw.count(b"<![CDATA["), cdata))
    root = ET.fromstring(raw)
    scripts = []
    for e in root.iter():
        if not e.tag.startswith(NS) or e.tag[len(NS):] not in ALLOWED:
            sys.exit("%s: unexpected element %s" % (what, e.tag))
        for k, v in e.attrib.items():
            local = k.rsplit("}", 1)[-1]
            if local.lower().startswith("on") or local.lower().endswith("href") or "javascript:" in v.lower():
                sys.exit("%s: attribute %s=%r on %s" % (what, k, v, e.tag))
        if e.tag == NS + "script":
            scripts.append(e)
    code = [e for e in scripts if e.get("type") not in ("application/json", "application/octet-stream")]
    want_code = [JS.strip(), VJS.strip()] if page else [JS.strip()]
    if [(e.text or "").strip() for e in code] != want_code:
        sys.exit("%s: %d scripts, or they are not flame.js (and viewer.js)" % (what, len(code)))
    if page:
        inert = {e.get("id"): e for e in scripts if e not in code}
        if sorted(inert) != ["dv-config", "dv-data"]:
            sys.exit("%s: unexpected data scripts %r" % (what, sorted(inert)))
        if not re.fullmatch(r"[A-Za-z0-9+/=]*", inert["dv-data"].text or ""):
            sys.exit("%s: the data is not base64" % what)
        cfg = inert["dv-config"].text or ""
        if "<" in cfg or ">" in cfg or "&" in cfg:
            sys.exit("%s: markup characters in the configuration" % what)
        json.loads(cfg)
    frames = [g for g in root.iter(NS + "g") if g.get(FG + "d") is not None]
    names = {}
    for g in frames:
        t = g.find(NS + "title").text
        names.setdefault(t[:t.rindex(" (")], 0)
        names[t[:t.rindex(" (")]] += 1
    for w in want:
        if w not in names:
            sys.exit("%s: no frame named %r (names: %r)" % (what, w, sorted(names)[:60]))
    return names

def check_text(data, what):
    data.decode("utf-8")
    for i, c in enumerate(data):
        if (c < 0x20 and c != 0x0a) or c == 0x7f:
            sys.exit("%s: raw control byte 0x%02x at %d" % (what, c, i))

# ---- a directory whose file names are hostile ----
os.makedirs(b"tree/dir", exist_ok=True)
for i, n in enumerate(NAMES):
    with open(b"tree/" + n, "wb") as f:
        f.write(b"z" * (1000 + i))
    os.makedirs(b"tree/dir/" + n, exist_ok=True)
    with open(b"tree/dir/" + n + b"/inner", "wb") as f:
        f.write(b"y" * 10)

# ---- archives whose entry names are hostile ----
def tar_bytes(prefix, nested=None):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8",
                      errors="surrogateescape") as t:
        for i, n in enumerate(NAMES):
            name = (prefix + n).decode("utf-8", "surrogateescape")
            ti = tarfile.TarInfo(name)
            data = b"t" * (100 + i)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
        if nested:
            ti = tarfile.TarInfo(nested[0])
            ti.size = len(nested[1])
            t.addfile(ti, io.BytesIO(nested[1]))
    return buf.getvalue()

zbuf = io.BytesIO()
with zipfile.ZipFile(zbuf, "w") as z:
    for i, n in enumerate(NAMES):
        # zip names are text: keep the ones that are UTF-8
        try:
            z.writestr("zip/" + n.decode("utf-8"), b"q" * (50 + i))
        except UnicodeDecodeError:
            pass
open("hostile.zip", "wb").write(zbuf.getvalue())
open("hostile.tar", "wb").write(tar_bytes(b"top/", ("inner<b onclick=x>.zip", zbuf.getvalue())))
os.makedirs("withar", exist_ok=True)
open("withar/a.tar", "wb").write(tar_bytes(b"in/"))

# a scan's SVG shows names as typed; render draws them as its folded text
# spells them
esc = [display(n) for n in NAMES]
spelled = {display(n): folded_escape(n) for n in NAMES + [b"inner<b onclick=x>.zip"]}

# scans: SVG, text, folded
for args, what, want in (
    (["tree"], "scan of a directory", esc),
    (["hostile.tar"], "scan of a tar", esc + [display(b"inner<b onclick=x>.zip")]),
    (["--archives", "withar"], "scan with --archives", esc),
):
    run(["-q", "-o", "scan.svg"] + args)
    check_svg("scan.svg", want, what)
    check_text(run(["-q", "-f", "text"] + args), what + " (text)")
    folded = run(["-q", "-f", "folded"] + args)
    check_text(folded, what + " (folded)")
    for line in folded.split(b"\n"):
        if line and not re.fullmatch(rb"[^;\t\r]+(;[^;\t\r]+)* [0-9]+", line):
            sys.exit("%s: folded line %r" % (what, line))
    open("scan.folded", "wb").write(folded)
    run(["render", "--countname", "bytes", "-o", "again.svg", "scan.folded"])
    a = check_svg("scan.svg", want, what)
    b = check_svg("again.svg", [spelled[w] for w in want], what + " drawn from its folded text")
    a = {spelled.get(k, k): v for k, v in a.items()}
    if a != b:
        sys.exit("%s: the folded text draws other frames: %r" % (what, set(a) ^ set(b)))

# the zip: its names are UTF-8 text; names of the nested zip inside the tar too
zip_names = []
for n in NAMES:
    try:
        n.decode("utf-8")
        zip_names.append(display(n))
    except UnicodeDecodeError:
        pass
run(["-q", "-o", "zip.svg", "hostile.zip"])
check_svg("zip.svg", zip_names, "scan of a zip")
run(["-q", "-o", "nested.svg", "hostile.tar"])
check_svg("nested.svg", zip_names, "scan of a zip inside a tar")

# folded lines: names drawn as display() says, never unescaped
# (a ';' or a line end would split the name; "count 123" would read as a
# differential line's counts)
LINES = [n.replace(b";", b"").replace(b"\n", b"").replace(b"\r", b"")
         for n in NAMES + FOLDED_ONLY if n != b"count 123"]
with open("hostile.folded", "wb") as f:
    for i, frame in enumerate(LINES):
        f.write(b"hostile;" + frame + b" %d\n" % (10 + i))
want = [display(frame.rstrip(b" \t")) for frame in LINES]
run(["render", "-o", "render.svg", "hostile.folded"])
names = check_svg("render.svg", [], "render")
missing = [w for w in want if w not in names]
if missing:
    sys.exit("render: frames missing %r (have %r)" % (missing, sorted(names)))
evil = NAMES[0].decode() + "]]>&amp;\"onload=\"x"
run(["render", "--title", evil, "--subtitle", evil, "--notes", evil, "--nametype", evil,
     "--countname", evil, "-o", "opts.svg", "hostile.folded"])
root = ET.parse("opts.svg").getroot()
check_svg("opts.svg", [], "render with hostile option strings")
texts = {e.get("id"): "".join(e.itertext()) for e in root.iter() if e.get("id") in ("title", "subtitle", "notes")}
for k in ("title", "subtitle", "notes"):
    if texts.get(k) != evil:
        sys.exit("render: %s is %r, want %r" % (k, texts.get(k), evil))

# diff: hostile names on both sides
os.makedirs(b"before", exist_ok=True)
os.makedirs(b"after", exist_ok=True)
for i, n in enumerate(NAMES):
    open(b"before/" + n, "wb").write(b"b" * (5000 * (i % 3)))
    open(b"after/" + n, "wb").write(b"a" * (5000 * ((i + 1) % 3)))
run(["diff", "-q", "-o", "diff.svg", "before", "after"], ok=(0, 1))
# widths are from AFTER: the names empty after are not drawn
check_svg("diff.svg", [e for i, e in enumerate(esc) if (i + 1) % 3], "diff of two directories")
check_text(run(["diff", "-q", "-f", "text", "before", "after"], ok=(0, 1)), "diff (text)")
run(["diff", "-o", "fdiff.svg", "hostile.folded", "hostile.folded"], ok=(0, 1))
check_svg("fdiff.svg", [], "diff of two folded files")
print("ok")
PY
