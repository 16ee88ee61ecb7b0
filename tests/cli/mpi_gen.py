#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Make a tree for the duflame-mpi tests: about N entries (default 100000),
a few wide directories, one deep chain, files of assorted sizes and hard links
whose names lie far apart (so that different ranks meet them).

Usage: mpi_gen.py DIR [N]"""
import os
import random
import sys

root = sys.argv[1]
total = int(sys.argv[2]) if len(sys.argv) > 2 else 100000
rng = random.Random(19)
made = 0
files = []


def mk(path, size):
    global made
    with open(path, "wb") as f:
        if size:
            f.write(b"d" * size)
    files.append(path)
    made += 1


os.makedirs(root, exist_ok=True)
# one deep chain: a subtree that only one rank can walk at a time
deep = root
for i in range(60):
    deep = os.path.join(deep, "deep%02d" % i)
    os.mkdir(deep)
    mk(os.path.join(deep, "f"), rng.choice([0, 100, 5000]))
    made += 1
# one wide directory of subdirectories, and a flat one of files
top = 0
while made < total:
    d = os.path.join(root, "top%03d" % top)
    os.mkdir(d)
    made += 1
    for j in range(rng.randint(5, 40)):
        s = os.path.join(d, "sub%02d" % j)
        os.mkdir(s)
        made += 1
        for k in range(rng.randint(0, 60)):
            mk(os.path.join(s, "file%03d.%s" % (k, rng.choice(["c", "o", "txt", "png"]))),
               rng.choice([0, 0, 1, 700, 4096, 9000]))
    top += 1
flat = os.path.join(root, "flat")
os.mkdir(flat)
for k in range(3000):
    mk(os.path.join(flat, "x%05d" % k), 0)
# hard links: names in different top directories, some three names each
links = os.path.join(root, "links")
os.mkdir(links)
for i in range(2000):
    src = rng.choice(files)
    os.link(src, os.path.join(links, "l%04d" % i))
    if i % 3 == 0:
        other = os.path.join(root, "top%03d" % rng.randrange(top), "ln%04d" % i)
        os.link(src, other)
print(made)
