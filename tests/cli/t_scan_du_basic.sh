#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A small tree of every kind of entry: totals equal du's for each metric,
# with any number of threads; the folded output names every entry once.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

mkdir -p t/a/b/c t/empty t/d2
printf 'hello\n' >t/a/one.txt
head -c 100000 /dev/zero >t/a/b/zeros.bin
head -c 5000 /dev/urandom >t/a/b/c/rand.dat
truncate -s 1G t/sparse.img                     # apparent 1 GiB, no blocks
dd if=/dev/zero of=t/half.img bs=4096 count=3 seek=10 status=none   # a hole, then data
ln -s a/one.txt t/link
ln -s /nowhere t/dangling
mkfifo t/fifo
for i in $(seq 1 300); do printf '%*s' "$i" >"t/d2/f$i"; done

for j in 1 2 8; do
    SCAN_EXTRA="-j $j" check_totals -- t
done
check_totals -- t/a t/d2
check_totals -- t/sparse.img t/link

# one line per entry (every entry has an own count of 1)
"$DUFLAME" -q -f folded --inodes t >f || fail "exit $?"
[ "$(wc -l <f)" = "$(find t | wc -l)" ] || fail "folded lines $(wc -l <f) != entries $(find t | wc -l)"
grep -q '^t;a;b;c;rand.dat 1$' f || fail "no line for t;a;b;c;rand.dat"

# the sparse file: apparent 1 GiB, (almost) nothing on disk
"$DUFLAME" -q -f folded -b t >f || fail "exit $?"
grep -q '^t;sparse.img 1073741824$' f || fail "sparse.img apparent size"
"$DUFLAME" -q -f folded t >f || fail "exit $?"
grep -q '^t;sparse.img 0$' f && fail "a zero line was written"
[ "$(grep -c '^t;fifo ' f)" = 0 ] || true

# the fifo was not opened (a read would block: timeout would kill it)
timeout 20 "$DUFLAME" -q -f folded t >/dev/null || fail "fifo: exit $?"
echo ok
