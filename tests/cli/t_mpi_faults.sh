#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# duflame-mpi's faults: an unreadable directory is said once (by rank 0,
# whichever rank met it) and the walk goes on, status 1 as duflame; a rank
# that dies ends the job with a message naming it and a non-zero status,
# never a hang; bad options are said once; --help names duflame-mpi.
. "$DUFLAME_SRC/tests/cli/mpi_lib.sh"

d=$(scratch)
trap 'chmod -R u+rwx "$d" 2>/dev/null; rm -rf "$d"' EXIT
python3 "$DUFLAME_SRC/tests/cli/mpi_gen.py" "$d/t" 5000 >/dev/null || fail "generator"

# --help, and bad usage said once (not once per rank)
mpi 3 --help >help || fail "--help exit $?"
grep -q "^usage: mpirun -n N duflame-mpi" help || fail "--help: $(head -3 help)"
[ "$(grep -c -- '--one-file-system' help)" = 1 ] || fail "--help printed more than once"
if grep -q -- '--dereference\b' help; then fail "--help offers -L"; fi
grep -q -- '--archives ' help || fail "--help does not offer --archives"
grep -q -- '--metric=WHAT' help || fail "--help does not offer --metric"
if grep -q -- '--layers' help; then fail "--help offers --layers"; fi
grep -q "ncdu export, a container image or" help || fail "--help does not say which PATHs are refused"
mpi 3 --no-such-option "$d/t" >out 2>err
rc=$?
[ $rc = 2 ] || fail "bad option: exit $rc"
[ "$(grep -c "unknown option" err)" = 1 ] || fail "bad option said $(grep -c "unknown option" err) times"

# an unreadable directory (as nobody: root reads everything)
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ] &&
    setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
    chmod 000 "$d/t/top002"
    chmod -R a+rX "$d"
    chmod 000 "$d/t/top002"
    chmod 755 "$d"
    as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
    as_nobody "$DUFLAME" -q -f folded "$d/t" >one.folded 2>one.err
    [ $? = 1 ] || fail "duflame: exit not 1"
    for n in 3; do
        as_nobody env OMPI_MCA_orte_tmpdir_base=/tmp OMPI_MCA_prte_tmpdir_base=/tmp \
            timeout 120 mpirun --oversubscribe -n $n "$DUFLAME_MPI" -f folded "$d/t" \
            >mpi.folded 2>mpi.err
        rc=$?
        [ $rc = 1 ] || fail "unreadable, -n $n: exit $rc: $(cat mpi.err)"
        [ "$(grep -c "^duflame: cannot read directory '.*/t/top002': Permission denied$" mpi.err)" = 1 ] ||
            fail "unreadable, -n $n: $(cat mpi.err)"
        cmp -s one.folded mpi.folded || fail "unreadable, -n $n: folded differs"
    done
    chmod 755 "$d/t/top002"
else
    echo "unreadable directory: skipped (needs root and setpriv)"
fi

# a rank killed while the walk runs: mpirun says so and the job ends
start=$(date +%s)
DUFLAME_MPI_TEST_KILL=2 timeout 120 mpirun --allow-run-as-root --oversubscribe \
    -x DUFLAME_MPI_TEST_KILL -n 4 "$DUFLAME_MPI" -f folded "$d/t" >out 2>err
rc=$?
[ $rc != 124 ] || fail "a dead rank: the job hung"
[ $rc != 0 ] || fail "a dead rank: exit 0"
grep -qiE "rank 2|process.*2.*(signal|killed)|exited on signal 9" err || fail "a dead rank not named: $(cat err)"
[ $(($(date +%s) - start)) -lt 100 ] || fail "a dead rank: too slow to end"
exit 0
