#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Run the shell tests in DIR (every t_*.sh, or those matching PATTERN), each in
# its own temporary directory with $DUFLAME set, JOBS at a time (default: the
# number of cores); print one line per test and "cli: N passed, N failed". A
# test exits 0 to pass, 77 to skip.
dir=$1
pat=${2:-*}
: "${DUFLAME:?set DUFLAME to the binary}"
export DUFLAME
here=$(cd "$(dirname "$0")/.." && pwd)
export DUFLAME_SRC=$here
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
results=$(mktemp -d /tmp/duflame-cli-results.XXXXXX)

# one test: its result line and, on failure, its log go to $results/NAME
run_one() {
    local t=$1 name tmp start rc t10 secs
    name=$(basename "$t" .sh)
    tmp=$(mktemp -d /tmp/duflame-cli.XXXXXX)
    chmod 755 "$tmp"
    start=$(date +%s%N)
    (cd "$tmp" && TMPDIR=$tmp timeout 600 bash "$here/$t") >"$tmp.log" 2>&1
    rc=$?
    t10=$((($(date +%s%N) - start) / 100000000))
    secs="$((t10 / 10)).$((t10 % 10))"
    {
        if [ $rc = 0 ]; then
            echo "ok   $name (${secs}s)"
        elif [ $rc = 77 ]; then
            echo "skip $name: $(tail -1 "$tmp.log")"
        else
            echo "FAIL $name (exit $rc, ${secs}s)"
            sed 's/^/    /' "$tmp.log" | tail -40
        fi
    } >"$results/$name"
    chmod -R u+rwx "$tmp" 2>/dev/null
    rm -rf "$tmp" "$tmp.log"
}

running=0
for t in "$dir"/t_$pat.sh; do
    [ -e "$t" ] || continue
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
    run_one "$t" &
    running=$((running + 1))
done
wait

pass=0 fail=0 skip=0
for r in "$results"/*; do
    [ -e "$r" ] || continue
    cat "$r"
    case $(head -c 4 "$r") in
    "ok  ") pass=$((pass + 1)) ;;
    "skip") skip=$((skip + 1)) ;;
    *) fail=$((fail + 1)) ;;
    esac
done
rm -rf "$results"
echo "cli: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
