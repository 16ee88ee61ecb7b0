#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/run.sh DUFLAME: run every bench/*.sh (but this one) with DUFLAME, one
# after the other; exit 1 if any of them missed a goal or failed.
set -u
duflame=${1:?usage: bench/run.sh path/to/duflame}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$here"/*.sh; do
    [ "$(basename "$b")" = run.sh ] && continue
    echo "== $(basename "$b")"
    bash "$b" "$duflame" || status=1
done
exit $status
