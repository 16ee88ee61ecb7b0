#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Run as an unprivileged user: an unreadable directory is said once
# ("duflame: cannot read directory 'x': Permission denied"), counted with its
# own size like du, marked in the graph, and the exit status is 1. A
# directory that can be listed but not entered: its entries cannot be
# stat()ed, said once each, as du.
. "$DUFLAME_SRC/tests/cli/scan_lib.sh"

[ "$(id -u)" = 0 ] || exit 77
command -v setpriv >/dev/null || { echo "no setpriv"; exit 77; }
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
as_nobody true 2>/dev/null || { echo "setpriv cannot switch to nobody"; exit 77; }

mkdir -p t/ok t/locked/inner t/noexec
head -c 3000 /dev/urandom >t/ok/a
head -c 5000 /dev/urandom >t/locked/inner/secret
head -c 7000 /dev/urandom >t/noexec/hidden
chmod 000 t/locked
chmod 644 t/noexec          # readable, not searchable
chmod -R a+rX t/ok
chmod 755 t
as_nobody test -r t/ok/a || { echo "the test directory is not reachable by nobody"; exit 77; }

for metric in "" "-b" "--inodes"; do
    # shellcheck disable=SC2086
    as_nobody "$DUFLAME" -q -f folded $metric t >f 2>err
    rc=$?
    [ $rc = 1 ] || fail "exit status $rc, not 1"
    got=$(folded_sum f)
    case $metric in
    "") duo=-sB1 ;;
    -b) duo=-sb ;;
    *) duo="-s --inodes" ;;
    esac
    # shellcheck disable=SC2086
    want=$(as_nobody du $duo t 2>/dev/null | awk '{print $1}')
    [ "$got" = "$want" ] || fail "total '$metric': duflame $got, du $want"
    [ "$(grep -c "^duflame: cannot read directory 't/locked': Permission denied$" err)" = 1 ] ||
        fail "message: $(cat err)"
    [ "$(grep -c "cannot access 't/noexec/hidden': Permission denied" err)" = 1 ] ||
        fail "message for noexec: $(cat err)"
    [ "$(wc -l <err)" = 2 ] || fail "not said once each: $(cat err)"
done
grep -q '^t;locked ' f || fail "the unreadable directory is not listed"

# the SVG marks the frame
as_nobody "$DUFLAME" -q -f svg t >g.svg 2>/dev/null
[ $? = 1 ] || fail "svg: exit status not 1"
tr '\n' ' ' <g.svg | grep -q 'class="unreadable"><title>locked' || fail "the unreadable frame is not marked in the SVG"
chmod 755 t/locked t/noexec
echo ok
