/* SPDX-License-Identifier: BSD-2-Clause */
/* viewdata: the tree as the page engine's compact data (docs/viewer-data.md) */
#include "viewdata.h"

#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

void viewdata_base64_add(struct name_buf *out, const unsigned char *p, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t need = out->len + (n + 2) / 3 * 4 + 1;
    if (need > out->cap) {
        out->s = xrealloc(out->s, need);
        out->cap = need;
    }
    char *d = out->s + out->len;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        *d++ = abc[v >> 18];
        *d++ = abc[(v >> 12) & 63];
        *d++ = abc[(v >> 6) & 63];
        *d++ = abc[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
        *d++ = abc[v >> 18];
        *d++ = abc[(v >> 12) & 63];
        *d++ = i + 1 < n ? abc[(v >> 6) & 63] : '=';
        *d++ = '=';
    }
    *d = '\0';
    out->len = (size_t)(d - out->s);
}

/* The name references: a direct-mapped cache of recently stored names,
 * keyed by the node's own (raw) name. A name found there is referred to; one
 * that is not (never seen, or evicted by another name of the same hash) is
 * stored again. The decoder takes names in order, so a repeat costs bytes,
 * never meaning, and the encoder's memory stays fixed however many nodes the
 * tree has. Each pass starts from an empty cache and sees the same names in
 * the same order, so every pass makes the same choices. */
#define NAME_CACHE_MAX (1u << 16)

struct name_slot {
    const struct tree_node *n; /* whose name, NULL while free */
    uint32_t id;
};

struct names {
    struct name_slot *slot;
    size_t mask;  /* slots - 1, a power of two */
    size_t count; /* names stored so far */
};

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        h = util_mix64(h ^ v);
        s += 8;
        n -= 8;
    }
    uint64_t v = 0;
    memcpy(&v, s, n);
    return util_mix64(h ^ v);
}

static void names_init(struct names *nm, size_t nodes)
{
    size_t cap = 64;
    while (cap < NAME_CACHE_MAX && cap < nodes * 2)
        cap *= 2;
    nm->slot = xcalloc(cap, sizeof *nm->slot);
    nm->mask = cap - 1;
    nm->count = 0;
}

static void names_reset(struct names *nm)
{
    memset(nm->slot, 0, (nm->mask + 1) * sizeof *nm->slot);
    nm->count = 0;
}

/* the id of n's name, and whether it is stored here (new) */
static size_t names_ref(struct names *nm, const struct tree_node *n, bool *isnew)
{
    struct name_slot *s = &nm->slot[hash_bytes(n->name, n->len) & nm->mask];
    if (s->n && s->n->len == n->len && memcmp(s->n->name, n->name, n->len) == 0) {
        *isnew = false;
        return s->id;
    }
    s->n = n;
    s->id = (uint32_t)nm->count;
    *isnew = true;
    return nm->count++;
}

/* The bytes go through base64 as they are made, to a FILE or a name_buf,
 * so the data is never held whole. */
struct b64 {
    FILE *fp;
    struct name_buf *nb;
    unsigned char in[3];
    unsigned nin;
    size_t nout;
    char out[4096];
};

static const char b64abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_flush(struct b64 *s)
{
    if (s->fp)
        fwrite(s->out, 1, s->nout, s->fp);
    else
        name_buf_add(s->nb, s->out, s->nout);
    s->nout = 0;
}

static void b64_quad(struct b64 *s)
{
    uint32_t v = (uint32_t)s->in[0] << 16 | (uint32_t)s->in[1] << 8 | s->in[2];
    if (s->nout + 4 > sizeof s->out)
        b64_flush(s);
    char *d = s->out + s->nout;
    d[0] = b64abc[v >> 18];
    d[1] = b64abc[(v >> 12) & 63];
    d[2] = b64abc[(v >> 6) & 63];
    d[3] = b64abc[v & 63];
    s->nout += 4;
    s->nin = 0;
}

static void b64_put(struct b64 *s, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        s->in[s->nin++] = c[i];
        if (s->nin == 3)
            b64_quad(s);
    }
}

/* the padded last group, and everything out */
static void b64_end(struct b64 *s)
{
    if (s->nin) {
        unsigned k = s->nin;
        for (unsigned i = k; i < 3; i++)
            s->in[i] = 0;
        b64_quad(s);
        s->out[s->nout - 1] = '=';
        if (k == 1)
            s->out[s->nout - 2] = '=';
    }
    b64_flush(s);
}

/* The bytes are compressed (raw DEFLATE) on their way to base64: the page
 * inflates them natively, and a browser's HTML parser costs about as much
 * per byte of the document as all the decoding does, so fewer bytes is a
 * faster first picture. Level 1: the higher levels save a tenth of the bytes
 * for several times the CPU time. */
#define VIEWDATA_ZLEVEL 1

struct zout {
    z_stream z;
    struct b64 *b;
    bool ok;
    size_t nin;               /* bytes staged in in[] */
    unsigned char in[16384];  /* small writes gather here: one deflate call a block */
    unsigned char buf[16384]; /* deflate's output */
};

static bool z_init(struct zout *o, struct b64 *b)
{
    memset(&o->z, 0, sizeof o->z);
    o->b = b;
    o->ok = deflateInit2(&o->z, VIEWDATA_ZLEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    return o->ok;
}

/* feed n bytes (flush: Z_NO_FLUSH, or Z_FINISH with none at the end) */
static void z_run(struct zout *o, const void *p, size_t n, int flush)
{
    if (!o->ok)
        return;
    o->z.next_in = (unsigned char *)(uintptr_t)p;
    do {
        uInt chunk = n > (1u << 30) ? (1u << 30) : (uInt)n;
        o->z.avail_in = chunk;
        n -= chunk;
        int f = n ? Z_NO_FLUSH : flush, r;
        do {
            o->z.next_out = o->buf;
            o->z.avail_out = sizeof o->buf;
            r = deflate(&o->z, f);
            if (r == Z_STREAM_ERROR) {
                o->ok = false;
                return;
            }
            b64_put(o->b, o->buf, sizeof o->buf - o->z.avail_out);
        } while (o->z.avail_out == 0 || (f == Z_FINISH && r != Z_STREAM_END));
    } while (n);
}

static void z_put(struct zout *o, const void *p, size_t n)
{
    if (!n)
        return;
    if (o->nin + n > sizeof o->in) {
        z_run(o, o->in, o->nin, Z_NO_FLUSH);
        o->nin = 0;
    }
    if (n >= sizeof o->in) {
        z_run(o, p, n, Z_NO_FLUSH);
        return;
    }
    memcpy(o->in + o->nin, p, n);
    o->nin += n;
}

/* everything out; false when deflate failed */
static bool z_end(struct zout *o)
{
    z_run(o, o->in, o->nin, Z_FINISH);
    o->nin = 0;
    deflateEnd(&o->z);
    return o->ok;
}

/* varint: v in LEB128 (seven bits a byte, low first) into tmp; its length */
static size_t varint(unsigned char tmp[10], uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        tmp[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    tmp[n++] = (unsigned char)v;
    return n;
}

static void put_varint(struct zout *s, uint64_t v)
{
    unsigned char tmp[10];
    z_put(s, tmp, varint(tmp, v));
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const void *const *)a, y = (uintptr_t) * (const void *const *)b;
    return x < y ? -1 : x > y;
}

/* The budget. Nodes are ranked by weight, heaviest first, and among equal
 * weights by pre-order (a parent before its children, so every prefix of the
 * ranking holds its nodes' ancestors). The kept nodes are the longest prefix
 * whose nodes plus the aggregates they need (one per kept node with a child
 * left out) fit the budget: the cut is the last kept rank's weight and, for
 * nodes of that weight, the kept ones are the first in pre-order.
 *
 * The ranking is never built (it would cost more than the tree): a weight is
 * at least its children's, so keeping every node of weight >= T costs
 *     (nodes of weight >= T) + (those with children) - (those whose lightest
 *     child weighs >= T, which need no aggregate)
 * a count of values >= T, which grows as T falls. The cut, the highest T
 * whose cost is over the budget, is found by counting those values into
 * buckets over a narrowing range of weights, a few passes over the tree;
 * one more pass in pre-order then keeps nodes of exactly that weight while
 * they fit. */
struct cut {
    bool keep_all;
    uint64_t th; /* nodes heavier than th are kept */
    /* the nodes of weight th that are kept: a bit for each node address
     * from base on (bits), or a list by address (ties), whichever is smaller */
    uintptr_t base;
    size_t nbits;
    unsigned char *bits;
    const struct tree_node **ties;
    size_t nties;
};

#define CUT_BUCKETS 4096u

/* the count of values >= T, for T in [lo, hi], bucket by bucket; above
 * counts values > hi. The first pass (wide) buckets by a value's 7 leading
 * bits, the later ones by equal parts of [lo, hi]. */
struct cut_hist {
    uint64_t lo, hi;
    bool wide;
    unsigned shift;
    int64_t above;
    int64_t b[CUT_BUCKETS];
};

static unsigned wide_bucket(uint64_t x)
{
    if (x < 128)
        return (unsigned)x;
    unsigned k = 63u - (unsigned)__builtin_clzll(x);
    return 128 + (k - 7) * 64 + (unsigned)((x >> (k - 6)) & 63);
}

/* the lowest value of a wide bucket */
static uint64_t wide_low(unsigned b)
{
    if (b < 128)
        return b;
    return (uint64_t)(64 + (b - 128) % 64) << ((b - 128) / 64 + 1);
}

static void hist_add(struct cut_hist *h, uint64_t x, int64_t c)
{
    if (x < h->lo)
        return;
    if (x > h->hi)
        h->above += c;
    else
        h->b[h->wide ? wide_bucket(x) : (unsigned)((x - h->lo) >> h->shift)] += c;
}

/* one pass: every node's contributions to the cost */
static void hist_fill(const struct tree *t, unsigned w, struct cut_hist *h)
{
    memset(h->b, 0, sizeof h->b);
    h->above = 0;
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        const struct tree_node *c = tree_first_child(n);
        hist_add(h, tree_w(n, w), c ? 2 : 1);
        if (!c)
            continue;
        uint64_t m = tree_w(c, w);
        for (c = tree_next_sibling(c); c; c = tree_next_sibling(c))
            if (tree_w(c, w) < m)
                m = tree_w(c, w);
        hist_add(h, m, -1);
    }
}

/* the highest weight whose cost is over max, and the cost of keeping the
 * nodes heavier than it (*above) */
static uint64_t cut_weight(const struct tree *t, unsigned w, size_t max, int64_t *above)
{
    struct cut_hist *h = xcalloc(1, sizeof *h);
    h->lo = 0;
    h->hi = UINT64_MAX;
    h->wide = true;
    for (;;) {
        hist_fill(t, w, h);
        int64_t cum = h->above;
        unsigned nb =
            h->wide ? wide_bucket(UINT64_MAX) + 1 : (unsigned)((h->hi - h->lo) >> h->shift) + 1;
        unsigned b = nb;
        while (b > 0 && cum + h->b[b - 1] <= (int64_t)max)
            cum += h->b[--b];
        if (b == 0) /* cannot happen: everything kept costs the node count */
            b = 1;
        b--;
        uint64_t lo, hi;
        if (h->wide) {
            lo = wide_low(b);
            hi = b + 1 < nb ? wide_low(b + 1) - 1 : UINT64_MAX;
        } else {
            lo = h->lo + ((uint64_t)b << h->shift);
            uint64_t span = ((uint64_t)1 << h->shift) - 1;
            hi = h->hi - lo > span ? lo + span : h->hi;
        }
        if (lo == hi) {
            *above = cum;
            free(h);
            return lo;
        }
        h->lo = lo;
        h->hi = hi;
        h->wide = false;
        h->shift = 0;
        while ((hi - lo) >> h->shift >= CUT_BUCKETS)
            h->shift++;
    }
}

/* a kept node on the path of the pre-order pass: its children left to look
 * at, and how many of them are not kept (so far) */
struct cut_frame {
    const struct tree_node *next;
    size_t left;
};

static size_t children_upto(const struct tree_node *n, unsigned w, uint64_t th)
{
    size_t k = 0;
    for (const struct tree_node *c = tree_first_child(n); c; c = tree_next_sibling(c))
        k += tree_w(c, w) <= th;
    return k;
}

/* what a pass of cut_walk does with each kept node of weight th */
struct tie_acc {
    struct cut *c;
    enum { TIES_SPAN, TIES_BITS, TIES_LIST } mode;
    uintptr_t lo, hi; /* TIES_SPAN: the lowest and highest address */
    size_t n;
};

static void tie_take(struct tie_acc *acc, const struct tree_node *n)
{
    struct cut *c = acc->c;
    uintptr_t a = (uintptr_t)n;
    if (acc->mode == TIES_SPAN) {
        acc->lo = acc->n && acc->lo < a ? acc->lo : a;
        acc->hi = acc->n && acc->hi > a ? acc->hi : a;
    } else if (acc->mode == TIES_BITS) {
        size_t i = (a - c->base) / _Alignof(struct tree_node);
        c->bits[i / 8] = (unsigned char)(c->bits[i / 8] | 1u << (i % 8));
    } else {
        c->ties[acc->n] = n;
    }
    acc->n++;
}

/* the nodes of weight th kept: in pre-order, while they fit (cost is what
 * the nodes heavier than th cost), each handed to tie_take */
static void cut_walk(const struct tree *t, unsigned w, size_t max, int64_t cost,
                     struct tie_acc *acc)
{
    uint64_t th = acc->c->th;
    size_t cap = 64, top = 0;
    struct cut_frame *st = xreallocarray(NULL, cap, sizeof *st);
    const struct tree_node *root = t->root;
    /* the root is the heaviest node: a tie only when every kept node is one
     * (and then it fits, the budget being at least 2) */
    if (tree_w(root, w) == th) {
        cost += 1 + (tree_first_child(root) != NULL);
        tie_take(acc, root);
    }
    st[top++] = (struct cut_frame){tree_first_child(root), children_upto(root, w, th)};
    while (top) {
        struct cut_frame *f = &st[top - 1];
        const struct tree_node *n = f->next;
        if (!n) {
            top--;
            continue;
        }
        f->next = tree_next_sibling(n);
        uint64_t x = tree_w(n, w);
        if (x < th)
            continue;
        if (x == th) {
            int64_t nc = cost + 1 + (tree_first_child(n) != NULL) - (f->left == 1);
            if (nc > (int64_t)max)
                break;
            cost = nc;
            f->left--;
            tie_take(acc, n);
        }
        if (!tree_first_child(n))
            continue;
        if (top == cap)
            st = xreallocarray(st, cap *= 2, sizeof *st);
        st[top++] = (struct cut_frame){tree_first_child(n), children_upto(n, w, th)};
    }
    free(st);
}

/* the kept nodes of weight th: one pass for how many there are and where,
 * one to note them */
static void cut_ties(const struct tree *t, unsigned w, size_t max, int64_t cost, struct cut *c)
{
    struct tie_acc acc = {.c = c, .mode = TIES_SPAN};
    cut_walk(t, w, max, cost, &acc);
    c->nties = acc.n;
    if (!acc.n) {
        c->ties = xmalloc(sizeof *c->ties); /* bsearch wants a base, even for none */
        return;
    }
    size_t nbits = (acc.hi - acc.lo) / _Alignof(struct tree_node) + 1;
    acc.n = 0;
    if (nbits / 8 < c->nties * sizeof *c->ties) {
        c->base = acc.lo;
        c->nbits = nbits;
        c->bits = xcalloc(nbits / 8 + 1, 1);
        acc.mode = TIES_BITS;
        cut_walk(t, w, max, cost, &acc);
    } else {
        c->ties = xreallocarray(NULL, c->nties, sizeof *c->ties);
        acc.mode = TIES_LIST;
        cut_walk(t, w, max, cost, &acc);
        qsort(c->ties, c->nties, sizeof *c->ties, cmp_ptr);
    }
}

static void choose_cut(const struct tree *t, unsigned w, size_t max, size_t nodes, struct cut *c)
{
    memset(c, 0, sizeof *c);
    c->keep_all = nodes <= max;
    if (c->keep_all)
        return;
    int64_t cost;
    c->th = cut_weight(t, w, max, &cost);
    cut_ties(t, w, max, cost, c);
}

/* the records' columns, in the order they are written */
enum col { COL_CHILDREN, COL_FLAGS1, COL_FLAGS2, COL_NAME, COL_W };

/* A tree of at most opts.one_pass nodes is written in one pass over it,
 * the names and each column into a buffer of their own (about 15 bytes a
 * record, 4 MiB at the default), compressed after it in order. A pass over
 * the tree is mostly cache misses, and a pass for the count, the names and
 * each of the seven or so columns cost a tree of 80,000 entries a tenth of
 * a second. Larger trees take a pass a column, which holds no column in
 * memory. */
struct colbuf {
    unsigned char *p;
    size_t len, cap;
};

static void colbuf_put(struct colbuf *c, const void *p, size_t n)
{
    if (c->cap - c->len < n) {
        size_t cap = c->cap ? c->cap : 4096;
        while (cap - c->len < n)
            cap *= 2;
        c->p = xrealloc(c->p, cap);
        c->cap = cap;
    }
    memcpy(c->p + c->len, p, n);
    c->len += n;
}

/* what one pass over the kept nodes does */
enum pass {
    PASS_COUNT,   /* the statistics and the names block's length */
    PASS_NAMES,   /* the names block */
    PASS_RECORDS, /* one column of the records (enc.col) */
    PASS_TAGS,    /* the tags block after them */
};

struct enc {
    const struct tree *t;
    unsigned nw, w;
    void (*extra)(void *ctx, const struct tree_node *n, uint64_t *tot);
    void *extra_ctx;
    struct cut cut;
    enum pass pass;
    struct names nm;
    struct name_buf tmp; /* a display name */
    struct zout *out;
    unsigned col;         /* PASS_RECORDS: the column this pass writes */
    struct colbuf *cols;  /* or, when set, every column into its buffer, */
    struct colbuf *names; /* the names into this one, and the statistics kept */
    struct viewdata_stats *st;
    const struct viewdata_opts *o;
    uint64_t rec, next_tag; /* PASS_TAGS: the record met, the one after the last tag */
};

static bool kept(const struct enc *e, const struct tree_node *n)
{
    const struct cut *c = &e->cut;
    if (c->keep_all || tree_w(n, e->w) > c->th)
        return true;
    if (tree_w(n, e->w) < c->th)
        return false;
    if (c->bits) {
        size_t i = ((uintptr_t)n - c->base) / _Alignof(struct tree_node);
        return (uintptr_t)n >= c->base && i < c->nbits && (c->bits[i / 8] >> (i % 8) & 1);
    }
    return bsearch(&n, c->ties, c->nties, sizeof *c->ties, cmp_ptr) != NULL;
}

static unsigned char flags1(const struct tree_node *n, unsigned char *f2)
{
    unsigned f = n->flags;
    *f2 = (unsigned char)((f & TREE_UNREADABLE ? VIEWDATA_UNREADABLE : 0) |
                          (f & TREE_ARCHIVE ? VIEWDATA_ARCHIVE : 0) |
                          (f & TREE_LITERAL ? VIEWDATA_LITERAL : 0) |
                          (f & TREE_HARDLINK ? VIEWDATA_HARDLINK : 0) |
                          (f & TREE_SYMLINK ? VIEWDATA_SYMLINK : 0) |
                          (f & TREE_SPECIAL ? VIEWDATA_SPECIAL : 0) |
                          (f & TREE_ENCRYPTED ? VIEWDATA_ENCRYPTED : 0));
    return (unsigned char)((tree_kind_of(n) & VIEWDATA_KIND_MASK) |
                           (f & TREE_DIR ? VIEWDATA_DIR : 0) | (*f2 ? VIEWDATA_MORE : 0));
}

/* the siblings merged below a node, written as its last child */
struct agg {
    uint64_t w[VIEWDATA_MAXW];
    uint64_t siblings;
};

/* weight i of subtree n as the records carry it: the tree's slot, or what
 * opts.extra says */
static void node_tot(const struct enc *e, const struct tree_node *n, uint64_t *w)
{
    if (e->extra) {
        e->extra(e->extra_ctx, n, w);
        return;
    }
    for (unsigned i = 0; i < e->nw; i++)
        w[i] = tree_w(n, i);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* put_tag: n's tag (when it has one) as the records skipped since the last
 * one plus 1, then the tag */
static void put_tag(struct enc *e, const struct tree_node *n)
{
    long tag = e->o->tag(e->o->tag_ctx, n);
    if (tag >= 0) {
        put_varint(e->out, e->rec - e->next_tag + 1);
        put_varint(e->out, (uint64_t)tag);
        e->next_tag = e->rec + 1;
    }
    e->rec++;
}

/* whether this pass writes column col */
static bool wants(const struct enc *e, unsigned col)
{
    return e->cols || e->col == col;
}

/* n bytes of column col: to its buffer, or to the compressor when this
 * pass writes that column */
static void col_put(struct enc *e, unsigned col, const void *p, size_t n)
{
    if (e->cols)
        colbuf_put(&e->cols[col], p, n);
    else if (e->col == col)
        z_put(e->out, p, n);
}

static void col_varint(struct enc *e, unsigned col, uint64_t v)
{
    if (!wants(e, col))
        return;
    unsigned char tmp[10];
    col_put(e, col, tmp, varint(tmp, v));
}

static void put_node(struct enc *e, const struct tree_node *n, struct agg *a)
{
    size_t nchild = 0;
    memset(a, 0, sizeof *a);
    /* with extra weights, a record's own weight is its total less the
     * children's, summed here */
    uint64_t kids[VIEWDATA_MAXW] = {0}, cw[VIEWDATA_MAXW];
    bool sum_kids = e->extra && e->pass == PASS_RECORDS && (e->cols || e->col >= COL_W);
    bool count = e->pass == PASS_COUNT || e->names;
    for (const struct tree_node *c = tree_first_child(n); c; c = tree_next_sibling(c)) {
        bool keep = kept(e, c);
        if (keep && !sum_kids) {
            nchild++;
            continue;
        }
        node_tot(e, c, cw);
        for (unsigned i = 0; sum_kids && i < e->nw; i++)
            kids[i] = sat_add(kids[i], cw[i]);
        if (keep) {
            nchild++;
            continue;
        }
        a->siblings++;
        for (unsigned i = 0; i < e->nw; i++)
            a->w[i] = sat_add(a->w[i], cw[i]);
        if (count)
            e->st->merged += tree_count_nodes((struct tree_node *)c);
    }
    /* the names cache is only needed where names or references are made */
    bool isnew = false;
    size_t id = 0;
    if (e->pass != PASS_RECORDS || e->col == COL_NAME || e->cols)
        id = names_ref(&e->nm, n, &isnew);
    if (isnew && (count || e->pass == PASS_NAMES)) {
        name_buf_reset(&e->tmp);
        name_display_add(&e->tmp, n->name, n->len);
        name_buf_addc(&e->tmp, '\n');
        if (count) {
            e->st->names++;
            e->st->name_bytes += e->tmp.len;
        }
        if (e->names)
            colbuf_put(e->names, e->tmp.s, e->tmp.len);
        else if (e->pass == PASS_NAMES)
            z_put(e->out, e->tmp.s, e->tmp.len);
    }
    if (count) {
        e->st->embedded++;
        if (a->siblings) {
            e->st->embedded++;
            e->st->aggregates++;
        }
    }
    if (e->pass == PASS_TAGS)
        put_tag(e, n);
    if (e->pass != PASS_RECORDS)
        return;
    col_varint(e, COL_CHILDREN, nchild + (a->siblings ? 1 : 0));
    if (wants(e, COL_FLAGS1) || wants(e, COL_FLAGS2)) {
        unsigned char f2, f1 = flags1(n, &f2);
        col_put(e, COL_FLAGS1, &f1, 1);
        col_put(e, COL_FLAGS2, &f2, 1);
    }
    col_varint(e, COL_NAME, isnew ? 0 : id + 1);
    if (e->extra && (e->cols || e->col >= COL_W))
        node_tot(e, n, cw);
    for (unsigned i = 0; i < e->nw; i++) {
        if (!wants(e, COL_W + i))
            continue;
        if (e->extra)
            col_varint(e, COL_W + i, cw[i] > kids[i] ? cw[i] - kids[i] : 0);
        else
            col_varint(e, COL_W + i, tree_own(n, i));
    }
}

static void put_agg(struct enc *e, const struct agg *a)
{
    if (e->pass == PASS_TAGS)
        e->rec++;
    if (e->pass != PASS_RECORDS)
        return;
    unsigned char f1 = VIEWDATA_AGGREGATE, f2 = 0;
    col_varint(e, COL_CHILDREN, 0);
    col_put(e, COL_FLAGS1, &f1, 1);
    col_put(e, COL_FLAGS2, &f2, 1);
    col_varint(e, COL_NAME, a->siblings);
    for (unsigned i = 0; i < e->nw; i++)
        col_varint(e, COL_W + i, a->w[i]);
}

struct frame {
    const struct tree_node *next; /* the next child to look at */
    struct agg agg;               /* written after the last kept child */
};

/* one pass in pre-order over the kept nodes, without recursion (any depth) */
static void encode_nodes(struct enc *e, enum pass pass)
{
    e->pass = pass;
    names_reset(&e->nm);
    size_t cap = 64, top = 0;
    struct frame *st = xreallocarray(NULL, cap, sizeof *st);
    put_node(e, e->t->root, &st[0].agg);
    st[0].next = tree_first_child(e->t->root);
    top = 1;
    while (top) {
        struct frame *f = &st[top - 1];
        const struct tree_node *c = f->next;
        while (c && !kept(e, c))
            c = tree_next_sibling(c);
        if (c) {
            f->next = tree_next_sibling(c);
            if (top == cap) {
                cap *= 2;
                st = xreallocarray(st, cap, sizeof *st);
            }
            put_node(e, c, &st[top].agg);
            st[top].next = tree_first_child(c);
            top++;
            continue;
        }
        if (f->agg.siblings)
            put_agg(e, &f->agg);
        top--;
    }
    free(st);
}

static void enc_init(struct enc *e, const struct tree *t, const struct viewdata_opts *o,
                     struct viewdata_stats *st)
{
    memset(e, 0, sizeof *e);
    e->t = t;
    e->nw = t->nweights;
    if (o->nextra && o->extra) {
        e->nw = o->nextra < VIEWDATA_MAXW ? o->nextra : VIEWDATA_MAXW;
        e->extra = o->extra;
        e->extra_ctx = o->extra_ctx;
    }
    e->w = o->weight < t->nweights ? o->weight : 0;
    e->st = st;
    e->o = o;
    size_t max = o->max_entries ? o->max_entries : VIEWDATA_MAX_ENTRIES_DEFAULT;
    if (max < 2)
        max = 2;
    size_t nodes = tree_count_nodes(t->root);
    choose_cut(t, e->w, max, nodes, &e->cut);
    names_init(&e->nm, nodes);
    if (st) {
        memset(st, 0, sizeof *st);
        st->nodes = nodes;
    }
}

static void enc_release(struct enc *e)
{
    free(e->cut.ties);
    free(e->cut.bits);
    name_buf_release(&e->tmp);
    free(e->nm.slot);
}

/* What viewdata_prepare() leaves for the write: a small tree already
 * encoded (its names and columns held), or a large one's statistics only. */
struct viewdata_prep {
    struct enc e;
    struct viewdata_stats st;
    struct colbuf names;
    struct colbuf *cols; /* NULL: written a pass a column */
};

struct viewdata_prep *viewdata_prepare(const struct tree *t, const struct viewdata_opts *o,
                                       struct viewdata_stats *st)
{
    if (!t->finished)
        return NULL;
    struct viewdata_prep *p = xcalloc(1, sizeof *p);
    enc_init(&p->e, t, o, &p->st);
    size_t one = o->one_pass ? o->one_pass : VIEWDATA_ONE_PASS_DEFAULT;
    if (p->st.nodes <= one) {
        p->e.cols = p->cols = xcalloc(COL_W + p->e.nw, sizeof *p->cols);
        p->e.names = &p->names;
        encode_nodes(&p->e, PASS_RECORDS);
        p->e.cols = NULL;
        p->e.names = NULL;
    } else {
        encode_nodes(&p->e, PASS_COUNT);
    }
    p->e.st = NULL;
    if (st)
        *st = p->st;
    return p;
}

void viewdata_prep_free(struct viewdata_prep *p)
{
    if (!p)
        return;
    if (p->cols)
        for (unsigned c = 0; c < COL_W + p->e.nw; c++)
            free(p->cols[c].p);
    free(p->cols);
    free(p->names.p);
    enc_release(&p->e);
    free(p);
}

int viewdata_measure(const struct tree *t, const struct viewdata_opts *o,
                     struct viewdata_stats *stats)
{
    struct viewdata_prep *p = viewdata_prepare(t, o, stats);
    viewdata_prep_free(p);
    return p ? 0 : -1;
}

/* The prepared data compressed on its way out: the header, the names, then
 * the records as columns (each field of every record together, which
 * compresses better and lets the page decode each field in one tight
 * loop), then an image's tags. A large tree takes a pass over it for the
 * names and for each column, so that no column is held in memory. */
static int encode_to(struct b64 *b, struct viewdata_prep *p)
{
    struct zout *out = xcalloc(1, sizeof *out);
    if (!z_init(out, b)) {
        free(out);
        return -1;
    }
    struct enc *e = &p->e;
    e->out = out;
    put_varint(out, VIEWDATA_VERSION);
    put_varint(out, e->nw);
    put_varint(out, p->st.embedded);
    put_varint(out, p->st.names);
    put_varint(out, p->st.name_bytes);
    if (p->cols) {
        z_put(out, p->names.p, p->names.len);
        for (unsigned c = 0; c < COL_W + e->nw; c++)
            z_put(out, p->cols[c].p, p->cols[c].len);
    } else {
        encode_nodes(e, PASS_NAMES);
        for (e->col = 0; e->col < COL_W + e->nw; e->col++)
            encode_nodes(e, PASS_RECORDS);
    }
    if (e->o->tag) {
        encode_nodes(e, PASS_TAGS);
        put_varint(out, 0);
    }
    bool ok = z_end(out);
    b64_end(b);
    e->out = NULL;
    free(out);
    return ok ? 0 : -1;
}

int viewdata_write(FILE *fp, struct viewdata_prep *p)
{
    struct b64 *out = xcalloc(1, sizeof *out);
    out->fp = fp;
    int r = encode_to(out, p);
    free(out);
    viewdata_prep_free(p);
    return r;
}

int viewdata_encode(struct name_buf *out, const struct tree *t, const struct viewdata_opts *o,
                    struct viewdata_stats *stats)
{
    struct viewdata_prep *p = viewdata_prepare(t, o, stats);
    if (!p)
        return -1;
    struct b64 *b = xcalloc(1, sizeof *b);
    b->nb = out;
    int r = encode_to(b, p);
    free(b);
    viewdata_prep_free(p);
    return r;
}
