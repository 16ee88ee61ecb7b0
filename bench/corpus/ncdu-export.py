#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Write an ncdu JSON export (format 1.2) of N entries (default 1000000) to
standard output, generated directly: the shape of synthetic-tree.sh (16-wide
fan-out, up to 12 levels, file sizes from a skewed distribution, a hard link
now and then). Same N, same bytes."""
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
rng = random.Random(42)
# a tree of directories first: each new one under a random earlier one
ndirs = max(1, n // 16)
parent = [-1]
depth = [0]
for i in range(1, ndirs):
    p = rng.randrange(i)
    while depth[p] >= 12:
        p = parent[p]
    parent.append(p)
    depth.append(depth[p] + 1)
files = [[] for _ in range(ndirs)]
kids = [[] for _ in range(ndirs)]
for i in range(1, ndirs):
    kids[parent[i]].append(i)
exts = ["c", "o", "so", "txt", "png", "json", "log", "tar"]
for f in range(n - ndirs):
    files[rng.randrange(ndirs)].append(f)
out = sys.stdout
w = out.write
w('[1,2,{"progname":"gen","progver":"1","timestamp":0},\n')
ino = [1000]


def entry(i):
    size = int(rng.paretovariate(1.2) * 300)
    disk = (size + 4095) // 4096 * 4096
    if i % 997 == 0:
        return '{"name":"f%07d.%s","asize":%d,"dsize":%d,"ino":%d,"hlnkc":true,"nlink":2}' % (
            i, exts[i % 8], size, disk, i)
    return '{"name":"f%07d.%s","asize":%d,"dsize":%d}' % (i, exts[i % 8], size, disk)


# iterative pre-order over the directories
stack = [(0, 0)]
w('[{"name":"/synthetic","asize":4096,"dsize":4096,"dev":2049}')
while stack:
    d, k = stack.pop()
    if k == 0:
        for f in files[d]:
            w(",\n" + entry(f))
    if k < len(kids[d]):
        stack.append((d, k + 1))
        c = kids[d][k]
        w(',\n[{"name":"d%05d","asize":4096,"dsize":4096}' % c)
        stack.append((c, 0))
    else:
        w("]")
w("]\n")
