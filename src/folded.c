/* SPDX-License-Identifier: BSD-2-Clause */
#include "folded.h"
#include "count.h"
#include "lines.h"
#include "names.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* a count with more fractional digits than this is treated as overflowing:
 * 10^19 no longer fits in 64 bits */
#define MAX_SCALE 18

struct frame {
    const char *p;
    size_t len;
};

/* The reader's own name index, (parent, name) -> child, in place of
 * tree_child()'s: each entry's whole hash sits beside its slot, so
 * a probe that meets another name is rejected without touching that node
 * (a cache miss each). It holds only the children of nodes with more than
 * SCAN_MAX children (see child()); a child of a node made by this very line
 * is made without any search. Freed when the reader finishes. */
struct fslot {
    struct tree_node *n;
    uint64_t h; /* the whole hash: compared before the node is touched, and
                   growing the table needs no node */
};

struct findex {
    struct fslot *slots;
    size_t mask, used;
};

struct folded_reader {
    struct tree *t;
    struct findex idx;
    struct tree_arena *a;
    struct folded_opts o;
    bool differential;
    /* the previous line's nodes, by depth: consecutive lines share a prefix */
    struct tree_node **prev;
    size_t nprev, capprev;
    /* this line's frames */
    struct frame *fr;
    size_t capfr;
    /* the input buffer of folded_reader_read */
    struct lines in;
};

struct folded_reader *folded_reader_new(const struct folded_opts *o)
{
    struct folded_reader *r = xcalloc(1, sizeof *r);
    if (o)
        r->o = *o;
    /* two slots while reading: differential input may turn up on any line */
    r->t = tree_new("all", 2);
    r->a = tree_main_arena(r->t);
    return r;
}

void folded_reader_free(struct folded_reader *r)
{
    if (!r)
        return;
    tree_free(r->t);
    free(r->idx.slots);
    free(r->prev);
    free(r->fr);
    lines_release(&r->in);
    free(r);
}

bool folded_reader_differential(const struct folded_reader *r)
{
    return r->differential;
}

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* a count as an exact integer and its number of fractional digits */
struct count {
    uint64_t ip;   /* integer part */
    uint64_t frac; /* fractional digits as an integer */
    unsigned nfrac;
};

enum num { NUM_OK, NUM_NOT, NUM_NEGATIVE, NUM_OVERFLOW };

/* "123", "12.5", "7." (flamegraph.pl's \d+(\.\d*)?); "-3" is negative */
static enum num parse_num(const char *s, size_t n, struct count *c)
{
    size_t i = 0;
    bool neg = false;
    if (n > 0 && s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i >= n || !is_digit((unsigned char)s[i]))
        return NUM_NOT;
    bool over = false;
    uint64_t v = 0;
    for (; i < n && is_digit((unsigned char)s[i]); i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            over = true;
        else
            v = v * 10 + d;
    }
    uint64_t frac = 0;
    unsigned nfrac = 0;
    if (i < n && s[i] == '.') {
        i++;
        size_t fs = i;
        while (i < n && is_digit((unsigned char)s[i]))
            i++;
        size_t fe = i;
        while (fe > fs && s[fe - 1] == '0') /* "1.50" needs one digit */
            fe--;
        if (fe - fs > MAX_SCALE)
            over = true;
        else
            for (size_t k = fs; k < fe; k++) {
                frac = frac * 10 + (uint64_t)(s[k] - '0');
                nfrac++;
            }
    }
    if (i != n)
        return NUM_NOT;
    if (neg)
        return NUM_NEGATIVE;
    if (over)
        return NUM_OVERFLOW;
    c->ip = v;
    c->frac = frac;
    c->nfrac = nfrac;
    return NUM_OK;
}

/* the count times 10^scale, or false on overflow */
static bool scaled(const struct count *c, unsigned scale, uint64_t *out)
{
    uint64_t m = count_pow10(scale);
    if (c->ip > UINT64_MAX / m)
        return false;
    uint64_t v = c->ip * m;
    uint64_t f = c->frac * count_pow10(scale - c->nfrac);
    if (v > UINT64_MAX - f)
        return false;
    *out = v + f;
    return true;
}

/* the start of the last whitespace-separated field of s[0..e), e > 0 and
 * s[e-1] not whitespace */
static size_t field_start(const char *s, size_t e)
{
    while (e > 0 && !is_ws((unsigned char)s[e - 1]))
        e--;
    return e;
}

/* the start of the run of count bytes ([0-9.-]) that ends at e */
static size_t numeric_start(const char *s, size_t e)
{
    while (e > 0 && (is_digit((unsigned char)s[e - 1]) || s[e - 1] == '.' || s[e - 1] == '-'))
        e--;
    return e;
}

static size_t rtrim(const char *s, size_t e)
{
    while (e > 0 && is_ws((unsigned char)s[e - 1]))
        e--;
    return e;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

static uint64_t fhash(const struct tree_node *parent, const char *name, size_t len)
{
    uint64_t h = mix((uint64_t)(uintptr_t)parent * 0x9e3779b97f4a7c15ULL ^ len);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, name + i, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    memcpy(&w, name + i, len - i);
    return mix((h ^ w) * 0x94d049bb133111ebULL);
}

static void findex_grow(struct findex *x)
{
    size_t cap = x->slots ? (x->mask + 1) * 2 : 1024;
    struct fslot *slots = xcalloc(cap, sizeof *slots);
    if (x->slots) {
        for (size_t i = 0; i <= x->mask; i++) {
            if (!x->slots[i].n)
                continue;
            size_t j = x->slots[i].h & (cap - 1);
            while (slots[j].n)
                j = (j + 1) & (cap - 1);
            slots[j] = x->slots[i];
        }
        free(x->slots);
    }
    x->slots = slots;
    x->mask = cap - 1;
}

static void findex_put(struct findex *x, struct tree_node *n, uint64_t h)
{
    size_t j = h & x->mask;
    while (x->slots[j].n)
        j = (j + 1) & x->mask;
    x->slots[j].n = n;
    x->slots[j].h = h;
    x->used++;
}

/*
 * The child of parent named name, made if there is none.
 *
 * Most frames have few children (a function calls a handful of others), so
 * while a node has at most SCAN_MAX children they are found by walking its
 * child list, newest first; spare counts them. When a node gets one more, all
 * its children go into the index and spare becomes INDEXED. The index thus
 * holds only the children of wide nodes: for the 200,000-line benchmark it
 * stays small instead of growing to a million slots, and a lookup that misses
 * (a line parting from the one before) touches a few nodes, not a hash table.
 */
#define SCAN_MAX 8
#define INDEXED 0xffffu

static void findex_reserve(struct findex *x, size_t more)
{
    while (!x->slots || (x->used + more) * 4 > (x->mask + 1) * 3)
        findex_grow(x);
}

static struct tree_node *child(struct folded_reader *r, struct tree_node *parent, const char *name,
                               size_t len)
{
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    struct tree_node *n;
    struct findex *x = &r->idx;
    if (parent->spare != INDEXED) {
        for (n = tree_first_child(parent); n; n = tree_next_sibling(n))
            if (n->len == len && memcmp(n->name, name, len) == 0)
                return n;
        if (parent->spare < SCAN_MAX) {
            parent->spare++;
            n = tree_add(r->a, parent, name, len);
            n->spare = 0;
            return n;
        }
        findex_reserve(x, (size_t)parent->spare + 1);
        for (n = tree_first_child(parent); n; n = tree_next_sibling(n))
            findex_put(x, n, fhash(parent, n->name, n->len));
        parent->spare = INDEXED;
        uint64_t h = fhash(parent, name, len);
        n = tree_add(r->a, parent, name, len);
        n->spare = 0;
        findex_put(x, n, h);
        return n;
    }
    findex_reserve(x, 1);
    uint64_t h = fhash(parent, name, len);
    size_t j = h & x->mask;
    for (; (n = x->slots[j].n); j = (j + 1) & x->mask) {
        if (x->slots[j].h == h && tree_parent(n) == parent && n->len == len &&
            memcmp(n->name, name, len) == 0)
            return n;
    }
    n = tree_add(r->a, parent, name, len);
    n->spare = 0;
    x->slots[j].n = n;
    x->slots[j].h = h;
    x->used++;
    return n;
}

/* the node of one more frame of this line, at depth i (0 for the root's
 * children): made or found below node; recorded for the next line */
static struct tree_node *next_node(struct folded_reader *r, struct tree_node *node, size_t i,
                                   const char *name, size_t len)
{
    if (i >= r->capprev) {
        r->capprev = r->capprev ? 2 * r->capprev : 64;
        r->prev = xreallocarray(r->prev, r->capprev, sizeof *r->prev);
    }
    node = r->o.flamechart ? tree_add(r->a, node, name, len) : child(r, node, name, len);
    r->prev[i] = node;
    return node;
}

/* The frames of s[0..n) in reverse order (--reverse): split first. */
static struct tree_node *add_reversed(struct folded_reader *r, const char *s, size_t n)
{
    size_t nfr = 0;
    if (n > 0) {
        const char *p = s, *end = s + n;
        for (;;) {
            const char *q = memchr(p, ';', (size_t)(end - p));
            if (nfr == r->capfr) {
                r->capfr = r->capfr ? r->capfr * 2 : 64;
                r->fr = xreallocarray(r->fr, r->capfr, sizeof *r->fr);
            }
            r->fr[nfr].p = p;
            r->fr[nfr].len = (size_t)((q ? q : end) - p);
            nfr++;
            if (!q)
                break;
            p = q + 1;
        }
    }
    struct tree_node *node = r->t->root;
    bool same = true;
    for (size_t i = 0; i < nfr; i++) {
        const struct frame *f = &r->fr[nfr - 1 - i];
        if (same && i < r->nprev) {
            struct tree_node *c = r->prev[i];
            if (c->len == f->len && memcmp(c->name, f->p, f->len) == 0) {
                node = c;
                continue;
            }
        }
        same = false;
        node = next_node(r, node, i, f->p, f->len);
    }
    r->nprev = nfr;
    return node;
}

/*
 * The frames of s[0..n) in order. The frames this line shares with the line
 * before are matched in place against that line's nodes (a name, then ';' or
 * the end): no search for the ';' that ends them. From the first frame that
 * differs on, frames are cut with memchr and looked up.
 */
static struct tree_node *add_forward(struct folded_reader *r, const char *s, size_t n)
{
    struct tree_node *node = r->t->root;
    size_t i = 0;
    if (n > 0) {
        const char *p = s, *end = s + n;
        bool last = false;
        for (; i < r->nprev; i++) {
            struct tree_node *c = r->prev[i];
            size_t rest = (size_t)(end - p);
            if (c->len > rest || memcmp(c->name, p, c->len) != 0)
                break;
            if (c->len == rest) { /* the line's last frame */
                node = c;
                i++;
                last = true;
                break;
            }
            if (p[c->len] != ';')
                break;
            node = c;
            p += c->len + 1; /* not past end: s[n - 1] is not ';' */
        }
        while (!last) {
            const char *q = memchr(p, ';', (size_t)(end - p));
            node = next_node(r, node, i++, p, (size_t)((q ? q : end) - p));
            if (!q)
                break;
            p = q + 1;
        }
    }
    r->nprev = i;
    return node;
}

static void add_stack(struct folded_reader *r, const char *s, size_t n, uint64_t before,
                      uint64_t after)
{
    /* trailing ';' make no frame (Perl's split drops trailing empty fields) */
    while (n > 0 && s[n - 1] == ';')
        n--;
    struct tree_node *node = r->o.reverse ? add_reversed(r, s, n) : add_forward(r, s, n);
    tree_set_w(node, TREE_W_BEFORE, count_sat_add(tree_w(node, TREE_W_BEFORE), before));
    tree_set_w(node, TREE_W_AFTER, count_sat_add(tree_w(node, TREE_W_AFTER), after));
}

static enum folded_line num_error(enum num e)
{
    return e == NUM_NEGATIVE   ? FOLDED_NEGATIVE
           : e == NUM_OVERFLOW ? FOLDED_OVERFLOW
                               : FOLDED_NO_COUNT;
}

enum folded_line folded_reader_line(struct folded_reader *r, const char *s, size_t n)
{
    n = rtrim(s, n); /* also a CR of CRLF */
    size_t b = 0;
    while (b < n && is_ws((unsigned char)s[b]))
        b++;
    if (b == n)
        return FOLDED_BLANK;
    size_t f1 = field_start(s, n);
    if (f1 == 0)
        return FOLDED_NO_COUNT; /* one field: a stack without a count, or a bare count */
    struct count c1, c0;
    enum num e = parse_num(s + f1, n - f1, &c1);
    if (e != NUM_OK)
        return num_error(e);
    size_t end = rtrim(s, f1);
    bool diff = false;
    if (end > 0) {
        /* only a field of digits, '.' and '-' can parse as a count: stop at the
         * first other byte rather than walk back over the whole stack */
        size_t f0 = numeric_start(s, end);
        if (f0 > 0 && is_ws((unsigned char)s[f0 - 1])) {
            /* "STACK BEFORE AFTER" when the field before the count is a count too,
             * itself after whitespace (as flamegraph.pl decides) */
            enum num e0 = parse_num(s + f0, end - f0, &c0);
            if (e0 == NUM_OK) {
                diff = true;
                end = rtrim(s, f0);
            } else if (e0 == NUM_OVERFLOW) {
                return FOLDED_OVERFLOW;
            }
        }
    }
    unsigned need = c1.nfrac;
    if (diff && c0.nfrac > need)
        need = c0.nfrac;
    uint64_t v1, v0 = 0;
    /* check at the scale the tree would get, before changing the tree */
    unsigned scale = need > r->t->scale ? need : r->t->scale;
    if (!scaled(&c1, scale, &v1) || (diff && !scaled(&c0, scale, &v0)))
        return FOLDED_OVERFLOW;
    if (scale > r->t->scale && tree_rescale(r->t, scale) != 0)
        return FOLDED_OVERFLOW;
    if (diff) {
        r->differential = true;
        add_stack(r, s, end, v0, v1);
    } else {
        add_stack(r, s, end, v1, v1);
    }
    return FOLDED_OK;
}

static void count_line(struct folded_stats *st, enum folded_line k, uint64_t lineno)
{
    st->lines++;
    switch (k) {
    case FOLDED_OK:
        st->valid++;
        return;
    case FOLDED_BLANK:
        st->blank++;
        return;
    case FOLDED_NO_COUNT:
        st->no_count++;
        break;
    case FOLDED_OVERFLOW:
        st->overflow++;
        break;
    case FOLDED_NEGATIVE:
        st->negative++;
        break;
    }
    st->invalid++;
    if (!st->first_invalid)
        st->first_invalid = lineno;
}

struct read_state {
    struct folded_reader *r;
    struct folded_stats *st;
    uint64_t lineno;
};

static void read_line(void *arg, char *s, size_t n)
{
    struct read_state *rs = arg;
    count_line(rs->st, folded_reader_line(rs->r, s, n), ++rs->lineno);
}

/* The previous line's nodes stay valid while the next is read; its bytes are
 * not needed (prefixes are compared against the nodes' names), so the reader's
 * buffer may move under it. */
int folded_reader_read(struct folded_reader *r, FILE *in, struct folded_stats *st)
{
    struct read_state rs = {r, st, 0};
    int ret = lines_read(&r->in, in, 1u << 20, read_line, &rs);
    if (r->differential)
        st->differential = true;
    return ret;
}

static struct tree_node *reverse_list(struct tree_node *n)
{
    struct tree_node *prev = NULL;
    while (n) {
        struct tree_node *next = tree_next_sibling(n);
        tree_set_next_sibling(n, prev);
        prev = n;
        n = next;
    }
    return prev;
}

struct tree *folded_reader_finish(struct folded_reader *r)
{
    struct tree *t = r->t;
    /* tree_add prepends, so a flame chart's siblings are put back in input
     * (time) order. (The child counts in spare are cleared by tree_finish.) */
    if (r->o.flamechart) {
        struct tree_iter it;
        tree_iter_init(&it, t->root);
        for (struct tree_node *n; (n = tree_iter_next(&it, true));)
            tree_set_first_child(n, reverse_list(tree_first_child(n)));
    }
    if (r->differential) {
        t->nweights = 2;
        t->wnames[TREE_W_BEFORE] = "before";
        t->wnames[TREE_W_AFTER] = "after";
    } else {
        t->nweights = 1;
        t->wnames[0] = "samples";
    }
    tree_finish(t);
    r->t = NULL;
    /* the index is not needed once the tree is built */
    folded_reader_free(r);
    return t;
}

/* --- writing ------------------------------------------------------------ */

static void add_count(struct name_buf *b, uint64_t v, unsigned scale)
{
    char tmp[COUNT_TEXT_MAX];
    name_buf_add(b, tmp, count_format(tmp, v, scale, COUNT_TRIM));
}

int folded_write(FILE *out, const struct tree *t, unsigned weight_slot, unsigned flags)
{
    bool diff = flags & FOLDED_WRITE_DIFF;
    if (weight_slot >= TREE_MAXW)
        weight_slot = 0;
    struct name_buf path = {0}, line = {0};
    size_t *offs = NULL, capoffs = 0;
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    errno = 0;
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        unsigned d = it.depth;
        if (d >= capoffs) {
            capoffs = capoffs ? capoffs * 2 : 256;
            if (capoffs <= d)
                capoffs = d + 1;
            offs = xreallocarray(offs, capoffs, sizeof *offs);
        }
        if (d == 0) {
            name_buf_reset(&path);
        } else {
            path.len = d == 1 ? 0 : offs[d - 1];
            if (d > 1)
                name_buf_addc(&path, ';');
            name_folded_escape_add(&path, n->name, n->len);
        }
        offs[d] = path.len;
        uint64_t a, bw;
        if (diff) {
            bw = tree_own(n, TREE_W_BEFORE);
            a = tree_own(n, TREE_W_AFTER);
            if (!bw && !a)
                continue;
        } else {
            a = tree_own(n, weight_slot);
            if (!a)
                continue;
        }
        name_buf_reset(&line);
        if (path.len)
            name_buf_add(&line, path.s, path.len);
        name_buf_addc(&line, ' ');
        if (diff) {
            add_count(&line, bw, t->scale);
            name_buf_addc(&line, ' ');
        }
        add_count(&line, a, t->scale);
        name_buf_addc(&line, '\n');
        if (fwrite(line.s, 1, line.len, out) != line.len)
            break;
    }
    free(offs);
    name_buf_release(&path);
    name_buf_release(&line);
    if (ferror(out)) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}
