#!/bin/bash
# Run the shell tests in DIR (every t_*.sh, or those matching PATTERN), each in
# its own temporary directory with $DUFLAME set; print one line per test and
# "cli: N passed, N failed". A test exits 0 to pass, 77 to skip.
dir=$1
pat=${2:-*}
: "${DUFLAME:?set DUFLAME to the binary}"
export DUFLAME
here=$(cd "$(dirname "$0")/.." && pwd)
export DUFLAME_SRC=$here
pass=0 fail=0 skip=0
failed=""
for t in "$dir"/t_$pat.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    tmp=$(mktemp -d /tmp/duflame-cli.XXXXXX)
    chmod 755 "$tmp"
    start=$(date +%s%N)
    (cd "$tmp" && TMPDIR=$tmp timeout 300 bash "$here/$t") >"$tmp.log" 2>&1
    rc=$?
    t10=$(( ($(date +%s%N) - start) / 100000000 )); secs="$((t10 / 10)).$((t10 % 10))"
    if [ $rc = 0 ]; then
        pass=$((pass + 1)); echo "ok   $name (${secs}s)"
    elif [ $rc = 77 ]; then
        skip=$((skip + 1)); echo "skip $name: $(tail -1 "$tmp.log")"
    else
        fail=$((fail + 1)); failed="$failed $name"
        echo "FAIL $name (exit $rc)"; sed 's/^/    /' "$tmp.log" | tail -40
    fi
    chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp" "$tmp.log"
done
echo "cli: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
