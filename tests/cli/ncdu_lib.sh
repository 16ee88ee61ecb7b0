# SPDX-License-Identifier: BSD-2-Clause
# Helpers for the t_ncdu_*.sh tests (sourced, not run), on top of scan_lib.sh.
# shellcheck source=tests/cli/scan_lib.sh
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

# need PROGRAM: skip the test (exit 77) with a message when it is missing
need() {
    command -v "$1" >/dev/null || { echo "skip: $1 is not installed"; exit 77; }
}

# ncdu_totals FILE: "DISK APPARENT ENTRIES" of an ncdu export, counted as ncdu
# and du count them: every entry once, the names of one inode (hlnkc, same
# dev and ino; dev inherited from the directory above) once, excluded
# entries and those marked "counted":false not at all. Names are bytes, so
# the JSON is decoded with surrogateescape.
ncdu_totals() {
    python3 - "$1" <<'PY'
import json, sys
sys.setrecursionlimit(1000000)
doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8", "surrogateescape"))
assert doc[0] == 1, "major version"
disk = app = ent = 0
seen = set()
stack = [(doc[3], 0)]
while stack:
    item, dev = stack.pop()
    info = item[0] if isinstance(item, list) else item
    dev = info.get("dev", dev)
    if isinstance(item, list):
        stack.extend((c, dev) for c in item[1:])
    if "excluded" in info:
        continue
    if info.get("hlnkc") and "ino" in info and not isinstance(item, list):
        if (dev, info["ino"]) in seen:
            continue
        seen.add((dev, info["ino"]))
    disk += info.get("dsize", 0)
    app += info.get("asize", 0)
    if info.get("counted", True) and not info.get("paths"):
        ent += 1
print(disk, app, ent)
PY
}

# du_totals DIR: "DISK APPARENT ENTRIES" by du
du_totals() {
    echo "$(du -sB1 "$1" | cut -f1) $(du -sb "$1" | cut -f1) $(du -s --inodes "$1" | cut -f1)"
}

# sorted_folded OUT ARGS...: duflame's folded output for ARGS, sorted, to OUT
sorted_folded() {
    local out=$1
    shift
    "$DUFLAME" -q -f folded "$@" >"$out.unsorted" 2>"$out.err"
    local rc=$?
    LC_ALL=C sort "$out.unsorted" >"$out"
    return $rc
}

# a small tree with the shapes an export must carry: nested directories,
# hard links (two directories), a symbolic link, a fifo, a sparse file, an
# empty directory, names with a newline, a quote, a backslash and bytes that
# are not UTF-8
make_tree() {
    local t=$1
    mkdir -p "$t/a/b/c" "$t/empty" "$t/links"
    head -c 10000 /dev/urandom >"$t/a/rand"
    printf 'hello\n' >"$t/a/b/c/small"
    head -c 70000 /dev/zero >"$t/links/big"
    ln "$t/links/big" "$t/a/big-again"
    ln "$t/links/big" "$t/links/big-third"
    ln -s ../a "$t/links/to-a"
    mkfifo "$t/fifo"
    truncate -s 5M "$t/sparse"
    printf 'x' >"$t/new
line"
    printf 'q' >"$t/quote\"back\\slash"
    printf 'b' >"$t/$(printf 'bad-\377\376-utf8')"
}

# ncdu_said FILE: did ncdu complain in FILE (its stderr)? Its import errors
# read "Line N byte M: WHAT"; its progress display, also on stderr, is not a
# complaint.
ncdu_said() {
    grep -aqE 'Line [0-9]+ byte [0-9]+|[Ee]rror' "$1"
}
