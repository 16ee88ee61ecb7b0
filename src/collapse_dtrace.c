/* SPDX-License-Identifier: BSD-2-Clause */
#include "collapse_dtrace.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* stackcollapse.pl skips this many lines at the start of its input */
#define HEADER_LINES 3

struct collapse_dtrace {
    struct collapse *c;
    uint64_t nr;
    struct collapse_frames st; /* this stack's frames */
    struct name_buf key, tmp;
};

struct collapse_dtrace *collapse_dtrace_new(struct collapse *c, const struct collapse_opts *o)
{
    (void)o;
    struct collapse_dtrace *r = xcalloc(1, sizeof *r);
    r->c = c;
    return r;
}

void collapse_dtrace_free(struct collapse_dtrace *r)
{
    if (!r)
        return;
    collapse_frames_release(&r->st);
    name_buf_release(&r->key);
    name_buf_release(&r->tmp);
    free(r);
}

/* /^\s*(\d+)+$/: the count that ends a stack; its digits in *d */
static bool count_line(const char *s, size_t n, size_t *d)
{
    size_t i = 0;
    while (i < n && collapse_is_space((unsigned char)s[i]))
        i++;
    if (i == n)
        return false;
    for (size_t k = i; k < n; k++)
        if (!collapse_is_digit((unsigned char)s[k]))
            return false;
    *d = i;
    return true;
}

/* C++ arguments: cut from the last '(' or '<' after the first "::" (the
 * script's "s/(::.*)[(<].*" substitution) */
static size_t strip_args(const char *s, size_t n)
{
    const char *cc = memmem(s, n, "::", 2);
    if (!cc)
        return n;
    size_t from = (size_t)(cc - s) + 2;
    for (size_t j = n; j > from; j--)
        if (s[j - 1] == '(' || s[j - 1] == '<')
            return j - 1;
    return n;
}

/* one frame line: stackcollapse.pl's tidying, then split at "->" (inlined
 * frames, each after the first marked "_[i]") */
static void frame(struct collapse_dtrace *r, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && collapse_is_space((unsigned char)s[i]))
        i++;
    s += i;
    n -= i;
    const char *plus = memrchr(s, '+', n); /* s/\+[^+]*$// */
    if (plus)
        n = (size_t)(plus - s);
    n = strip_args(s, n);
    if (n == 0) {
        s = "-";
        n = 1;
    }
    size_t end = n;
    while (end >= 2 && s[end - 2] == '-' && s[end - 1] == '>')
        end -= 2;
    /* the line's frames go in reverse, so that the whole stack can be read
     * backwards at its end */
    size_t first = r->st.n;
    for (size_t k = 0; end > 0;) {
        const char *a = memmem(s + k, end - k, "->", 2);
        size_t e = a ? (size_t)(a - s) : end;
        struct name_buf *t = &r->tmp;
        name_buf_reset(t);
        name_buf_add(t, s + k, e - k);
        for (size_t j = 0; j < t->len; j++)
            if (t->s[j] == ';')
                t->s[j] = ':';
        size_t off = t->len && t->s[0] == 'L' ? 1 : 0;
        if (r->st.n > first)
            name_buf_addstr(t, "_[i]");
        collapse_frames_push(&r->st, t->s + off, t->len - off);
        if (!a)
            break;
        k = e + 2;
    }
    collapse_frames_reverse(&r->st, first);
}

void collapse_dtrace_line(struct collapse_dtrace *r, const char *s, size_t n)
{
    if (r->nr++ < HEADER_LINES)
        return;
    size_t d;
    if (count_line(s, n, &d)) {
        collapse_frames_record(&r->st, r->c, &r->key, s + d, n - d);
        return;
    }
    size_t i = 0;
    while (i < n && collapse_is_space((unsigned char)s[i]))
        i++;
    if (i == n)
        return;
    frame(r, s, n);
}

void collapse_dtrace_end(struct collapse_dtrace *r)
{
    if (r->st.n)
        collapse_stats_mut(r->c)->truncated = true;
}
