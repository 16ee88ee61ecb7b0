#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/view.sh DUFLAME: the HTML page on big trees, in headless Chromium.
#
#   1M    the 1,000,000-file tree of bench/corpus/synthetic-tree.sh, scanned with
#         -b (its files are sparse): the page's bytes per entry (goal <= 48),
#         then bench/view-page.mjs (medians of RUNS page loads): the first
#         picture after navigation (goal <= 3 s), zoom in, zoom out, metric
#         switch, sort and icicle toggles (goal <= 100 ms, 95th percentile <=
#         200 ms), a search over every entry (goal <= 300 ms), the JS heap
#         (goal <= 400 MB); and the run that scans and writes the page against
#         the same run writing today's SVG (median CPU time, goal <= 1.25x).
#   100k  the same on a 100,000-file tree: every interaction <= 50 ms.
#   flamegraph.pl, when on PATH (or FLAMEGRAPH=..., or the copy Devel::NYTProf
#         installs): its SVG of the same folded tree with --minwidth=0, for size
#         and the time it takes to draw.
#
# Trees are made once under $DUFLAME_BENCH_DIR/view (default
# /var/tmp/duflame-bench/view). RUNS=N (default 5). SKIP_1M=1 leaves the 1M
# tree out. Exit 1 if a goal is missed.
set -u
duflame=${1:?usage: bench/view.sh path/to/duflame}
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${DUFLAME_BENCH_DIR:-/var/tmp/duflame-bench}/view
runs=${RUNS:-5}
out=$(mktemp -d /tmp/duflame-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
mkdir -p "$dir"
status=0

if ! command -v node >/dev/null 2>&1 || [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ] ||
    [ ! -d "$here/tests/browser/node_modules/playwright-core" ]; then
    echo "view bench: skipped (needs node, chromium and tests/browser/node_modules)"
    exit 0
fi

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh" # median, flamegraph_pl
fg=()
fg_path=$(flamegraph_pl)
[ -n "$fg_path" ] && fg=(perl "$fg_path")
cpu_of() { # CMD... -> CPU seconds (user + system) of one run
    /usr/bin/time -f "%U %S" -o "$out/t" "$@" >/dev/null 2>&1
    awk '{ print $1 + $2 }' "$out/t"
}
json() { node -e 'const o = JSON.parse(process.argv[1]); console.log(o[process.argv[2]])' "$1" "$2"; }
goal() { # NAME VALUE OP LIMIT
    if awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !((op == "<=") ? v <= l : v >= l) }'; then
        printf '  %-34s %12s   (goal %s %s) ok\n' "$1" "$2" "$3" "$4"
    else
        printf '  %-34s %12s   (goal %s %s) MISSED\n' "$1" "$2" "$3" "$4"
        status=1
    fi
}

tree() { # NAME FILES
    if [ ! -f "$dir/$1.done" ]; then
        echo "view bench: making the $2-file tree (once)"
        rm -rf "${dir:?}/$1"
        nice python3 "$here/bench/corpus/synthetic-tree.sh" "$dir/$1" "$2" >/dev/null && touch "$dir/$1.done"
    fi
}

one() { # NAME FILES INTERACTION_GOAL_MS
    local t
    t=$(readlink -f "$dir/$1") # a link to a tree made elsewhere is followed
    tree "$1" "$2"
    local entries
    entries=$(du -s --inodes "$t" | cut -f1)
    "$duflame" -q -b "$t" -o "$out/$1.html"
    "$duflame" -q -b "$t" -o "$out/$1.svg"
    local bytes
    bytes=$(stat -c %s "$out/$1.html")
    echo "view bench: $1, $entries entries, page $((bytes / 1048576)) MiB, svg $(($(stat -c %s "$out/$1.svg") / 1024)) KiB, $runs runs"
    goal "bytes per entry" "$(awk -v b="$bytes" -v n="$entries" 'BEGIN { printf "%.1f", b / n }')" "<=" 48
    : >"$out/cpu-html"
    : >"$out/cpu-svg"
    for _ in $(seq 1 "$runs"); do
        cpu_of "$duflame" -q -b "$t" -o "$out/x.html" >>"$out/cpu-html"
        cpu_of "$duflame" -q -b "$t" -o "$out/x.svg" >>"$out/cpu-svg"
    done
    local ch cs
    ch=$(median <"$out/cpu-html")
    cs=$(median <"$out/cpu-svg")
    echo "  scan and write: page $ch s cpu, svg $cs s cpu (median of $runs)"
    goal "page run / svg run (cpu)" "$(awk -v a="$ch" -v b="$cs" 'BEGIN { printf "%.2f", b ? a / b : 0 }')" "<=" 1.25
    local r
    r=$(node "$here/bench/view-page.mjs" "$out/$1.html" "$runs")
    echo "  page: $r"
    echo "  renderer CPU: $(json "$r" cpu_load_ms) ms to the first picture;" \
        "per interaction zoom $(json "$r" cpu_zoom_ms), metric $(json "$r" cpu_metric_ms)," \
        "sort $(json "$r" cpu_sort_ms), icicle $(json "$r" cpu_icicle_ms) ms"
    [ "$(json "$r" errors)" = "[]" ] || { echo "  page errors: $(json "$r" errors)"; status=1; }
    [ "$3" = 100 ] && goal "first picture (ms)" "$(json "$r" first_picture_ms)" "<=" 3000
    for k in zin zout metric sort icicle; do
        goal "$k (ms, median)" "$(json "$r" ${k}_ms)" "<=" "$3"
        [ "$3" = 100 ] && goal "$k (ms, 95th percentile)" "$(json "$r" ${k}_p95_ms)" "<=" 200
    done
    local slimit=50
    [ "$3" = 100 ] && slimit=300
    goal "search (ms, slowest of 3)" "$(json "$r" search_max_ms)" "<=" "$slimit"
    echo "  search index built once in $(json "$r" search_index_ms) ms"
    goal "JS heap (MB)" "$(awk -v b="$(json "$r" heap_bytes)" 'BEGIN { printf "%.0f", b / 1e6 }')" "<=" 400
    if [ ${#fg[@]} -gt 0 ]; then
        "$duflame" -q -b -f folded "$t" >"$out/$1.folded"
        local t0 t1
        t0=$(date +%s.%N)
        "${fg[@]}" --minwidth=0 "$out/$1.folded" >"$out/$1-fg.svg" 2>/dev/null
        t1=$(date +%s.%N)
        echo "  flamegraph.pl --minwidth=0: $(($(stat -c %s "$out/$1-fg.svg") / 1048576)) MiB svg" \
            "($(awk -v n="$(stat -c %s "$out/$1-fg.svg")" -v e="$entries" 'BEGIN { printf "%.0f", n / e }') bytes per entry)," \
            "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s to draw;" \
            "in Chromium (one load): $(node "$here/bench/view-page.mjs" "$out/$1-fg.svg" 1)"
    else
        echo "  flamegraph.pl: not found (FLAMEGRAPH=path/to/flamegraph.pl to compare)"
    fi
}

one t100k 100000 50
[ -n "${SKIP_1M:-}" ] || one t1m 1000000 100
exit $status
