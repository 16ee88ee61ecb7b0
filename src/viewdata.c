/* SPDX-License-Identifier: BSD-2-Clause */
/* viewdata: the tree as the page engine's compact data (docs/viewer-data.md) */
#include "viewdata.h"

#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static void add_varint(struct name_buf *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    while (v >= 0x80) {
        tmp[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    tmp[n++] = (unsigned char)v;
    name_buf_add(b, tmp, n);
}

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

/* each distinct display name once: an open-addressing set of name ids */
struct names {
    struct name_buf text; /* the names, each followed by "\n" */
    size_t *off;          /* off[id]: where name id starts in text */
    size_t count, capoff;
    uint32_t *slot; /* id + 1, 0 when free */
    size_t cap;     /* power of two */
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

static size_t names_len(const struct names *nm, size_t id)
{
    return nm->off[id + 1] - nm->off[id] - 1;
}

static void names_grow(struct names *nm)
{
    size_t cap = nm->cap ? nm->cap * 2 : 1024;
    uint32_t *slot = xcalloc(cap, sizeof *slot);
    for (size_t i = 0; i < nm->cap; i++) {
        uint32_t id = nm->slot[i];
        if (!id)
            continue;
        const char *s = nm->text.s + nm->off[id - 1];
        size_t h = (size_t)hash_bytes(s, names_len(nm, id - 1)) & (cap - 1);
        while (slot[h])
            h = (h + 1) & (cap - 1);
        slot[h] = id;
    }
    free(nm->slot);
    nm->slot = slot;
    nm->cap = cap;
}

/* the id of name s (display form), and whether it is new */
static size_t names_ref(struct names *nm, const char *s, size_t n, bool *isnew)
{
    if ((nm->count + 1) * 2 > nm->cap)
        names_grow(nm);
    size_t h = (size_t)hash_bytes(s, n) & (nm->cap - 1);
    for (uint32_t id; (id = nm->slot[h]); h = (h + 1) & (nm->cap - 1)) {
        if (names_len(nm, id - 1) == n && memcmp(nm->text.s + nm->off[id - 1], s, n) == 0) {
            *isnew = false;
            return id - 1;
        }
    }
    if (nm->count + 2 > nm->capoff) {
        nm->capoff = nm->capoff ? nm->capoff * 2 : 1024;
        nm->off = xreallocarray(nm->off, nm->capoff, sizeof *nm->off);
    }
    size_t id = nm->count++;
    nm->off[id] = nm->text.len;
    name_buf_add(&nm->text, s, n);
    name_buf_addc(&nm->text, '\n');
    nm->off[id + 1] = nm->text.len;
    nm->slot[h] = (uint32_t)(id + 1);
    *isnew = true;
    return id;
}

/* The budget. Nodes are ranked by weight, heaviest first, and among equal
 * weights by pre-order (a parent before its children, so every prefix of the
 * ranking holds its nodes' ancestors). The kept nodes are the longest prefix
 * whose nodes plus the aggregates they need (one per kept node with a child
 * left out) fit the budget: the cut is the last kept rank's weight and, for
 * nodes of that weight, the kept ones are the first in pre-order. */
struct rank {
    uint64_t w;
    uint32_t i; /* pre-order index */
};

static int cmp_rank(const void *a, const void *b)
{
    const struct rank *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const void *const *)a, y = (uintptr_t) * (const void *const *)b;
    return x < y ? -1 : x > y;
}

struct cut {
    bool keep_all;
    uint64_t th;                   /* nodes heavier than th are kept */
    const struct tree_node **ties; /* nodes of weight th that are kept, by address */
    size_t nties;
};

/* the number of ranks kept: the longest prefix that fits max */
static size_t fit(const struct rank *r, size_t n, const uint32_t *parent, uint32_t *left,
                  size_t max)
{
    size_t kept = 0, aggs = 0;
    for (; kept < n; kept++) {
        uint32_t i = r[kept].i;
        size_t a = aggs + (left[i] > 0) - (kept && left[parent[i]] == 1);
        if (kept + 1 + a > max)
            break;
        aggs = a;
        if (kept)
            left[parent[i]]--;
    }
    return kept;
}

static void choose_cut(const struct tree *t, unsigned w, size_t max, size_t nodes, struct cut *c)
{
    memset(c, 0, sizeof *c);
    c->keep_all = nodes <= max || nodes > UINT32_MAX;
    if (c->keep_all)
        return;
    const struct tree_node **at = xreallocarray(NULL, nodes, sizeof *at);
    struct rank *r = xreallocarray(NULL, nodes, sizeof *r);
    uint32_t *parent = xreallocarray(NULL, nodes, sizeof *parent);
    uint32_t *left = xreallocarray(NULL, nodes, sizeof *left); /* children not kept */
    /* pre-order with an explicit stack of indices */
    size_t k = 0, cap = 64, top = 0;
    uint32_t *st = xreallocarray(NULL, cap, sizeof *st);
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true)) && k < nodes;) {
        while (top && at[st[top - 1]] != n->parent)
            top--;
        at[k] = n;
        r[k] = (struct rank){n->w[w], (uint32_t)k};
        parent[k] = top ? st[top - 1] : 0;
        left[k] = 0;
        if (top)
            left[st[top - 1]]++;
        if (top == cap) {
            cap *= 2;
            st = xreallocarray(st, cap, sizeof *st);
        }
        st[top++] = (uint32_t)k;
        k++;
    }
    free(st);
    qsort(r, k, sizeof *r, cmp_rank);
    size_t kept = fit(r, k, parent, left, max);
    c->th = r[kept - 1].w;
    size_t first = kept - 1;
    while (first > 0 && r[first - 1].w == c->th)
        first--;
    c->nties = kept - first;
    c->ties = xreallocarray(NULL, c->nties, sizeof *c->ties);
    for (size_t j = first; j < kept; j++)
        c->ties[j - first] = at[r[j].i];
    qsort(c->ties, c->nties, sizeof *c->ties, cmp_ptr);
    free(at);
    free(r);
    free(parent);
    free(left);
}

struct enc {
    const struct tree *t;
    unsigned nw, w;
    struct cut cut;
    struct names nm;
    struct name_buf rec;
    struct viewdata_stats *st;
};

static bool kept(const struct enc *e, const struct tree_node *n)
{
    const struct cut *c = &e->cut;
    if (c->keep_all || n->w[e->w] > c->th)
        return true;
    if (n->w[e->w] < c->th)
        return false;
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
    uint64_t w[TREE_MAXW];
    uint64_t siblings;
};

static void put_node(struct enc *e, const struct tree_node *n, struct agg *a, struct name_buf *tmp)
{
    size_t nchild = 0;
    memset(a, 0, sizeof *a);
    for (const struct tree_node *c = n->child; c; c = c->next) {
        if (kept(e, c)) {
            nchild++;
            continue;
        }
        a->siblings++;
        for (unsigned i = 0; i < e->nw; i++)
            a->w[i] = a->w[i] + c->w[i] < a->w[i] ? UINT64_MAX : a->w[i] + c->w[i];
        e->st->merged += tree_count_nodes((struct tree_node *)c);
    }
    add_varint(&e->rec, nchild + (a->siblings ? 1 : 0));
    unsigned char f2, f1 = flags1(n, &f2);
    name_buf_addc(&e->rec, (char)f1);
    if (f2)
        name_buf_addc(&e->rec, (char)f2);
    name_buf_reset(tmp);
    name_display_add(tmp, n->name, n->len);
    bool isnew;
    size_t id = names_ref(&e->nm, tmp->s ? tmp->s : "", tmp->len, &isnew);
    add_varint(&e->rec, isnew ? 0 : id + 1);
    for (unsigned i = 0; i < e->nw; i++)
        add_varint(&e->rec, tree_own(n, i));
    e->st->embedded++;
}

static void put_agg(struct enc *e, const struct agg *a)
{
    add_varint(&e->rec, 0);
    name_buf_addc(&e->rec, (char)VIEWDATA_AGGREGATE);
    add_varint(&e->rec, a->siblings);
    for (unsigned i = 0; i < e->nw; i++)
        add_varint(&e->rec, a->w[i]);
    e->st->embedded++;
    e->st->aggregates++;
}

struct frame {
    const struct tree_node *next; /* the next child to look at */
    struct agg agg;               /* written after the last kept child */
};

/* pre-order over the kept nodes, without recursion (any depth) */
static void encode_nodes(struct enc *e)
{
    size_t cap = 64, top = 0;
    struct frame *st = xreallocarray(NULL, cap, sizeof *st);
    struct name_buf tmp = {0};
    put_node(e, e->t->root, &st[0].agg, &tmp);
    st[0].next = e->t->root->child;
    top = 1;
    while (top) {
        struct frame *f = &st[top - 1];
        const struct tree_node *c = f->next;
        while (c && !kept(e, c))
            c = c->next;
        if (c) {
            f->next = c->next;
            if (top == cap) {
                cap *= 2;
                st = xreallocarray(st, cap, sizeof *st);
            }
            put_node(e, c, &st[top].agg, &tmp);
            st[top].next = c->child;
            top++;
            continue;
        }
        if (f->agg.siblings)
            put_agg(e, &f->agg);
        top--;
    }
    name_buf_release(&tmp);
    free(st);
}

int viewdata_encode(struct name_buf *out, const struct tree *t, const struct viewdata_opts *o,
                    struct viewdata_stats *stats)
{
    struct viewdata_stats dummy;
    struct viewdata_stats *st = stats ? stats : &dummy;
    memset(st, 0, sizeof *st);
    if (!t->finished)
        return -1;
    struct enc e = {
        .t = t, .nw = t->nweights, .w = o->weight < t->nweights ? o->weight : 0, .st = st};
    size_t max = o->max_entries ? o->max_entries : VIEWDATA_MAX_ENTRIES_DEFAULT;
    if (max < 2)
        max = 2;
    st->nodes = tree_count_nodes(t->root);
    choose_cut(t, e.w, max, st->nodes, &e.cut);
    encode_nodes(&e);
    free(e.cut.ties);
    st->names = e.nm.count;

    struct name_buf all = {0};
    add_varint(&all, VIEWDATA_VERSION);
    add_varint(&all, e.nw);
    add_varint(&all, st->embedded);
    add_varint(&all, e.nm.count);
    add_varint(&all, e.nm.text.len);
    name_buf_add(&all, e.nm.text.s ? e.nm.text.s : "", e.nm.text.len);
    name_buf_add(&all, e.rec.s ? e.rec.s : "", e.rec.len);
    viewdata_base64_add(out, (const unsigned char *)all.s, all.len);
    name_buf_release(&all);
    name_buf_release(&e.rec);
    name_buf_release(&e.nm.text);
    free(e.nm.off);
    free(e.nm.slot);
    return 0;
}
