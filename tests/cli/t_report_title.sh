#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# The title says what was measured, in the report's heading and the
# picture's title: disk usage, apparent size, entries, an archive's extracted
# size, and extracted sizes inside archives that --archives opened.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"
command -v tar >/dev/null || { echo "no tar"; exit 77; }

mkdir -p t/src
head -c 20000 /dev/urandom >t/src/a.c
tar -cf t/x.tar -C t src

heading() { "$DUFLAME" -q "$@" | head -1 | sed 's/: .*//'; }
[ "$(heading t)" = "Disk usage of t" ] || fail "disk: $(heading t)"
[ "$(heading -b t)" = "Apparent size of t" ] || fail "-b: $(heading -b t)"
[ "$(heading --apparent-size t)" = "Apparent size of t" ] || fail "--apparent-size"
[ "$(heading --inodes t)" = "Entries in t" ] || fail "--inodes: $(heading --inodes t)"
[ "$(heading t/x.tar)" = "Extracted size of t/x.tar" ] || fail "archive: $(heading t/x.tar)"
[ "$(heading --inodes t/x.tar)" = "Entries in t/x.tar" ] || fail "archive entries"
[ "$(heading --archives t)" = "Disk usage of t, with extracted sizes inside archives" ] ||
    fail "--archives: $(heading --archives t)"
[ "$(heading --archives t/src)" = "Disk usage of t/src" ] ||
    fail "--archives without an archive: $(heading --archives t/src)"
"$DUFLAME" -q --inodes t | head -1 | grep -Eq '^Entries in t: [0-9,]+ entries$' ||
    fail "--inodes heading: $("$DUFLAME" -q --inodes t | head -1)"

# the picture says the same
"$DUFLAME" -q t/x.tar -o x.svg || fail "svg: exit $?"
grep -q 'Extracted size of t/x.tar' x.svg || fail "the SVG's title is not the archive's"
"$DUFLAME" -q --inodes t -o i.svg || fail "svg: exit $?"
grep -q 'Entries in t' i.svg || fail "the SVG's title does not say entries"
echo ok
