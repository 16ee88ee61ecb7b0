#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame diff --help lists every option the command accepts (its own, the
# scan's, the archives' and the renderer's), and the man page documents each
# of them: the diff options in its DIFF section.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
man=$DUFLAME_SRC/man/duflame.1
src=$DUFLAME_SRC/src/cmd_diff.c

"$DUFLAME" diff --help >help.txt || fail "--help exit $?"
[ -s help.txt ] || fail "--help printed nothing"
grep -q '^usage: duflame diff \[OPTIONS\] BEFORE AFTER' help.txt || fail "usage line"

# the man page with its escapes undone, and its DIFF section alone
sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man" >man.txt
sed -n '/^\.\\" ==== DIFF/,/^\.\\" ==== FORMATS/p' man.txt >diff-section.txt
[ "$(wc -l <diff-section.txt)" -gt 50 ] || fail "the man page has no DIFF section"

# every long option in the table of cmd_diff.c and of the output and scan
# groups of cli.c is in --help and in the DIFF section
opts=$(sed -n '/^static const struct option diff_options/,/^};/p' "$src" |
    grep -o '{"[a-z-]*"' | tr -d '{"')
# ... and the scan options it shares with duflame PATH (cli.c)
for t in output_longs scan_longs; do
    opts="$opts $(sed -n "/^static const struct option $t\[\] = {/,/^};/p" "$DUFLAME_SRC/src/cli.c" |
        grep -o '{"[a-z-]*"' | tr -d '{"')"
done
# with those scan_longs shares with the walk of duflame-mpi (WALK_LONGS)
opts="$opts $(sed -n '/^#define WALK_LONGS/,/^\/\* clang-format on/p' "$DUFLAME_SRC/src/cli.c" |
    grep -o '{"[a-z-]*"' | tr -d '{"')"
[ "$(echo "$opts" | wc -w)" -ge 14 ] || fail "could not read the option table: $opts"
for o in $opts; do
    grep -q -- "--$o\b" help.txt || fail "--$o missing from --help"
    grep -q -- "--$o\b" diff-section.txt || fail "--$o missing from the DIFF section of the man page"
done
# short options too
for s in o f x X L l j q b; do
    grep -q -- "-$s, --" help.txt || fail "-$s missing from --help"
done

# every long option --help names is documented somewhere in the man page,
# and is accepted by duflame diff
for o in $(grep -o -- '--[a-z][a-z-]*' help.txt | sort -u); do
    grep -q -- "$o\b" man.txt || fail "$o (in --help) is not in the man page"
    rc=0
    "$DUFLAME" diff "$o" >/dev/null 2>err </dev/null || rc=$?
    grep -q "unknown option" err && fail "$o is in --help but not accepted"
done
# the archive and renderer options are there
for o in --archives --archive-depth --negate --diff-width --title --minwidth; do
    grep -q -- "$o" help.txt || fail "$o missing from --help"
done
# exit status 3 is documented
grep -A6 '^\.B 3$' man.txt | grep -q 'fail-over' || fail "EXIT STATUS does not document 3"
echo ok
