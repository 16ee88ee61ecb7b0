#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Build N files (default 200000) under DIR in a deterministic tree.

Directories fan out 16 wide and files get apparent sizes from a skewed distribution,
set with ftruncate, so the tree costs little disk. Same N, same tree.
"""
import os
import random
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "/tmp/duflame-synth"
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200000
rng = random.Random(42)
made = 0
dirs = [root]
os.makedirs(root, exist_ok=True)
while made < n:
    d = dirs[rng.randrange(len(dirs))]
    if rng.random() < 0.06 and d.count(os.sep) - root.count(os.sep) < 12:
        sub = os.path.join(d, "d%05d" % len(dirs))
        os.makedirs(sub, exist_ok=True)
        dirs.append(sub)
        continue
    path = os.path.join(d, "f%07d.%s" % (made, rng.choice(["c", "o", "so", "txt", "png", "json", "log", "tar"])))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    os.ftruncate(fd, int(rng.paretovariate(1.2) * 300))
    os.close(fd)
    made += 1
print("tree: %s (%d files, %d directories)" % (root, made, len(dirs)))
