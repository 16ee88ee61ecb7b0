/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The body the collapse harnesses share (fuzz_collapse_perf.c,
 * fuzz_collapse_dtrace.c, fuzz_collapse_bpftrace.c; static functions, each
 * harness includes it once). The first byte picks the options, the rest is
 * the profiler's text, fed once through collapse_read (a FILE) and once line
 * by line.
 *
 * Invariants checked:
 *  - both ways give the same bytes and the same statistics;
 *  - every output line is "STACK COUNT", COUNT digits or (past 2^64) a
 *    "%.15g" number; no line is empty;
 *  - perf and DTrace: the stacks are distinct and sorted bytewise, one line
 *    per distinct stack (stats.stacks), and records >= stacks;
 *  - bpftrace: one line per record;
 *  - the first unrecognised line is set exactly when some line was.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collapse.h"
#include "fuzz_check.h"

static int fz_emit(void *arg, const char *line, size_t len)
{
    FILE *f = arg;
    fwrite(line, 1, len, f);
    fputc('\n', f);
    return 0;
}

/* --inline without addr2line: a lookup that answers from the address */
static int fz_inline(void *arg, const char *pc, const char *rawfunc, const char *mod,
                     struct name_buf *out)
{
    (void)arg;
    (void)rawfunc;
    (void)mod;
    switch (strlen(pc) % 4) {
    case 0:
        return -1;
    case 1:
        name_buf_addstr(out, "??");
        return 0;
    case 2:
        name_buf_addstr(out, "outer;inner");
        return 0;
    default:
        return 0;
    }
}

static char *fz_run(enum collapse_kind k, const struct collapse_opts *o, const char *text, size_t n,
                    bool lines, size_t *outlen, struct collapse_stats *st)
{
    char *mem = NULL;
    FILE *w = open_memstream(&mem, outlen);
    if (!w)
        abort();
    struct collapse *c = collapse_new(k, o, fz_emit, w);
    if (lines) {
        for (size_t i = 0; i < n;) {
            const char *nl = memchr(text + i, '\n', n - i);
            size_t len = (nl ? (size_t)(nl - text) : n) - i;
            collapse_line(c, text + i, len);
            i += len + 1;
        }
    } else if (n) {
        FILE *in = fmemopen((void *)text, n, "rb");
        if (!in)
            abort();
        if (collapse_read(c, in) != 0)
            fc_fail("collapse_read failed on memory input");
        fclose(in);
    }
    if (collapse_finish(c) != 0)
        fc_fail("collapse_finish failed");
    *st = *collapse_get_stats(c);
    collapse_free(c);
    fclose(w);
    return mem;
}

static bool fz_count_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    bool digits = true;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            digits = false;
    if (digits)
        return true;
    /* a double past 2^64: "1.84467440737096e+19" */
    return strspn(s, "0123456789.e+") == n && memchr(s, 'e', n);
}

static void fz_check_output(enum collapse_kind k, const char *out, size_t len,
                            const struct collapse_stats *st)
{
    if (len && out[len - 1] != '\n')
        fc_fail("output does not end in a newline");
    const char *prev = NULL;
    size_t prevlen = 0, nlines = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(out + i, '\n', len - i);
        size_t e = (size_t)(nl - out);
        const char *sp = NULL;
        for (size_t j = e; j-- > i;)
            if (out[j] == ' ') {
                sp = out + j;
                break;
            }
        if (!sp)
            fc_fail("output line %zu has no count", nlines + 1);
        if (!fz_count_ok(sp + 1, (size_t)(out + e - sp - 1)))
            fc_fail("output line %zu: bad count", nlines + 1);
        size_t kl = (size_t)(sp - (out + i));
        if (k != COLLAPSE_BPFTRACE && prev) {
            size_t m = kl < prevlen ? kl : prevlen;
            int r = memcmp(prev, out + i, m);
            if (r > 0 || (r == 0 && prevlen >= kl))
                fc_fail("output line %zu is not after the one before", nlines + 1);
        }
        prev = out + i;
        prevlen = kl;
        nlines++;
        i = e + 1;
    }
    if (nlines != st->stacks)
        fc_fail("%zu lines for %llu stacks", nlines, (unsigned long long)st->stacks);
    if (st->records < st->stacks || (k == COLLAPSE_BPFTRACE && st->records != st->stacks))
        fc_fail("records %llu, stacks %llu", (unsigned long long)st->records,
                (unsigned long long)st->stacks);
    if ((st->unrecognized == 0) != (st->first_unrecognized == 0))
        fc_fail("first_unrecognized is inconsistent");
}

static void fz_collapse(enum collapse_kind k, const struct collapse_opts *o, const uint8_t *data,
                        size_t size)
{
    const char *text = (const char *)data;
    size_t l1 = 0, l2 = 0;
    struct collapse_stats s1, s2;
    char *a = fz_run(k, o, text, size, false, &l1, &s1);
    char *b = fz_run(k, o, text, size, true, &l2, &s2);
    if (l1 != l2 || (l1 && memcmp(a, b, l1) != 0))
        fc_fail("reading through a FILE and line by line differ");
    if (s1.records != s2.records || s1.unrecognized != s2.unrecognized ||
        s1.truncated != s2.truncated || s1.lines != s2.lines)
        fc_fail("statistics differ between the two ways of reading");
    fz_check_output(k, a, l1, &s1);
    free(a);
    free(b);
}
