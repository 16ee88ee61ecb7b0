/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The patterns below are stackcollapse-perf.pl's, matched by hand with the
 * same results (which match wins, what each group captures), Perl's \s, \d
 * and \w being ASCII on bytes. Each helper names the pattern it stands for.
 */
#include "collapse_perf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct collapse_perf {
    struct collapse *c;
    struct collapse_opts o;
    struct name_buf filter; /* the event kept; empty until the first one */
    bool defaulted;         /* the filter is the first event seen */
    bool have_pname;        /* a sample is open */
    bool java;              /* the process name starts with "java" */
    struct name_buf pname, period;
    /* this sample's stack so far, built from its end backwards: each frame
     * line's frames (joined with ';') go in front, after a ';', so that the
     * process name put in front at the end makes the whole key in place:
     * rb[rpos..rcap) */
    char *rb;
    size_t rpos, rcap;
    /* the frames of the line being read; with --srcline the first
     * pend_count of them wait for a source line each */
    struct name_buf *el;
    size_t nel, capel;
    size_t pend_next, pend_count;
    struct name_buf tmp, pc, raw, mod;
};

struct collapse_perf *collapse_perf_new(struct collapse *c, const struct collapse_opts *o)
{
    struct collapse_perf *r = xcalloc(1, sizeof *r);
    r->c = c;
    r->o = *o;
    if (o->event_filter)
        name_buf_addstr(&r->filter, o->event_filter);
    return r;
}

void collapse_perf_free(struct collapse_perf *r)
{
    if (!r)
        return;
    struct name_buf *bufs[] = {&r->filter, &r->pname, &r->period, &r->tmp,
                               &r->pc,     &r->raw,   &r->mod};
    for (size_t i = 0; i < ARRAY_LEN(bufs); i++)
        name_buf_release(bufs[i]);
    for (size_t i = 0; i < r->capel; i++)
        name_buf_release(&r->el[i]);
    free(r->el);
    free(r->rb);
    free(r);
}

static bool is_sp(char c)
{
    return collapse_is_space((unsigned char)c);
}

static bool is_dig(char c)
{
    return collapse_is_digit((unsigned char)c);
}

static size_t skip_sp(const char *s, size_t i, size_t n)
{
    while (i < n && is_sp(s[i]))
        i++;
    return i;
}

static size_t skip_dig(const char *s, size_t i, size_t n)
{
    while (i < n && is_dig(s[i]))
        i++;
    return i;
}

struct span {
    const char *p;
    size_t n;
};

/*
 * ^(\S.+?)\s+(\d+)\/ *(\d+)*\s+ (no space after the slash): the comm is the shortest start (two
 * bytes at least, the first not a space) that is followed by spaces, digits (the pid, or the tid
 * alone), and either a space or slashes, optional digits (the tid) and a space. A run of spaces
 * that fails fails from every byte in it, so each is tried once: linear in the line.
 */
static bool match_header(const char *s, size_t n, struct span *comm, struct span *pid,
                         struct span *tid)
{
    if (n < 3 || is_sp(s[0]))
        return false;
    for (size_t p = 2; p < n; p++) {
        if (!is_sp(s[p]))
            continue;
        size_t j = skip_sp(s, p, n);
        size_t e = skip_dig(s, j, n);
        bool ok = false;
        tid->n = 0;
        if (e > j && e < n && is_sp(s[e])) {
            ok = true;
        } else if (e > j && e < n && s[e] == '/') {
            size_t k = e;
            while (k < n && s[k] == '/')
                k++;
            size_t f = skip_dig(s, k, n);
            if (f < n && is_sp(s[f])) {
                ok = true;
                *tid = (struct span){s + k, f - k};
            }
        }
        if (ok) {
            *comm = (struct span){s, p};
            *pid = (struct span){s + j, e - j};
            return true;
        }
        p = j - 1; /* past the run of spaces */
    }
    return false;
}

/*
 * /:\s*(\d+)*\s+(\S+):\s*$/: the line ends (spaces aside) in "EVENT:" after
 * a space, and before that come spaces, perhaps the period's digits, and a
 * ':' (the end of the timestamp).
 */
static bool match_event(const char *s, size_t n, struct span *period, struct span *event)
{
    size_t e = n;
    while (e > 0 && is_sp(s[e - 1]))
        e--;
    if (e < 2 || s[e - 1] != ':')
        return false;
    size_t t = e - 1;
    while (t > 0 && !is_sp(s[t - 1]))
        t--;
    if (t == 0 || t == e - 1)
        return false;
    *event = (struct span){s + t, e - 1 - t};
    size_t b = t;
    while (b > 0 && is_sp(s[b - 1]))
        b--;
    size_t d = b;
    while (d > 0 && is_dig(s[d - 1]))
        d--;
    size_t c = d;
    while (c > 0 && is_sp(s[c - 1]))
        c--;
    if (d < b) { /* digits, then at least one space */
        if (c == 0 || s[c - 1] != ':')
            return false;
        *period = (struct span){s + d, b - d};
        return true;
    }
    /* no digits: the spaces before the event follow the ':' */
    if (b == 0 || s[b - 1] != ':')
        return false;
    period->n = 0;
    return true;
}

/*
 * /^\s*(\w+)\s*(.+) \((.*)\)/: the module runs to the last ')' from the
 * last " (" before it; the symbol is what lies between the address and that
 * " (", or, where that would be empty, the one byte before it (Perl gives
 * back spaces, then address bytes, to make (.+) match).
 */
static bool match_frame(const char *s, size_t n, struct span *pc, struct span *func,
                        struct span *mod)
{
    size_t i = skip_sp(s, 0, n);
    size_t w = i;
    while (w < n && collapse_is_word((unsigned char)s[w]))
        w++;
    if (w == i)
        return false;
    const char *rp = memrchr(s, ')', n);
    if (!rp)
        return false;
    size_t l = (size_t)(rp - s);
    size_t q = l;
    bool found = false;
    while (q >= 2) {
        const char *op = memrchr(s + 1, '(', q - 1); /* a '(' at 1..q-1 */
        if (!op)
            break;
        q = (size_t)(op - s);
        if (s[q - 1] == ' ') {
            q--;
            found = true;
            break;
        }
    }
    if (!found || q < 1)
        return false;
    size_t fs = skip_sp(s, w, n);
    if (q - 1 >= w) {
        if (fs > q - 1)
            fs = q - 1;
        *pc = (struct span){s + i, w - i};
    } else if (q - 1 >= i + 1) {
        fs = q - 1;
        *pc = (struct span){s + i, q - 1 - i};
    } else {
        return false;
    }
    *func = (struct span){s + fs, q - fs};
    *mod = (struct span){s + q + 2, l - (q + 2)};
    return true;
}

static bool contains(const char *s, size_t n, const char *needle)
{
    return memmem(s, n, needle, strlen(needle)) != NULL;
}

/* the first "->" in s[0..n), or NULL (memchr is much faster than memmem
 * for a needle this short) */
static const char *find_arrow(const char *s, size_t n)
{
    for (const char *p = s, *end = s + n; p + 1 < end;) {
        const char *g = memchr(p + 1, '>', (size_t)(end - p - 1));
        if (!g)
            return NULL;
        if (g[-1] == '-')
            return g - 1;
        p = g;
    }
    return NULL;
}

/* /(perf-\d+.map|kernel\.|\[[^\]]+\])/: modules --inline leaves alone */
static bool inline_skips(const char *m, size_t n)
{
    if (contains(m, n, "kernel."))
        return true;
    for (size_t i = 0; i + 5 <= n; i++) {
        if (memcmp(m + i, "perf-", 5) == 0) {
            size_t d = skip_dig(m, i + 5, n);
            if (d > i + 5 && d + 4 <= n && memcmp(m + d + 1, "map", 3) == 0)
                return true;
        }
    }
    const char *b = memchr(m, '[', n);
    for (; b; b = memchr(b + 1, '[', n - (size_t)(b + 1 - m))) {
        size_t k = (size_t)(b - m);
        if (k + 1 < n && m[k + 1] != ']' && memchr(m + k + 1, ']', n - k - 1))
            return true;
        if (k + 1 >= n)
            break;
    }
    return false;
}

/* s/\+0x[\da-f]+$//: the symbol's offset */
static size_t strip_offset(const char *s, size_t n)
{
    const char *p = memrchr(s, '+', n);
    if (!p)
        return n;
    size_t k = (size_t)(p - s);
    if (k + 3 >= n || s[k + 1] != '0' || s[k + 2] != 'x')
        return n;
    for (size_t i = k + 3; i < n; i++)
        if (!is_dig(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
            return n;
    return k;
}

/* /\.\(.*\)\./: a Go method name such as "net/http.(*Client).Do" */
static bool looks_go(const char *s, size_t n)
{
    const char *a = memmem(s, n, ".(", 2);
    if (!a)
        return false;
    for (size_t j = n; j >= 2; j--)
        if (s[j - 2] == ')' && s[j - 1] == '.')
            return (size_t)(a - s) + 2 <= j - 2;
    return false;
}

static void buf_set(struct name_buf *b, const char *s, size_t n)
{
    name_buf_reset(b);
    name_buf_add(b, s, n);
}

/* the bytes tidy() acts on, found in one pass */
enum { HAS_SEMI = 1, HAS_PAREN = 2, HAS_QUOTE = 4, HAS_SLASH = 8 };

static unsigned specials(const char *s, size_t n)
{
    static const unsigned char tbl[256] = {
        [';'] = HAS_SEMI,   ['('] = HAS_PAREN, ['"'] = HAS_QUOTE,
        ['\''] = HAS_QUOTE, ['/'] = HAS_SLASH,
    };
    unsigned f = 0;
    for (size_t i = 0; i < n; i++)
        f |= tbl[(unsigned char)s[i]];
    return f;
}

/* cut at the first '(' not opening "(anonymous namespace)" */
static void cut_args(struct name_buf *f)
{
    static const char anon[] = "anonymous namespace)";
    for (char *p = f->s; (p = memchr(p, '(', f->len - (size_t)(p - f->s))); p++) {
        size_t rest = f->len - (size_t)(p - f->s) - 1;
        if (rest < sizeof anon - 1 || memcmp(p + 1, anon, sizeof anon - 1) != 0) {
            f->len = (size_t)(p - f->s);
            return;
        }
    }
}

/* stackcollapse-perf.pl's tidying of one frame (tidy_generic, tidy_java) */
static void tidy(struct collapse_perf *r, struct name_buf *f)
{
    unsigned sp = specials(f->s, f->len);
    if (sp & HAS_SEMI)
        for (size_t i = 0; i < f->len; i++)
            if (f->s[i] == ';')
                f->s[i] = ':';
    if ((sp & HAS_PAREN) && !looks_go(f->s, f->len))
        cut_args(f);
    if (sp & HAS_QUOTE) {
        size_t o = 0;
        for (size_t i = 0; i < f->len; i++)
            if (f->s[i] != '"' && f->s[i] != '\'')
                f->s[o++] = f->s[i];
        f->len = o;
    }
    if ((sp & HAS_SLASH) && r->java && f->len && f->s[0] == 'L' && memchr(f->s, '/', f->len)) {
        memmove(f->s, f->s + 1, f->len - 1);
        f->len--;
    }
    f->s[f->len] = '\0';
}

/* /\/tmp\/perf-\d+\.map/ */
static bool is_jit_map(const char *m, size_t n)
{
    for (const char *p = m; (p = memmem(p, n - (size_t)(p - m), "/tmp/perf-", 10)); p++) {
        size_t k = (size_t)(p - m) + 10;
        size_t d = skip_dig(m, k, n);
        if (d > k && d + 4 <= n && memcmp(m + d, ".map", 4) == 0)
            return true;
    }
    return false;
}

static void annotate(struct collapse_perf *r, struct name_buf *f, bool first, struct span mod)
{
    if (!first) {
        if (!contains(f->s ? f->s : "", f->len, "_[i]"))
            name_buf_addstr(f, "_[i]");
    } else if (r->o.kernel &&
               ((mod.n && mod.p[0] == '[') ||
                (mod.n >= 7 && memcmp(mod.p + mod.n - 7, "vmlinux", 7) == 0)) &&
               !contains(mod.p, mod.n, "unknown")) {
        name_buf_addstr(f, "_[k]");
    } else if (r->o.jit && is_jit_map(mod.p, mod.n)) {
        if (!contains(f->s ? f->s : "", f->len, "_[j]"))
            name_buf_addstr(f, "_[j]");
    }
}

static struct name_buf *new_element(struct collapse_perf *r)
{
    if (r->nel == r->capel) {
        size_t cap = r->capel ? r->capel * 2 : 16;
        r->el = xreallocarray(r->el, cap, sizeof *r->el);
        memset(r->el + r->capel, 0, (cap - r->capel) * sizeof *r->el);
        r->capel = cap;
    }
    struct name_buf *b = &r->el[r->nel++];
    name_buf_reset(b);
    return b;
}

/* room for n more bytes in front of rb[rpos..rcap) */
static void rb_room(struct collapse_perf *r, size_t n)
{
    if (r->rpos >= n)
        return;
    size_t used = r->rcap - r->rpos;
    size_t cap = r->rcap ? r->rcap : 4096;
    while (cap - used < n) {
        if (cap > SIZE_MAX / 2)
            cap = SIZE_MAX; /* xmalloc fails as out of memory */
        else
            cap *= 2;
    }
    char *b = xmalloc(cap);
    if (used)
        memcpy(b + cap - used, r->rb + r->rpos, used);
    free(r->rb);
    r->rb = b;
    r->rpos = cap - used;
    r->rcap = cap;
}

/* one frame line's frames, in front of the stack so far */
static void add_piece(struct collapse_perf *r, const char *s, size_t n)
{
    rb_room(r, n + 1);
    r->rpos -= n + 1;
    r->rb[r->rpos] = ';';
    if (n)
        memcpy(r->rb + r->rpos + 1, s, n);
}

/* the frames of this line become one piece (none when there are none) */
static void commit_elements(struct collapse_perf *r)
{
    if (!r->nel)
        return;
    if (r->nel == 1) {
        add_piece(r, r->el[0].s, r->el[0].len);
        r->nel = 0;
        r->pend_next = r->pend_count = 0;
        return;
    }
    name_buf_reset(&r->tmp);
    for (size_t i = 0; i < r->nel; i++) {
        if (i)
            name_buf_addc(&r->tmp, ';');
        name_buf_add(&r->tmp, r->el[i].s, r->el[i].len);
    }
    add_piece(r, r->tmp.s, r->tmp.len);
    r->nel = 0;
    r->pend_next = r->pend_count = 0;
}

/* --srcline: the line after a frame is its source place: "[...]" parts
 * and outer spaces removed, ":PLACE" added when anything is left */
static void take_srcline(struct collapse_perf *r, const char *s, size_t n)
{
    struct name_buf *t = &r->tmp;
    name_buf_reset(t);
    for (size_t i = 0; i < n;) {
        const char *close = s[i] == '[' ? memchr(s + i + 1, ']', n - i - 1) : NULL;
        if (close) {
            i = (size_t)(close - s) + 1;
            continue;
        }
        name_buf_addc(t, s[i++]);
    }
    size_t b = 0, e = t->len;
    while (b < e && is_sp(t->s[b]))
        b++;
    while (e > b && is_sp(t->s[e - 1]))
        e--;
    struct name_buf *f = &r->el[r->pend_next++];
    if (e > b) {
        name_buf_addc(f, ':');
        name_buf_add(f, t->s + b, e - b);
    }
    if (r->pend_next == r->pend_count)
        commit_elements(r);
}

/* one frame of a "->" chain (perf's inlined frames), made into el[] */
static void add_element(struct collapse_perf *r, const char *s, size_t n, struct span pc,
                        struct span mod, bool *unknown)
{
    bool first = r->nel == 0;
    struct name_buf *f = new_element(r);
    if (n == 9 && memcmp(s, "[unknown]", 9) == 0) {
        name_buf_addc(f, '[');
        if (mod.n == 9 && memcmp(mod.p, "[unknown]", 9) == 0) {
            name_buf_addstr(f, "unknown");
            *unknown = true;
        } else {
            const char *sl = memrchr(mod.p, '/', mod.n);
            size_t k = sl ? (size_t)(sl - mod.p) + 1 : 0;
            name_buf_add(f, mod.p + k, mod.n - k);
        }
        if (r->o.addrs) {
            name_buf_addstr(f, " <");
            name_buf_add(f, pc.p, pc.n);
            name_buf_addc(f, '>');
        }
        name_buf_addc(f, ']');
    } else {
        name_buf_add(f, s, n);
    }
    if (!f->s)
        name_buf_add(f, "", 0);
    tidy(r, f);
    annotate(r, f, first, mod);
    if (r->o.srcline && !*unknown)
        r->pend_count = r->nel;
}

static const char *cstr(struct name_buf *b, struct span s)
{
    buf_set(b, s.p, s.n);
    return b->s ? b->s : "";
}

/* --inline: addr2line's frames for this one, if it finds any */
static bool try_inline(struct collapse_perf *r, struct span pc, struct span func, struct span mod)
{
    if (!r->o.inline_fn || inline_skips(mod.p, mod.n))
        return false;
    cstr(&r->pc, pc);
    cstr(&r->raw, func);
    cstr(&r->mod, mod);
    name_buf_reset(&r->tmp);
    if (r->o.inline_fn(r->o.inline_arg, r->pc.s, r->raw.s, r->mod.s, &r->tmp) != 0)
        return false;
    const char *t = r->tmp.s ? r->tmp.s : "";
    size_t n = r->tmp.len;
    if (n == 0 || (n == 2 && memcmp(t, "??", 2) == 0) || (n == 7 && memcmp(t, "??:??:0", 7) == 0))
        return false;
    add_piece(r, t, n);
    return true;
}

static void frame_line(struct collapse_perf *r, struct span pc, struct span func, struct span mod)
{
    if (try_inline(r, pc, func, mod))
        return;
    func.n = strip_offset(func.p, func.n);
    if (func.n && func.p[0] == '(')
        return; /* a process name */
    /* split /->/, trailing empty fields dropped */
    size_t end = func.n;
    while (end >= 2 && func.p[end - 2] == '-' && func.p[end - 1] == '>')
        end -= 2;
    bool unknown = false;
    r->nel = 0;
    r->pend_next = r->pend_count = 0;
    for (size_t i = 0; end > 0;) {
        const char *a = find_arrow(func.p + i, end - i);
        size_t k = a ? (size_t)(a - func.p) : end;
        add_element(r, func.p + i, k - i, pc, mod, &unknown);
        if (!a)
            break;
        i = k + 2;
    }
    if (r->pend_count == 0)
        commit_elements(r);
}

static void end_sample(struct collapse_perf *r)
{
    size_t n = r->pname.len;
    rb_room(r, n);
    r->rpos -= n;
    memcpy(r->rb + r->rpos, r->pname.s, n);
    collapse_record(r->c, r->rb + r->rpos, r->rcap - r->rpos, r->period.s, r->period.len);
    r->rpos = r->rcap;
    r->have_pname = false;
}

static void copy_event(char dst[64], struct span e)
{
    size_t n = e.n < 63 ? e.n : 63;
    memcpy(dst, e.p, n);
    dst[n] = '\0';
}

/* the event filter; false when this sample is to be skipped */
static bool keep_event(struct collapse_perf *r, struct span ev)
{
    struct collapse_stats *st = collapse_stats_mut(r->c);
    if (r->filter.len == 0) {
        buf_set(&r->filter, ev.p, ev.n);
        r->defaulted = true;
        copy_event(st->event, ev);
        return true;
    }
    if (ev.n == r->filter.len && memcmp(ev.p, r->filter.s, ev.n) == 0)
        return true;
    st->filtered++;
    if (!st->other_event[0])
        copy_event(st->other_event, ev);
    return false;
}

static void header_line(struct collapse_perf *r, const char *s, size_t n, struct span comm,
                        struct span pid, struct span tid)
{
    struct span period = {NULL, 0}, ev;
    if (match_event(s, n, &period, &ev) && !keep_event(r, ev))
        return;
    if (period.n == 0 || (period.n == 1 && period.p[0] == '0'))
        period = (struct span){"1", 1};
    buf_set(&r->period, period.p, period.n);
    bool no_tid = tid.n == 0 || (tid.n == 1 && tid.p[0] == '0');
    struct span p = no_tid ? (struct span){"?", 1} : pid, t = no_tid ? pid : tid;
    struct name_buf *b = &r->pname;
    buf_set(b, comm.p, comm.n);
    if (r->o.tid || r->o.pid) {
        name_buf_addc(b, '-');
        name_buf_add(b, p.p, p.n);
    }
    if (r->o.tid) {
        name_buf_addc(b, '/');
        name_buf_add(b, t.p, t.n);
    }
    for (size_t i = 0; i < b->len; i++)
        if (b->s[i] == ' ')
            b->s[i] = '_';
    r->have_pname = true;
    r->java = b->len >= 4 && memcmp(b->s, "java", 4) == 0;
}

void collapse_perf_line(struct collapse_perf *r, const char *s, size_t n)
{
    if (r->pend_count) {
        take_srcline(r, s, n);
        return;
    }
    if (n && s[0] == '#')
        return;
    if (n == 0) {
        if (r->have_pname)
            end_sample(r);
        return;
    }
    struct span a, b, c;
    if (match_header(s, n, &a, &b, &c)) {
        header_line(r, s, n, a, b, c);
    } else if (match_frame(s, n, &a, &b, &c)) {
        if (r->have_pname)
            frame_line(r, a, b, c);
    } else {
        collapse_unrecognized(r->c);
    }
}

void collapse_perf_end(struct collapse_perf *r)
{
    if (r->pend_count)
        commit_elements(r);
    if (r->have_pname)
        collapse_stats_mut(r->c)->truncated = true;
}

bool collapse_perf_looks_like(const char *a, size_t an, const char *b, size_t bn)
{
    struct span x, y, z;
    if (!match_header(a, an, &x, &y, &z))
        return false;
    if (match_event(a, an, &x, &y))
        return true;
    return b && match_frame(b, bn, &x, &y, &z);
}
