# SPDX-License-Identifier: BSD-2-Clause
# render: names with any bytes stay well-formed XML, are shown escaped, and
# cannot end the title, the text or the script's CDATA, nor inject markup
set -eu
G=$DUFLAME_SRC/tests/cli/golden
frames() { python3 "$G/render_frames.py" "$@"; }

printf '%s\n' \
    'main;</title><script>alert(1)</script> 1' \
    'main;]]></script><script>alert(2)</script> 1' \
    'main;"quoted" & '"'"'single'"'"' 1' \
    'main;<!-- comment --> 1' > in.folded
printf 'main;bad\xff\xfebytes\x01\x1b[31m 1\n' >> in.folded
printf 'main;caf\xc3\xa9 \xe2\x82\xac 1\n' >> in.folded
"$DUFLAME" render --title '</text><script>alert(3)</script>' in.folded > out.svg
frames out.svg > out.frames   # parses: well-formed, exactly one <script>
cat out.frames
grep -q "^2	1	</title><script>alert(1)</script>$" out.frames
grep -q "^2	1	]]></script><script>alert(2)</script>$" out.frames
grep -q "^2	1	bad\\\\xff\\\\xfebytes\\\\x01\\\\x1b\[31m$" out.frames
grep -q "^2	1	café €$" out.frames
[ "$(grep -c ']]>' out.svg)" = 2 ]
grep -q '<script>alert' out.svg && { echo injected; exit 1; }
python3 - out.svg <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
scripts = [e for e in root.iter() if e.tag.endswith('}script')]
assert len(scripts) == 1
# nothing but the known elements anywhere
ok = {'svg', 'desc', 'defs', 'linearGradient', 'stop', 'style', 'script', 'g', 'rect',
      'text', 'title'}
for e in root.iter():
    assert e.tag.split('}')[1] in ok, e.tag
    for k in e.attrib:
        assert not k.lower().startswith('on'), k
PY
echo ok
