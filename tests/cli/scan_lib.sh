# SPDX-License-Identifier: BSD-2-Clause
# Helpers for the t_scan_*.sh tests (sourced, not run). The contract they
# check: the folded output of a scan adds up to du's total with the same
# options, for each metric (disk usage, apparent size, entries).
set -u

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# folded_sum FILE: the sum of the last field of every line
folded_sum() {
    awk '{ s += $NF } END { printf "%d\n", s }' "$1"
}

# du_sum DU-ARGS...: the sum of du's totals (first field of each line)
du_sum() {
    du "$@" 2>/dev/null | awk '{ s += $1 } END { printf "%d\n", s }'
}

# check_totals OPTIONS... -- PATH...: compare every metric with du. Options
# before "--" are given to both duflame and du. Extra duflame-only options can
# be put in $SCAN_EXTRA (e.g. "-j 1").
check_totals() {
    local opts=() paths=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        opts+=("$1")
        shift
    done
    [ $# -gt 0 ] && shift
    paths=("$@")
    local metric duopt scanopt got want
    for metric in disk apparent inodes; do
        case $metric in
        disk) duopt=-sB1 scanopt= ;;
        apparent) duopt=-sb scanopt=--apparent-size ;;
        inodes) duopt="-s --inodes" scanopt=--inodes ;;
        esac
        # shellcheck disable=SC2086
        "$DUFLAME" -q -f folded ${SCAN_EXTRA:-} $scanopt "${opts[@]}" -- "${paths[@]}" \
            >scan.folded 2>scan.err
        local rc=$?
        [ $rc -le 1 ] || { cat scan.err >&2; fail "duflame exited $rc (${opts[*]} $metric)"; }
        got=$(folded_sum scan.folded)
        # shellcheck disable=SC2086
        want=$(du_sum $duopt "${opts[@]}" -- "${paths[@]}")
        [ "$got" = "$want" ] ||
            fail "$metric total with '${opts[*]} ${SCAN_EXTRA:-}' on ${paths[*]}: duflame $got, du $want"
    done
}
