#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# make run: draw ARGS (default: the current directory) and say where the SVG is.
bin=$1
shift
out=${DUFLAME_OUT:-duflame.svg}
[ $# -gt 0 ] || set -- .
"$bin" -o "$out" "$@"
rc=$?
[ -s "$out" ] && echo "duflame: wrote $(pwd)/$out — open it in a browser"
exit $rc
