#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame diff --fail-over-path=LIMIT:GLOB: a gate on the sum of the paths a
# glob matches (* within a name, ** across /), exit 3 with a message naming
# the glob and the growth; several gates, each said; bad arguments exit 2.
set -eu
fail() { echo "FAIL: $*" >&2; exit 1; }
run() {
    local want=$1 rc=0
    shift
    "$DUFLAME" diff -f text --apparent-size "$@" old new >out 2>err || rc=$?
    [ "$rc" = "$want" ] || { cat err >&2; fail "diff $*: exit $rc, want $want"; }
}
mk() { mkdir -p "$(dirname "$1")" && head -c "$2" /dev/zero >"$1"; }

# dist/*.js grows by 1000 + 500 (a new file); dist/map/x.js by 4000 (only **
# reaches it); src shrinks; a name with a colon
mk old/dist/app.js 1000
mk new/dist/app.js 2000
mk new/dist/new.js 500
mk old/dist/map/x.js 1000
mk new/dist/map/x.js 5000
mk old/src/main.c 9000
mk new/src/main.c 1000
mk old/a:b/f 10
mk new/a:b/f 20

run 3 --fail-over-path=1499:dist/*.js
grep -qx "duflame: the 2 paths matching 'dist/\*.js' grew by +1.5 KiB (+150.0%), more than --fail-over-path=1499:dist/\*.js" err ||
    fail "message: $(cat err)"
run 0 --fail-over-path=1500:dist/*.js
run 0 --fail-over-path=150%:dist/*.js
run 3 --fail-over-path=149%:dist/*.js
# ** crosses /: dist/**.js holds x.js too (1500 + 4000)
run 0 --fail-over-path=5500:dist/**.js
run 3 --fail-over-path=5499:dist/**.js
# a directory matched counts whole (dist/ grew by 5500 plus nothing of its own)
run 3 --fail-over-path=5K:dist
# the total shrank, so --fail-over passes while the path gate trips
run 3 --fail-over=0 --fail-over-path=1K:dist/**
grep -q "more than --fail-over-path=1K:dist/\*\*" err || fail "path gate not said: $(cat err)"
grep -q "more than --fail-over=" err && fail "the total gate tripped although the total shrank"
# several gates: each that trips is said
run 3 --fail-over-path=1:src/** --fail-over-path=1:a:b/* --fail-over-path=1:dist/*.js
[ "$(grep -c 'more than --fail-over-path' err)" = 2 ] || fail "two gates trip: $(cat err)"
grep -q "matching 'a:b/\*'" err || fail "the colon glob: $(cat err)"
# nothing matches: nothing grew
run 0 --fail-over-path=0:nothing/*
# the output is written whatever the gates say
grep -q '^changed most' out || fail "text not written"
# bad arguments: exit 2 before any scan
for bad in dist/*.js 5%: :dist lots:dist; do
    rc=0
    "$DUFLAME" diff "--fail-over-path=$bad" old new >/dev/null 2>err || rc=$?
    [ $rc = 2 ] || fail "--fail-over-path=$bad: exit $rc"
    grep -q "^duflame: invalid --fail-over-path '" err || fail "message for '$bad': $(cat err)"
done
exit 0
