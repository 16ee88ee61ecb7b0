#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Build the Linux 6.1 source tree in DIR (default /tmp/duflame-linux) from Debian's package.
set -eu
dir=${1:-/tmp/duflame-linux}
tarball=/usr/src/linux-source-6.1.tar.xz
if [ ! -f "$tarball" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "linux-tree.sh: $tarball is missing; run as root or: sudo apt-get install linux-source-6.1" >&2
		exit 2
	fi
	apt-get install -y linux-source-6.1 >/dev/null || { apt-get update >/dev/null && apt-get install -y linux-source-6.1 >/dev/null; }
fi
mkdir -p "$dir"
if [ ! -d "$dir/linux-source-6.1" ]; then
	tar -C "$dir" -xf "$tarball"
fi
echo "tree: $dir/linux-source-6.1 ($(find "$dir/linux-source-6.1" | wc -l) entries)"
echo "$tarball"
