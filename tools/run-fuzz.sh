#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Run every libFuzzer harness in DIR for SECONDS each, starting from its seed
# corpus tests/fuzz/corpus/<name>/ and its saved findings tests/fuzz/regress/<name>/
# (copied, so the seeds are not changed).
# A crash leaves its input as DIR/crash-* and fails the run.
dir=$1
secs=${2:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
for h in "$dir"/fuzz_*; do
    [ -x "$h" ] || continue
    name=$(basename "$h")
    work=$(mktemp -d /tmp/duflame-fuzz.XXXXXX)
    [ -d "$here/tests/fuzz/corpus/$name" ] && cp -r "$here/tests/fuzz/corpus/$name/." "$work/"
    # earlier findings (tests/fuzz/regress/<name>/) start the run as seeds too
    [ -d "$here/tests/fuzz/regress/$name" ] && cp -r "$here/tests/fuzz/regress/$name/." "$work/"
    if "$h" -max_total_time="$secs" -rss_limit_mb=1024 -timeout=10 -print_final_stats=0 \
        -artifact_prefix="$dir/crash-$name-" "$work" >"$work.log" 2>&1; then
        pass=$((pass + 1))
        echo "ok   $name ($(grep -o 'Done [0-9]* runs' "$work.log" | tail -1))"
    else
        fail=$((fail + 1))
        echo "FAIL $name"
        tail -40 "$work.log"
    fi
    rm -rf "$work" "$work.log"
done
echo "fuzz: $pass passed, $fail failed"
[ $fail = 0 ]
