#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Archive options: bad values are usage errors (exit 2), --help and the man
# page list every archive option; encrypted entries are listed with their
# sizes and a warning (exit 1).
set -u
fail() { echo "FAIL: $*"; exit 1; }
for bad in --archive-depth=65 --archive-depth=x --archive-entries=0 --archive-bytes=0 \
           --archive-memory=lots --archive-spool=-1; do
    "$DUFLAME" "$bad" . -f folded >/dev/null 2>err.txt
    rc=$?
    [ $rc = 2 ] || fail "$bad: exit $rc, expected 2"
    grep -q "invalid --" err.txt || { cat err.txt; fail "$bad: message"; }
done
"$DUFLAME" --help > help.txt || fail "--help"
for o in archives archive-depth archive-entries archive-bytes archive-memory archive-spool; do
    grep -q -- "--$o" help.txt || fail "--help lacks --$o"
    grep -q -- "\\\\-\\\\-$(echo $o | sed 's/-/\\\\-/g')" "$DUFLAME_SRC/man/duflame.1" ||
        fail "the man page lacks --$o"
done

command -v 7z >/dev/null || { echo "7z missing"; exit 77; }
seq 1 1000 > a.txt
head -c 5000 /dev/urandom > b.bin
7z a -bd -tzip -psecret enc.zip a.txt b.bin >/dev/null || fail "7z zip"
7z a -bd -psecret enc.7z a.txt b.bin >/dev/null || fail "7z"
for f in enc.zip enc.7z; do
    "$DUFLAME" $f -f folded -o out.folded 2>err.txt
    rc=$?
    [ $rc = 1 ] || fail "$f: exit $rc, expected 1"
    grep -q "'$f': 2 encrypted entries" err.txt || { cat err.txt; fail "$f: warning"; }
    grep -qx "$f;b.bin 5000" out.folded || { cat out.folded; fail "$f: b.bin not listed"; }
    grep -qx "$f;a.txt 3893" out.folded || fail "$f: a.txt not listed"
done
exit 0
