/* SPDX-License-Identifier: BSD-2-Clause */
#include "collapse.h"
#include "collapse_bpftrace.h"
#include "collapse_dtrace.h"
#include "collapse_perf.h"
#include "lines.h"
#include "util.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

/* A sum as Perl keeps it: an exact unsigned integer while it fits, a double
 * (printed "%.15g") from the first addition that does not fit on. Where Perl
 * would reach Inf, the double stays at the largest finite value, so that the
 * output is always a number. */
struct sum {
    uint64_t u;
    double d;
    bool nv;
};

struct entry {
    const char *key;
    size_t len;
    uint64_t h;
    struct sum sum;
};

/* keys live in chunks freed all at once */
struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
};

struct collapse {
    enum collapse_kind kind;
    collapse_emit_fn emit;
    void *emit_arg;
    bool emit_failed;
    struct collapse_stats st;
    uint64_t lineno;
    unsigned ninput;
    /* the distinct stacks (perf, DTrace) */
    struct entry *slots;
    size_t mask, used;
    struct chunk *chunks;
    struct name_buf out;
    /* the reader of the kind */
    struct collapse_perf *perf;
    struct collapse_dtrace *dtrace;
    struct collapse_bpftrace *bpftrace;
    /* the input buffer of collapse_read */
    struct lines in;
};

struct collapse *collapse_new(enum collapse_kind k, const struct collapse_opts *o,
                              collapse_emit_fn emit, void *emit_arg)
{
    static const struct collapse_opts defaults = {0};
    struct collapse *c = xcalloc(1, sizeof *c);
    c->kind = k;
    c->emit = emit;
    c->emit_arg = emit_arg;
    if (!o)
        o = &defaults;
    if (k == COLLAPSE_PERF)
        c->perf = collapse_perf_new(c, o);
    else if (k == COLLAPSE_DTRACE)
        c->dtrace = collapse_dtrace_new(c, o);
    else
        c->bpftrace = collapse_bpftrace_new(c, o);
    return c;
}

void collapse_free(struct collapse *c)
{
    if (!c)
        return;
    collapse_perf_free(c->perf);
    collapse_dtrace_free(c->dtrace);
    collapse_bpftrace_free(c->bpftrace);
    for (struct chunk *k = c->chunks, *next; k; k = next) {
        next = k->next;
        free(k);
    }
    free(c->slots);
    name_buf_release(&c->out);
    lines_release(&c->in);
    free(c);
}

const struct collapse_stats *collapse_get_stats(const struct collapse *c)
{
    return &c->st;
}

struct collapse_stats *collapse_stats_mut(struct collapse *c)
{
    return &c->st;
}

void collapse_unrecognized(struct collapse *c)
{
    if (!c->st.unrecognized++) {
        c->st.first_unrecognized = c->lineno;
        c->st.first_unrecognized_input = c->ninput;
    }
}

void collapse_line(struct collapse *c, const char *s, size_t n)
{
    c->st.lines++;
    c->lineno++;
    if (c->perf)
        collapse_perf_line(c->perf, s, n);
    else if (c->dtrace)
        collapse_dtrace_line(c->dtrace, s, n);
    else
        collapse_bpftrace_line(c->bpftrace, s, n);
}

static void read_line(void *arg, char *s, size_t n)
{
    collapse_line(arg, s, n);
}

int collapse_read(struct collapse *c, FILE *in)
{
    c->lineno = 0;
    int ret = lines_read(&c->in, in, 1u << 18, read_line, c);
    c->ninput++;
    return ret;
}

void collapse_skip_input(struct collapse *c)
{
    c->ninput++;
}

/* --- a stack being read ----------------------------------------------------- */

void collapse_frames_push(struct collapse_frames *f, const char *s, size_t n)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->fr = xreallocarray(f->fr, f->cap, sizeof *f->fr);
    }
    f->fr[f->n][0] = f->fb.len;
    f->fr[f->n][1] = n;
    f->n++;
    name_buf_add(&f->fb, s, n);
}

void collapse_frames_reverse(struct collapse_frames *f, size_t first)
{
    for (size_t a = first, b = f->n; a + 1 < b; a++, b--) {
        size_t tmp[2] = {f->fr[a][0], f->fr[a][1]};
        memcpy(f->fr[a], f->fr[b - 1], sizeof tmp);
        memcpy(f->fr[b - 1], tmp, sizeof tmp);
    }
}

void collapse_frames_record(struct collapse_frames *f, struct collapse *c, struct name_buf *key,
                            const char *count, size_t clen)
{
    name_buf_reset(key);
    name_buf_add(key, "", 0);
    for (size_t i = f->n; i-- > 0;) {
        if (i + 1 < f->n)
            name_buf_addc(key, ';');
        name_buf_add(key, f->fb.s + f->fr[i][0], f->fr[i][1]);
    }
    collapse_record(c, key->s, key->len, count, clen);
    f->n = 0;
    name_buf_reset(&f->fb);
}

void collapse_frames_release(struct collapse_frames *f)
{
    name_buf_release(&f->fb);
    free(f->fr);
    *f = (struct collapse_frames){0};
}

/* --- sums ----------------------------------------------------------------- */

static double sum_finite(double d)
{
    return d > DBL_MAX ? DBL_MAX : d;
}

/* a digit string as Perl's numeric conversion reads it */
static struct sum sum_parse(const char *s, size_t n)
{
    struct sum v = {0};
    size_t i = 0;
    while (i < n && s[i] == '0')
        i++;
    for (; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v.u > (UINT64_MAX - d) / 10) {
            char *tmp = xmemdup(s, n);
            v.d = sum_finite(strtod(tmp, NULL));
            v.nv = true;
            free(tmp);
            return v;
        }
        v.u = v.u * 10 + d;
    }
    return v;
}

static void sum_add(struct sum *a, struct sum b)
{
    if (!a->nv && !b.nv && a->u <= UINT64_MAX - b.u) {
        a->u += b.u;
        return;
    }
    double x = a->nv ? a->d : (double)a->u;
    double y = b.nv ? b.d : (double)b.u;
    a->d = sum_finite(x + y);
    a->nv = true;
}

static void sum_format(struct name_buf *b, const struct sum *s)
{
    char tmp[64];
    int n = s->nv ? snprintf(tmp, sizeof tmp, "%.15g", s->d)
                  : snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)s->u);
    name_buf_add(b, tmp, (size_t)n);
}

/* --- the table of distinct stacks ------------------------------------------ */

static uint64_t key_hash(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
    }
    uint64_t w = 0;
    memcpy(&w, s + i, n - i);
    return util_mix64(h ^ w);
}

static const char *key_store(struct collapse *c, const char *s, size_t n)
{
    struct chunk *k = c->chunks;
    if (!k || k->cap - k->used < n) {
        /* chunks grow from 64 KiB to 1 MiB: small inputs stay small */
        size_t cap = k ? (k->cap < (1u << 20) ? k->cap * 2 : k->cap) : (1u << 16);
        if (cap < n)
            cap = n;
        k = xmalloc(sizeof *k + cap);
        k->cap = cap;
        k->used = 0;
        k->next = c->chunks;
        c->chunks = k;
    }
    char *p = k->data + k->used;
    if (n)
        memcpy(p, s, n);
    k->used += n;
    return p;
}

static void table_grow(struct collapse *c)
{
    size_t cap = c->slots ? (c->mask + 1) * 2 : 256;
    struct entry *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; c->slots && i <= c->mask; i++) {
        if (!c->slots[i].key)
            continue;
        size_t j = c->slots[i].h & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = c->slots[i];
    }
    free(c->slots);
    c->slots = slots;
    c->mask = cap - 1;
}

static struct entry *table_find(struct collapse *c, const char *s, size_t n)
{
    if (!c->slots || (c->used + 1) * 4 > (c->mask + 1) * 3)
        table_grow(c);
    uint64_t h = key_hash(s, n);
    size_t j = h & c->mask;
    for (; c->slots[j].key; j = (j + 1) & c->mask) {
        struct entry *e = &c->slots[j];
        if (e->h == h && e->len == n && memcmp(e->key, s, n) == 0)
            return e;
    }
    struct entry *e = &c->slots[j];
    e->key = key_store(c, s, n);
    e->len = n;
    e->h = h;
    c->used++;
    return e;
}

static int emit_line(struct collapse *c, const char *stack, size_t len, const char *count,
                     size_t clen, const struct sum *s)
{
    name_buf_reset(&c->out);
    name_buf_add(&c->out, stack, len);
    name_buf_addc(&c->out, ' ');
    if (s)
        sum_format(&c->out, s);
    else
        name_buf_add(&c->out, count, clen);
    if (c->emit && c->emit(c->emit_arg, c->out.s, c->out.len) != 0) {
        c->emit_failed = true;
        return -1;
    }
    return 0;
}

void collapse_record(struct collapse *c, const char *stack, size_t len, const char *count,
                     size_t clen)
{
    c->st.records++;
    if (c->kind == COLLAPSE_BPFTRACE) {
        c->st.stacks++;
        if (!c->emit_failed)
            emit_line(c, stack, len, count, clen, NULL);
        return;
    }
    struct entry *e = table_find(c, stack, len);
    sum_add(&e->sum, sum_parse(count, clen));
}

static int entry_cmp(const void *a, const void *b)
{
    const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
    size_t n = x->len < y->len ? x->len : y->len;
    int r = n ? memcmp(x->key, y->key, n) : 0;
    if (r)
        return r;
    return (x->len > y->len) - (x->len < y->len);
}

int collapse_finish(struct collapse *c)
{
    if (c->perf)
        collapse_perf_end(c->perf);
    else if (c->dtrace)
        collapse_dtrace_end(c->dtrace);
    else
        collapse_bpftrace_end(c->bpftrace);
    if (c->used) {
        struct entry **v = xreallocarray(NULL, c->used, sizeof *v);
        size_t k = 0;
        for (size_t i = 0; i <= c->mask; i++)
            if (c->slots[i].key)
                v[k++] = &c->slots[i];
        qsort(v, k, sizeof *v, entry_cmp);
        for (size_t i = 0; i < k && !c->emit_failed; i++)
            emit_line(c, v[i]->key, v[i]->len, NULL, 0, &v[i]->sum);
        c->st.stacks = k;
        free(v);
    }
    return c->emit_failed ? -1 : 0;
}

/* the next whole line of head[*i..n), without its '\n'; false at the end or
 * at a line cut by the end of head */
static bool next_line(const char *head, size_t n, size_t *i, const char **s, size_t *len)
{
    if (*i >= n)
        return false;
    const char *nl = memchr(head + *i, '\n', n - *i);
    if (!nl)
        return false;
    *s = head + *i;
    *len = (size_t)(nl - *s);
    *i = (size_t)(nl - head) + 1;
    return true;
}

enum collapse_guess collapse_sniff(const char *head, size_t n)
{
    if (n >= 8 && memcmp(head, "PERFILE2", 8) == 0)
        return COLLAPSE_GUESS_PERF_DATA;
    size_t i = 0;
    const char *s;
    size_t len;
    while (next_line(head, n, &i, &s, &len)) {
        size_t b = 0;
        while (b < len && collapse_is_space((unsigned char)s[b]))
            b++;
        if (b == len || s[0] == '#')
            continue;
        if ((len == 2 && memcmp(s, "@[", 2) == 0) ||
            (len >= 10 && memcmp(s, "Attaching ", 10) == 0))
            return COLLAPSE_GUESS_BPFTRACE;
        const char *t;
        size_t tl;
        bool more = next_line(head, n, &i, &t, &tl);
        return collapse_perf_looks_like(s, len, more ? t : NULL, more ? tl : 0)
                   ? COLLAPSE_GUESS_PERF
                   : COLLAPSE_GUESS_OTHER;
    }
    return COLLAPSE_GUESS_OTHER;
}
