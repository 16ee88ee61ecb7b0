#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# bench/corpus/perf-script.sh MIB OUT: `perf script` text of at least MIB MiB
# for the collapse benchmark, made from a real capture
# (bench/corpus/perf-seed.txt.xz: perf record -F 999 -g -e cpu-clock of
# duflame scanning /usr/share and /usr/lib and of a small CPU-bound program,
# 3,011 samples, 561 distinct stacks) repeated with each copy perturbed: new
# pids and timestamps, and the leaf frame of every sample renamed by the
# copy's number modulo 40, so the output has about 40 times the seed's
# distinct stacks (about 22,000), as a long profile of a large program has.
# Deterministic: the same MIB gives the same bytes.
set -eu
mib=${1:?usage: perf-script.sh MIB OUT}
out=${2:?usage: perf-script.sh MIB OUT}
here=$(cd "$(dirname "$0")" && pwd)
xz -dc "$here/perf-seed.txt.xz" | awk -v want=$((mib * 1048576)) '
{ line[n++] = $0; size += length($0) + 1 }
END {
    for (copy = 0; written < want; copy++) {
        k = copy % 40
        leaf = 0
        for (i = 0; i < n; i++) {
            s = line[i]
            if (s ~ /^[^ \t#]/ && match(s, / [0-9]+ /)) {
                # the header: pid moved by the copy number
                pid = substr(s, RSTART + 1, RLENGTH - 2) + copy
                s = substr(s, 1, RSTART) pid substr(s, RSTART + RLENGTH - 1)
                leaf = 1
            } else if (leaf && s ~ /^\t/) {
                # the first frame: its symbol gets a suffix
                if (k > 0 && !sub(/\+0x/, ".part." k "+0x", s))
                    sub(/ \(/, ".part." k " (", s)
                leaf = 0
            }
            print s
            written += length(s) + 1
        }
    }
}' >"$out.tmp"
mv "$out.tmp" "$out"
