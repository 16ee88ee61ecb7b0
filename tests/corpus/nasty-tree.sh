#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Build a tree of the names and shapes that break disk-usage and flame-graph tools.

Usage: nasty-tree.sh DIR. Run as root to also get a directory that an ordinary user cannot
read (tests then walk it as that user, e.g. with `setpriv --reuid=nobody --regid=nogroup
--clear-groups`).
"""
import os
import sys

root = os.fsencode(sys.argv[1] if len(sys.argv) > 1 else "/tmp/duflame-nasty")
os.makedirs(root, exist_ok=True)


def put(rel, size=10):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(b"x" * size)
    return p


names = [
    b"semi;colon", b"new\nline", b"tab\there", b"space at end ", b" leading space",
    b"amp&lt;<tag>", b'quote"apos\'', b"percent%3B", b"back\\slash", b"a:b,c=d",
    b"latin1-\xe9t\xe9", b"bad-utf8-\xff\xfe", b"emoji-\xf0\x9f\x94\xa5", b"-dash-first",
    b"x" * 255,
]
for i, name in enumerate(names):
    put(os.path.join(b"names", name), 100 + i)
    put(os.path.join(b"dirs", name, b"inside"), 1000 + i)

# deeper than PATH_MAX (4096): 300 levels of 20-byte names = 6300 bytes
deep = os.path.join(root, b"deep")
os.makedirs(deep, exist_ok=True)
fd = os.open(deep, os.O_RDONLY | os.O_DIRECTORY)
for level in range(300):
    name = b"level-%03d-abcdefghij" % level
    try:
        os.mkdir(name, dir_fd=fd)
    except FileExistsError:
        pass
    nfd = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
    os.close(fd)
    fd = nfd
leaf = os.open(b"bottom.bin", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
os.write(leaf, b"y" * 4321)
os.close(leaf)
os.close(fd)

# hard links: one file, three names, two directories
a = put(b"links/a/original", 50000)
os.makedirs(os.path.join(root, b"links/b"), exist_ok=True)
for n in (b"links/a/second", b"links/b/third"):
    p = os.path.join(root, n)
    if not os.path.exists(p):
        os.link(a, p)

# symlinks: a loop, a dangling link, a link to a directory
loop = os.path.join(root, b"symlinks")
os.makedirs(loop, exist_ok=True)
for src, dst in ((b"..", b"up"), (b"nowhere/at/all", b"dangling"), (b"../names", b"to-names")):
    p = os.path.join(loop, dst)
    if not os.path.lexists(p):
        os.symlink(src, p)

# sparse, empty, fifo
with open(os.path.join(root, b"sparse.img"), "wb") as f:
    f.truncate(10 * 1024 * 1024 * 1024)
open(os.path.join(root, b"empty"), "wb").close()
fifo = os.path.join(root, b"fifo")
if not os.path.exists(fifo):
    os.mkfifo(fifo)

# an empty directory and a directory nobody but root may read
os.makedirs(os.path.join(root, b"emptydir"), exist_ok=True)
locked = os.path.join(root, b"locked")
put(b"locked/secret/file", 7777)
os.chmod(locked, 0o000)
print("tree: %s" % os.fsdecode(root))
