#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Install what building and testing duflame needs on Debian, when missing.
# As root it runs apt-get (and npm for the browser test); otherwise it prints
# the command to run. --quiet says nothing when all is present.
set -eu
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1
pkgs="build-essential pkg-config libarchive-dev liblzma-dev zlib1g-dev libzstd-dev libcmocka-dev clang libclang-rt-14-dev chromium
      libarchive-tools xz-utils zstd lz4 bzip2 cpio p7zip-full genisoimage python3 binutils
      util-linux hyperfine valgrind linux-perf libopenmpi-dev openmpi-bin libssl-dev umoci skopeo
      ncdu gdu libdevel-nytprof-perl"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "deps: installing$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >/dev/null
        # shellcheck disable=SC2086
        apt-get install -y -q --no-install-recommends $missing >/dev/null
    else
        echo "deps: missing:$missing"
        echo "deps: run as root: apt-get install$missing"
        exit 1
    fi
elif [ $quiet = 0 ]; then
    echo "deps: all Debian packages present"
fi
dir=$(dirname "$0")/../tests/browser
if [ ! -d "$dir/node_modules/playwright-core" ]; then
    echo "deps: npm install (playwright-core) in tests/browser"
    (cd "$dir" && npm install --no-audit --no-fund --silent >/dev/null)
fi
