#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Bad ncdu exports: a clear message with the byte offset; exit 1 with what
# was read drawn, or 2 when nothing usable was read; never a crash. Nesting
# of 20,000 levels is read; a 2 GB name is refused without being held.
. "$DUFLAME_SRC/tests/cli/ncdu_lib.sh"
head='[1,2,{"progname":"t"},'
top='[{"name":"/top","asize":4096,"dsize":4096},'

# expect STATUS MESSAGE-PIECE FILE: run, check status, message and output
expect() {
    "$DUFLAME" -q -f folded "$3" >out.f 2>err
    local rc=$?
    [ $rc = "$1" ] || fail "$3: exit $rc, not $1 ($(cat err))"
    grep -q -- "$2" err || fail "$3: message '$(cat err)' lacks '$2'"
    grep -q "^duflame: '$3': byte [0-9]*: " err || fail "$3: no byte offset in '$(cat err)'"
    if [ "$1" = 1 ]; then
        grep -q '^/top ' out.f || fail "$3: what was read is not drawn: $(cat out.f)"
    fi
}

printf '%s%s{"name":"a","dsize":512},[{"name":"d"},{"name":"b","asi' "$head" "$top" >trunc.json
expect 1 "unexpected end of input" trunc.json
grep -q '^/top;a ' out.f || fail "the entry before the cut is not drawn"
printf '%s%s{"name":"a","asize":"5"}]]' "$head" "$top" >type.json
expect 1 "byte 85: expected a number" type.json
printf '%s%s{"name":"a","dsize":99999999999999999999}]]' "$head" "$top" >range.json
expect 1 "out of range" range.json
printf '%s%s{"name":"a","dsize":1},{"name":"a","dsize":2}]]' "$head" "$top" >dup.json
expect 1 "duplicate name '/top/a'" dup.json
grep -q '^/top;a 1$' out.f && grep -q '^/top;a 2$' out.f ||
    fail "both duplicates are not drawn: $(cat out.f)"
printf '%s{"name":"/top"}]' "$head" >notdir.json
expect 2 "expected '\[' to start the top directory" notdir.json
python3 -c '
import random
r = random.Random(1)
print("[1,2,{},\n[{\"name\":\"/top\"}" + "".join(",\n{\"name\":\"f%d\",\"dsize\":%d}" % (i, r.randrange(1 << 30)) for i in range(20000)) + "]]")
' >cut.json
gzip -c cut.json | head -c 100000 >cut.json.gz
"$DUFLAME" -q -f folded cut.json.gz >/dev/null 2>err
[ $? = 1 ] || fail "a cut .gz did not exit 1"
grep -q "byte [0-9]*: the compressed data ends early" err || fail "a cut .gz: $(cat err)"

# deep: 20,000 levels
python3 - >deep.json <<'PY'
import sys
n = 20000
sys.stdout.write('[1,2,{},' + '[{"name":"d","asize":1},' * n + '{"name":"f","asize":7}' + ']' * n + ']')
PY
"$DUFLAME" -q -f folded -b deep.json >deep.f || fail "20,000 levels: exit $?"
[ "$(folded_sum deep.f)" = 20007 ] || fail "20,000 levels: sum $(folded_sum deep.f)"

# a 2 GB name, streamed: refused at 64 KiB, the rest never read nor held
python3 -c '
import sys
sys.stdout.write("[1,2,{},[{\"name\":\"/top\"},{\"name\":\"")
blk = "x" * (1 << 20)
try:
    for i in range(2048):
        sys.stdout.write(blk)
    sys.stdout.write("\"}]]")
except BrokenPipeError:
    pass
' 2>/dev/null | /usr/bin/time -f '%M' -o rss "$DUFLAME" -q -f folded - >big.f 2>err
grep -q "a name longer than 65536 bytes" err || fail "2 GB name: $(cat err)"
[ "$(tail -1 rss)" -lt 100000 ] || fail "2 GB name: peak RSS $(tail -1 rss) KB"
exit 0
