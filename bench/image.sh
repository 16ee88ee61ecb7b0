#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Container image reading speed: an image of 10 layers and 100k files (a
# docker save tarball made here: each layer 10,000 files of 1 B to 4 KiB, later
# layers overwriting and whiting out some of the earlier files) read by
# duflame, next to duflame reading the same 10 layers as plain tars. Runs
# alternate so both see the same machine load; medians of wall and
# user+system CPU time are compared. Goal: image / plain tars <= 1.2.
#   bench/image.sh [DUFLAME] [RUNS]      (default build/duflame, 5 runs each)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
duflame=${1:-$here/build/duflame}
runs=${2:-5}
[ -x "$duflame" ] || { echo "image: $duflame is not built" >&2; exit 2; }
command -v python3 >/dev/null || { echo "image: python3 missing, skipped"; exit 0; }
work=$(mktemp -d /tmp/duflame-bench-image.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import hashlib, io, json, os, random, sys, tarfile
work = sys.argv[1]
rnd = random.Random(1)
layers, diff_ids, history = [], [], []
for i in range(10):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for j in range(10000):
            # a tenth of each layer rewrites paths of the layer before it
            k = i - 1 if (i and j % 10 == 0) else i
            ti = tarfile.TarInfo("usr/share/d%d/s%d/f%d" % (k, j // 100, j))
            ti.size = 1 + rnd.randrange(4096)
            t.addfile(ti, io.BytesIO(bytes(ti.size)))
        if i:
            ti = tarfile.TarInfo("usr/share/d%d/s5/.wh.f501" % (i - 1))
            t.addfile(ti, io.BytesIO(b""))
    data = buf.getvalue()
    with open(os.path.join(work, "layer%d.tar" % i), "wb") as f:
        f.write(data)
    layers.append(data)
    diff_ids.append("sha256:" + hashlib.sha256(data).hexdigest())
    history.append({"created_by": "/bin/sh -c make layer %d" % i})
cfg = json.dumps({"history": history, "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
with tarfile.open(os.path.join(work, "image.tar"), "w") as out:
    names = []
    for i, data in enumerate(layers):
        name = "%064x/layer.tar" % (i + 1)
        names.append(name)
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        out.addfile(ti, io.BytesIO(data))
    for name, data in (("config.json", cfg), ("manifest.json", json.dumps(
            [{"Config": "config.json", "Layers": names}]).encode())):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        out.addfile(ti, io.BytesIO(data))
PY
layers=$(for i in $(seq 0 9); do echo "$work/layer$i.tar"; done)

# right before fast: 100k files in the layers, the final file system smaller
"$duflame" -f text "$work/image.tar" >"$work/r.txt" 2>&1 || { cat "$work/r.txt"; exit 1; }
grep "^Image" "$work/r.txt" | sed 's/^/image: /'
n=$(
    # shellcheck disable=SC2086
    "$duflame" -f folded $layers | wc -l
)
[ "$n" = 100000 ] || { echo "image: the layers hold $n files, not 100000" >&2; exit 1; }

timed() {
    /usr/bin/time -o "$work/t" -f '%e %U %S' "$@" >/dev/null 2>&1
    awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$work/t"
}
median() { sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m }'; }
: >"$work/runs"
for i in $(seq "$runs"); do
    echo "image $(timed "$duflame" "$work/image.tar" -f folded -o /dev/null)" >>"$work/runs"
    # shellcheck disable=SC2086
    echo "tars $(timed "$duflame" $layers -f folded -o /dev/null)" >>"$work/runs"
done
iw=$(awk '$1 == "image" { print $2 }' "$work/runs" | median)
ic=$(awk '$1 == "image" { print $3 }' "$work/runs" | median)
tw=$(awk '$1 == "tars" { print $2 }' "$work/runs" | median)
tc=$(awk '$1 == "tars" { print $3 }' "$work/runs" | median)
rw=$(awk -v a="$iw" -v b="$tw" 'BEGIN { printf "%.3f", a / b }')
rc=$(awk -v a="$ic" -v b="$tc" 'BEGIN { printf "%.3f", a / b }')
echo "image: 10 layers, 100,000 files, $runs alternating runs each, medians ($(uptime | sed 's/.*load/load/'))"
echo "image:   duflame image.tar          wall ${iw}s  cpu ${ic}s"
echo "image:   duflame layer0..9.tar      wall ${tw}s  cpu ${tc}s"
echo "image:   ratio image/plain tars  wall $rw  cpu $rc  (goal <= 1.2)"
awk -v r="$rw" 'BEGIN { exit !(r <= 1.2) }' || echo "image: GOAL MISSED (wall ratio $rw > 1.2)"
exit 0
