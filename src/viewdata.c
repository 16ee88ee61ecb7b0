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

static int cmp_desc(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* the weight a node must exceed to be kept (0 with keep_all) */
static uint64_t threshold(const struct tree *t, unsigned w, size_t max, size_t nodes,
                          bool *keep_all)
{
    *keep_all = nodes <= max;
    if (*keep_all)
        return 0;
    uint64_t *ws = xreallocarray(NULL, nodes, sizeof *ws);
    size_t k = 0;
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        ws[k++] = n->w[w];
    qsort(ws, k, sizeof *ws, cmp_desc);
    /* at most max/2 nodes above it, so kept nodes plus one aggregate per
     * kept node stay within max */
    size_t k2 = max / 2;
    uint64_t th = ws[k2];
    /* keep the nodes equal to it too when they fit */
    size_t j = k2;
    while (j + 1 < k && ws[j + 1] == th)
        j++;
    if (j + 1 <= k2 && th > 0)
        th--;
    free(ws);
    return th;
}

struct enc {
    const struct tree *t;
    unsigned nw, w;
    uint64_t th;
    bool keep_all;
    struct names nm;
    struct name_buf rec;
    struct viewdata_stats *st;
};

static bool kept(const struct enc *e, const struct tree_node *n)
{
    return e->keep_all || n->w[e->w] > e->th;
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
    e.th = threshold(t, e.w, max, st->nodes, &e.keep_all);
    encode_nodes(&e);
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
