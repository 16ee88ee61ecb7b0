#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/run.sh DUFLAME: run every bench/*.sh (but this one and lib.sh, which
# they source) with DUFLAME, one after the other; exit 1 if any of them missed
# a goal or failed.
set -u
duflame=${1:?usage: bench/run.sh path/to/duflame}
here=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$here"/*.sh; do
    case $(basename "$b") in run.sh | lib.sh) continue ;; esac
    echo "== $(basename "$b")"
    bash "$b" "$duflame" || status=1
done
exit $status
