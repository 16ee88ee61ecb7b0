#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# With --archives, an archive's entries are written as directories and files
# below it with their shares of its disk usage and size (so the totals stay
# du's, also as ncdu reads them) and their extracted sizes under "extracted";
# the export reads back to the scan's own folded output.
. "$DUFLAME_SRC/tests/cli/ncdu_lib.sh"
mkdir t
python3 - <<'PY' || fail "cannot write the archive"
import io, tarfile
with tarfile.open("t/x.tar.gz", "w:gz") as t:
    for name, size in [("top/a", 50000), ("top/sub/b", 120000), ("top/c.txt", 3000)]:
        i = tarfile.TarInfo(name)
        i.size = size
        t.addfile(i, io.BytesIO(b"a" * size))
PY
printf 'plain\n' >t/plain
"$DUFLAME" -q --archives t -o x.json || fail "export exited $?"
grep -q '"name":"x.tar.gz","archive":true,"extracted":173000}' x.json ||
    fail "no archive with its extracted size: $(cat x.json)"
grep -q '"name":"b","asize":[0-9]*,"dsize":[0-9]*,"counted":false,"extracted":1[12][0-9][0-9][0-9][0-9]}' x.json ||
    fail "no entry with its estimated extracted size: $(cat x.json)"
for m in "" -b --inodes; do
    # shellcheck disable=SC2086
    sorted_folded scan.f --archives $m t || fail "scan $m exited $?"
    # shellcheck disable=SC2086
    sorted_folded imp.f $m x.json || fail "import $m exited $?"
    cmp -s scan.f imp.f || { diff scan.f imp.f >&2; fail "import differs from the scan ($m)"; }
done
set -- $(ncdu_totals x.json)
[ "$1 $2" = "$(du -sB1 t | cut -f1) $(du -sb t | cut -f1)" ] || fail "export totals $1 $2 are not du's"
if command -v ncdu >/dev/null; then
    ncdu -f x.json -o out.json 2>ncdu.err </dev/null || fail "ncdu -f exited $?"
    ncdu_said ncdu.err && fail "ncdu said: $(cat ncdu.err)"
    set -- $(ncdu_totals out.json)
    [ "$1 $2" = "$(du -sB1 t | cut -f1) $(du -sb t | cut -f1)" ] || fail "ncdu's totals $1 $2 are not du's"
fi
exit 0
