/* SPDX-License-Identifier: BSD-2-Clause */
#include "collapse_bpftrace.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct collapse_bpftrace {
    struct collapse *c;
    bool in_stack;
    struct collapse_frames st; /* this stack's frames */
    struct name_buf key;
};

struct collapse_bpftrace *collapse_bpftrace_new(struct collapse *c, const struct collapse_opts *o)
{
    (void)o;
    struct collapse_bpftrace *r = xcalloc(1, sizeof *r);
    r->c = c;
    return r;
}

void collapse_bpftrace_free(struct collapse_bpftrace *r)
{
    if (!r)
        return;
    collapse_frames_release(&r->st);
    name_buf_release(&r->key);
    free(r);
}

/* the last "]: " at or after from that is followed by a digit: (.*)\]: (\d+) */
static bool last_close(const char *s, size_t n, size_t from, size_t *at, size_t *digits)
{
    for (size_t k = n; k >= from + 4; k--) {
        size_t j = k - 4;
        if (s[j] == ']' && s[j + 1] == ':' && s[j + 2] == ' ' &&
            collapse_is_digit((unsigned char)s[j + 3])) {
            size_t e = j + 3;
            while (e < n && collapse_is_digit((unsigned char)s[e]))
                e++;
            *at = j;
            *digits = e - (j + 3);
            return true;
        }
    }
    return false;
}

static void emit(struct collapse_bpftrace *r, const char *leaf, size_t leafn, const char *count,
                 size_t cn)
{
    if (leafn)
        collapse_frames_push(&r->st, leaf, leafn);
    collapse_frames_record(&r->st, r->c, &r->key, count, cn);
    r->in_stack = false;
}

/* outside a stack: "@[" opens one; "@[, NAME]: COUNT" is a line of its own;
 * "Attaching N probes...", other maps ("@name...") and blank lines are what
 * bpftrace prints around them; anything else is counted as unrecognised */
static void outside(struct collapse_bpftrace *r, const char *s, size_t n)
{
    if (n == 2 && s[0] == '@' && s[1] == '[') {
        r->in_stack = true;
        return;
    }
    size_t at, nd;
    if (n >= 4 && memcmp(s, "@[,", 3) == 0 && collapse_is_space((unsigned char)s[3]) &&
        last_close(s, n, 4, &at, &nd)) {
        struct name_buf *k = &r->key;
        name_buf_reset(k);
        name_buf_add(k, s + 4, at - 4);
        collapse_record(r->c, k->s, k->len, s + at + 3, nd);
        return;
    }
    size_t i = 0;
    while (i < n && collapse_is_space((unsigned char)s[i]))
        i++;
    if (i == n || s[0] == '@' || (n >= 10 && memcmp(s, "Attaching ", 10) == 0))
        return;
    collapse_unrecognized(r->c);
}

void collapse_bpftrace_line(struct collapse_bpftrace *r, const char *s, size_t n)
{
    if (!r->in_stack) {
        outside(r, s, n);
        return;
    }
    /* m/^,?\s?(.*)\]: (\d+)/ */
    size_t st = 0;
    if (st < n && s[st] == ',')
        st++;
    if (st < n && collapse_is_space((unsigned char)s[st]))
        st++;
    size_t at, nd;
    if (last_close(s, n, st, &at, &nd)) {
        emit(r, s + st, at - st, s + at + 3, nd);
        return;
    }
    size_t i = 0;
    while (i < n && collapse_is_space((unsigned char)s[i]))
        i++;
    collapse_frames_push(&r->st, s + i, n - i);
}

void collapse_bpftrace_end(struct collapse_bpftrace *r)
{
    if (r->in_stack)
        collapse_stats_mut(r->c)->truncated = true;
}
