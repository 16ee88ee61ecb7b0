/* SPDX-License-Identifier: BSD-2-Clause */
/* wire: du tree parts as bytes (see wire.h) */
#include "wire.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* the flags word carries the mark's presence above the tree's 16 bits */
#define MARKED (1u << 16)

static void reserve(struct wire_buf *b, size_t n)
{
    if (b->len + n <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

void wire_put_u64(struct wire_buf *b, uint64_t v)
{
    reserve(b, 10);
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        b->p[b->len++] = (unsigned char)(c | (v ? 0x80 : 0));
    } while (v);
}

void wire_put_raw(struct wire_buf *b, const void *s, size_t n)
{
    reserve(b, n);
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
}

void wire_put_bytes(struct wire_buf *b, const void *s, size_t n)
{
    wire_put_u64(b, n);
    wire_put_raw(b, s, n);
}

uint64_t wire_get_u64(struct wire_rd *r)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end) {
            r->bad = true;
            return 0;
        }
        unsigned char c = *r->p++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            return v;
    }
    r->bad = true;
    return 0;
}

const void *wire_get_bytes(struct wire_rd *r, size_t *n)
{
    uint64_t len = wire_get_u64(r);
    if (r->bad || len > (uint64_t)(r->end - r->p)) {
        r->bad = true;
        *n = 0;
        return NULL;
    }
    const void *s = r->p;
    r->p += len;
    *n = (size_t)len;
    return s;
}

static uint64_t nchildren(const struct tree_node *n)
{
    uint64_t k = 0;
    for (const struct tree_node *c = tree_first_child(n); c; c = tree_next_sibling(c))
        k++;
    return k;
}

static void put_node(struct wire_buf *b, const struct tree *t, const struct tree_node *n,
                     uint64_t mark)
{
    wire_put_u64(b, n->flags | (mark ? MARKED : 0));
    struct tree_link l;
    if ((n->flags & TREE_LINKED) && tree_link_get(t, n, &l)) {
        wire_put_u64(b, l.dev);
        wire_put_u64(b, l.ino);
        wire_put_u64(b, l.nlink);
    } else if (n->flags & TREE_LINKED) {
        wire_put_u64(b, 0);
        wire_put_u64(b, 0);
        wire_put_u64(b, 0);
    }
    if (mark)
        wire_put_u64(b, mark);
    for (unsigned i = 0; i < TREE_MAXW; i++)
        wire_put_u64(b, tree_w(n, i));
    wire_put_bytes(b, n->name, n->len);
    wire_put_u64(b, nchildren(n));
}

void wire_enc_begin(struct wire_enc *e, struct wire_buf *b, const struct tree *t,
                    struct tree_node *n, wire_mark_fn mark, void *ctx)
{
    *e = (struct wire_enc){.t = t, .mark = mark, .ctx = ctx};
    wire_put_u64(b, nchildren(n));
    tree_iter_init(&e->it, n);
    (void)tree_iter_next(&e->it, true); /* n itself */
    e->next = tree_iter_next(&e->it, true);
}

bool wire_enc_more(struct wire_enc *e, struct wire_buf *b, size_t limit)
{
    while (e->next && b->len < limit) {
        put_node(b, e->t, e->next, e->mark ? e->mark(e->ctx, e->next) : 0);
        e->next = tree_iter_next(&e->it, true);
    }
    return !e->next;
}

void wire_put_children(struct wire_buf *b, const struct tree *t, struct tree_node *n,
                       wire_mark_fn mark, void *ctx)
{
    struct wire_enc e;
    wire_enc_begin(&e, b, t, n, mark, ctx);
    (void)wire_enc_more(&e, b, SIZE_MAX);
}

/* tree_add prepends: reversing a node's children once they are all read
 * gives back the order they were written in, which sinks that leave some
 * siblings unsorted (the SVG's explorer data) show */
static void reverse_children(struct tree_node *n)
{
    struct tree_node *prev = NULL, *c = tree_first_child(n);
    while (c) {
        struct tree_node *next = tree_next_sibling(c);
        tree_set_next_sibling(c, prev);
        prev = c;
        c = next;
    }
    tree_set_first_child(n, prev);
}

/* get_node: one node under parent; its number of children in *kids */
static struct tree_node *get_node(struct wire_rd *r, struct tree *t, struct tree_arena *a,
                                  struct tree_node *parent, wire_marked_fn marked, void *ctx,
                                  uint64_t *kids)
{
    uint64_t flags = wire_get_u64(r);
    struct tree_link l = {0};
    if (flags & TREE_LINKED) {
        l.dev = wire_get_u64(r);
        l.ino = wire_get_u64(r);
        l.nlink = wire_get_u64(r);
    }
    uint64_t mark = (flags & MARKED) ? wire_get_u64(r) : 0;
    uint64_t w[TREE_MAXW];
    for (unsigned i = 0; i < TREE_MAXW; i++)
        w[i] = wire_get_u64(r);
    size_t len;
    const char *name = wire_get_bytes(r, &len);
    *kids = wire_get_u64(r);
    if (r->bad || flags > (MARKED | 0xffffu))
        return NULL;
    /* a file is made as a leaf, its weights as narrow as they allow; a
     * directory may still be given children by a later graft */
    struct tree_node *n;
    if (*kids == 0 && !(flags & TREE_DIR) && !mark) {
        n = tree_add_leaf(a, parent, name, len, w, TREE_MAXW);
    } else {
        n = tree_add(a, parent, name, len);
        for (unsigned i = 0; i < TREE_MAXW; i++)
            tree_set_w(n, i, w[i]);
    }
    n->flags = (uint16_t)(flags & 0xffffu & ~(unsigned)TREE_LINKED);
    if (flags & TREE_LINKED)
        tree_link_set(t, n, &l);
    if (mark && marked)
        marked(ctx, mark, n);
    return n;
}

void wire_dec_begin(struct wire_dec *d, struct wire_rd *r, struct tree *t, struct tree_arena *a,
                    struct tree_node *parent, wire_marked_fn marked, void *ctx)
{
    *d = (struct wire_dec){.t = t, .a = a, .marked = marked, .ctx = ctx, .cap = 64};
    d->st = xmalloc(d->cap * sizeof *d->st);
    d->st[0] = (struct wire_frame){parent, wire_get_u64(r)};
}

int wire_dec_more(struct wire_dec *d, struct wire_rd *r, bool whole)
{
    while (!r->bad) {
        struct wire_frame *f = &d->st[d->depth];
        if (f->left == 0) {
            reverse_children(f->node);
            if (d->depth == 0)
                return 1;
            d->depth--;
            continue;
        }
        if (r->p == r->end && !whole)
            return 0; /* the rest comes with the next bytes */
        /* a node takes at least 6 bytes: a count beyond that is a lie */
        if (whole && f->left > (uint64_t)(r->end - r->p)) {
            r->bad = true;
            break;
        }
        f->left--;
        uint64_t kids;
        struct tree_node *n = get_node(r, d->t, d->a, f->node, d->marked, d->ctx, &kids);
        if (!n)
            break;
        if (kids) {
            if (d->depth + 1 == d->cap) {
                d->cap *= 2;
                d->st = xreallocarray(d->st, d->cap, sizeof *d->st);
            }
            d->st[++d->depth] = (struct wire_frame){n, kids};
        }
    }
    r->bad = true;
    return -1;
}

void wire_dec_free(struct wire_dec *d)
{
    free(d->st);
    d->st = NULL;
}

int wire_get_children(struct wire_rd *r, struct tree *t, struct tree_arena *a,
                      struct tree_node *parent, wire_marked_fn marked, void *ctx)
{
    struct wire_dec d;
    wire_dec_begin(&d, r, t, a, parent, marked, ctx);
    int rc = wire_dec_more(&d, r, true);
    wire_dec_free(&d);
    return rc < 0 ? -1 : 0;
}

int wire_key_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
    if (alen < 2 || blen < 2)
        return (alen > blen) - (alen < blen);
    unsigned ia = (unsigned)a[0] << 8 | a[1], ib = (unsigned)b[0] << 8 | b[1];
    struct wire_rd ra = {a + 2, a + alen, false}, rb = {b + 2, b + blen, false};
    /* tree_path_cmp: different PATHs by their index, then by name where
     * the paths part; a path before the paths below it */
    bool first = true;
    for (;;) {
        bool ea = ra.p >= ra.end, eb = rb.p >= rb.end;
        if (ea || eb)
            return ea && eb ? 0 : (ea ? -1 : 1);
        size_t la, lb;
        const unsigned char *sa = wire_get_bytes(&ra, &la), *sb = wire_get_bytes(&rb, &lb);
        if (!sa || !sb)
            return (sa != NULL) - (sb != NULL);
        bool same = la == lb && memcmp(sa, sb, la) == 0;
        if (first && ia != ib)
            return ia < ib ? -1 : 1;
        first = false;
        if (same)
            continue;
        size_t l = la < lb ? la : lb;
        int c = memcmp(sa, sb, l);
        if (c)
            return c < 0 ? -1 : 1;
        return (la > lb) - (la < lb);
    }
}
