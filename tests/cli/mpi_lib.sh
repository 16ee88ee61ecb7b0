# SPDX-License-Identifier: BSD-2-Clause
# Helpers for the t_mpi_*.sh tests (sourced, not run): duflame-mpi run by
# mpirun on this machine (loopback, as root too), compared with duflame.
# A test is skipped (77) when mpirun or duflame-mpi is missing.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

[ -n "${DUFLAME_MPI:-}" ] && [ -x "$DUFLAME_MPI" ] || {
    echo "skipped: duflame-mpi was not built (no MPI: apt-get install libopenmpi-dev openmpi-bin)"
    exit 77
}
command -v mpirun >/dev/null || { echo "skipped: no mpirun (apt-get install openmpi-bin)"; exit 77; }

# OpenMPI refuses root without these, and wants no more ranks than cores
# without --oversubscribe; quiet about a missing network
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_base_warn_component_unused=0
export SOURCE_DATE_EPOCH=1700000000
mpi() {
    local n=$1
    shift
    timeout 120 mpirun --allow-run-as-root --oversubscribe -n "$n" "$DUFLAME_MPI" "$@"
}
mpirun --allow-run-as-root --oversubscribe -n 1 true >/dev/null 2>&1 ||
    { echo "skipped: mpirun cannot start a job here"; exit 77; }

# scratch: a tree on tmpfs when there is one (a 100k-entry tree is made in
# seconds there), else here
scratch() {
    local d
    d=$(mktemp -d /dev/shm/duflame-mpi.XXXXXX 2>/dev/null) || d=$(mktemp -d "$PWD/mpi.XXXXXX")
    echo "$d"
}

# same_as_duflame N "EXT..." OPTS... -- PATH...: what duflame-mpi writes with
# N ranks, in each format named by its extension (txt, json: ncdu, svg,
# html, folded), is byte for byte duflame's, and so is the exit status
same_as_duflame() {
    local n=$1 exts=$2 opts=() paths=()
    shift 2
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        opts+=("$1")
        shift
    done
    shift
    paths=("$@")
    local ext rc
    for ext in $exts; do
        [ -f "one.$ext" ] || {
            "$DUFLAME" -q "${opts[@]}" -o "one.$ext" "${paths[@]}" 2>one.err
            echo $? >"one.$ext.rc"
        }
        mpi "$n" "${opts[@]}" -o "mpi.$ext" "${paths[@]}" 2>mpi.err >/dev/null
        rc=$?
        [ "$rc" = "$(cat "one.$ext.rc")" ] || fail "-n $n ${opts[*]} .$ext: exit $rc, duflame $(cat "one.$ext.rc"): $(cat mpi.err)"
        cmp -s "one.$ext" "mpi.$ext" || fail "-n $n ${opts[*]}: .$ext differs from duflame's"
    done
    rm -f one.* mpi.*
}
