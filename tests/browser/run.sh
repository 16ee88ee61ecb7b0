#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Browser tests: render folded fixtures with the real duflame ($DUFLAME), open
# the SVGs from file:// URLs in headless Chromium (playwright-core) and drive them.
# Each *.mjs test prints "ok - ..." / "not ok - ..." lines; the closing line is
# "browser: N passed, N failed". Exit 0 when all pass, 1 otherwise, 77 when
# node or chromium is missing (skip).
set -u
dir=$(cd "$(dirname "$0")" && pwd)
: "${DUFLAME:?set DUFLAME to the duflame binary}"
case $DUFLAME in /*) ;; *) DUFLAME=$(pwd)/$DUFLAME ;; esac
export DUFLAME
if ! command -v node >/dev/null 2>&1 || [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "browser: skipped (needs node and ${CHROMIUM:-/usr/bin/chromium})"
    exit 77
fi
if [ ! -d "$dir/node_modules/playwright-core" ]; then
    (cd "$dir" && npm install --no-audit --no-fund) || { echo "browser: npm install failed"; exit 1; }
fi
pass=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for t in "$dir"/*.mjs; do
    case $(basename "$t") in lib.mjs | viewlib.mjs | bench.mjs | screenshot.mjs) continue ;; esac
    node "$t" >"$out" 2>&1
    rc=$?
    cat "$out"
    p=$(grep -c '^ok ' "$out")
    f=$(grep -c '^not ok ' "$out")
    # a test file that dies without reporting a failure still fails
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok - $(basename "$t"): exited with status $rc"
        f=1
    fi
    pass=$((pass + p))
    fail=$((fail + f))
done
echo "browser: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
