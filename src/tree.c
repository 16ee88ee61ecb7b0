/* SPDX-License-Identifier: BSD-2-Clause */
#include "tree.h"
#include "count.h"
#include "util.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Nodes are carved from chunks that grow from 64 KiB to 8 MiB (4 MiB for
 * arenas without huge pages), so a small
 * folded file costs little and a million-entry scan makes few allocations. */
#define CHUNK_MIN (64u * 1024)
#define CHUNK_MAX (8u * 1024 * 1024)
/* Fresh node memory is written once, page by page, and a page fault is
 * costly (in a virtual machine a third of a 200,000-line render went to
 * them). Chunks of at least BIG_CHUNK are therefore mapped directly, aligned
 * to 2 MiB, with transparent huge pages asked for: a fault then brings in
 * 2 MiB. Where THP is not offered the hint changes nothing. (Populating the
 * chunk up front with MADV_POPULATE_WRITE measured no better.) */
#define HUGE_PAGE ((size_t)2 * 1024 * 1024)
#define BIG_CHUNK ((size_t)4 * 1024 * 1024)

struct chunk {
    struct chunk *next;
    size_t used, size;
    void *map; /* the mapping to unmap, or NULL: from malloc */
    size_t maplen;
    _Alignas(16) unsigned char data[];
};

/* The name index maps (parent, name) to a child: open addressing with
 * linear probing over node pointers, kept at most 3/4 full. */
struct index {
    struct tree_node **slots;
    size_t mask; /* capacity - 1, capacity a power of two */
    size_t used;
};

struct tree_arena {
    struct tree_arena *next;
    struct chunk *chunks;
    size_t next_size;
    bool huge; /* big chunks may use huge pages (see chunk_new) */
    struct index idx;
};

static struct tree_arena *arena_new(void)
{
    struct tree_arena *a = xcalloc(1, sizeof *a);
    a->next_size = CHUNK_MIN;
    return a;
}

/* a chunk of size bytes (header included): mapped with huge pages when
 * big, else (or if mapping fails: xmalloc then says
 * "out of memory") from malloc */
static struct chunk *chunk_new(size_t size, bool huge)
{
    if (huge && size >= BIG_CHUNK) {
        size_t len = size + HUGE_PAGE;
        void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            /* keep the aligned part only: no address space is left over */
            uintptr_t b = ((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
            size_t head = (size_t)(b - (uintptr_t)m);
            if (head)
                munmap(m, head);
            if (len - head > size)
                munmap((char *)b + size, len - head - size);
            struct chunk *c = (struct chunk *)b;
#ifdef MADV_HUGEPAGE
            (void)madvise(c, size, MADV_HUGEPAGE);
#endif
            c->map = c;
            c->maplen = size;
            return c;
        }
    }
    struct chunk *c = xmalloc(size);
    c->map = NULL;
    c->maplen = 0;
    return c;
}

static void chunk_free(struct chunk *c)
{
    if (c->map)
        munmap(c->map, c->maplen);
    else
        free(c);
}

static void *arena_alloc(struct tree_arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    struct chunk *c = a->chunks;
    if (!c || c->size - c->used < n) {
        size_t size = a->next_size;
        while (size - sizeof(struct chunk) < n)
            size *= 2;
        if (a->next_size < (a->huge ? CHUNK_MAX : CHUNK_MAX / 2))
            a->next_size *= 2;
        c = chunk_new(size, a->huge);
        c->next = a->chunks;
        c->used = 0;
        c->size = size - sizeof(struct chunk);
        a->chunks = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

static struct tree_node *node_new(struct tree_arena *a, struct tree_node *parent, const char *name,
                                  size_t len)
{
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    struct tree_node *n = arena_alloc(a, sizeof *n + len + 1);
    memset(n, 0, sizeof *n);
    n->len = (uint32_t)len;
    if (len)
        memcpy(n->name, name, len);
    n->name[len] = '\0';
    n->parent = parent;
    if (parent) {
        n->next = parent->child;
        parent->child = n;
    }
    return n;
}

struct tree *tree_new(const char *root_name, unsigned nweights)
{
    struct tree *t = xcalloc(1, sizeof *t);
    pthread_mutex_t *m = xmalloc(sizeof *m);
    pthread_mutex_init(m, NULL);
    t->lock = m;
    t->nweights = nweights > TREE_MAXW ? TREE_MAXW : nweights;
    t->main_arena = tree_arena_new(t);
    /* Huge pages only for the arena a single-threaded source fills (folded
     * input, an archive): there they cut a render's page faults threefold.
     * The walker's per-thread arenas each end in a partly used chunk, and
     * with huge pages those tails cost a million-file scan about 40 bytes
     * per entry (72 -> 111), so they keep ordinary pages and 4 MiB chunks. */
    t->main_arena->huge = true;
    t->root = node_new(t->main_arena, NULL, root_name, strlen(root_name));
    t->root->flags = TREE_DIR;
    return t;
}

/* The link table: open addressing over (node, inode) records, keyed by the
 * node's address, at most half full. */
struct link_rec {
    const struct tree_node *node;
    struct tree_link l;
};

struct links {
    struct link_rec *v;
    size_t mask, used;
};

static size_t link_slot(const struct links *x, const struct tree_node *n)
{
    size_t j = util_mix64((uint64_t)(uintptr_t)n) & x->mask;
    while (x->v[j].node && x->v[j].node != n)
        j = (j + 1) & x->mask;
    return j;
}

void tree_link_set(struct tree *t, struct tree_node *n, const struct tree_link *l)
{
    struct links *x = t->links;
    if (!x)
        x = t->links = xcalloc(1, sizeof *x);
    if (!x->v || (x->used + 1) * 2 > x->mask + 1) {
        struct links y = {xcalloc(x->v ? (x->mask + 1) * 2 : 64, sizeof *y.v), 0, 0};
        y.mask = (x->v ? (x->mask + 1) * 2 : 64) - 1;
        for (size_t i = 0; x->v && i <= x->mask; i++)
            if (x->v[i].node)
                y.v[link_slot(&y, x->v[i].node)] = x->v[i];
        y.used = x->used;
        free(x->v);
        *x = y;
    }
    size_t j = link_slot(x, n);
    if (!x->v[j].node)
        x->used++;
    x->v[j] = (struct link_rec){n, *l};
    n->flags |= TREE_LINKED;
}

bool tree_link_get(const struct tree *t, const struct tree_node *n, struct tree_link *out)
{
    const struct links *x = t->links;
    if (!x || !(n->flags & TREE_LINKED))
        return false;
    size_t j = link_slot(x, n);
    if (!x->v[j].node)
        return false;
    *out = x->v[j].l;
    return true;
}

struct tree_arena *tree_main_arena(struct tree *t)
{
    return t->main_arena;
}

struct tree_arena *tree_arena_new(struct tree *t)
{
    struct tree_arena *a = arena_new();
    pthread_mutex_lock(t->lock);
    a->next = t->arenas;
    t->arenas = a;
    pthread_mutex_unlock(t->lock);
    return a;
}

void tree_free(struct tree *t)
{
    if (!t)
        return;
    struct tree_arena *a = t->arenas;
    while (a) {
        struct tree_arena *an = a->next;
        for (struct chunk *c = a->chunks, *cn; c; c = cn) {
            cn = c->next;
            chunk_free(c);
        }
        free(a->idx.slots);
        free(a);
        a = an;
    }
    pthread_mutex_destroy(t->lock);
    free(t->lock);
    struct links *l = t->links;
    if (l)
        free(l->v);
    free(l);
    free(t);
}

struct tree_node *tree_add(struct tree_arena *a, struct tree_node *parent, const char *name,
                           size_t len)
{
    return node_new(a, parent, name, len);
}

/* A 64-bit hash of the parent's address and the name: words of the name are
 * folded in with a multiply-xorshift mix, which spreads similar names
 * ("f0000001.c", "f0000002.c") across the table. */
static uint64_t name_hash(const struct tree_node *parent, const char *name, size_t len)
{
    uint64_t h = util_mix64((uint64_t)(uintptr_t)parent ^ 0x9e3779b97f4a7c15ULL) ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, name + i, 8);
        h = util_mix64(h ^ w) + 0x632be59bd9b4e019ULL;
    }
    uint64_t w = 0;
    memcpy(&w, name + i, len - i);
    return util_mix64(h ^ w ^ ((uint64_t)(len - i) << 56));
}

static void index_grow(struct index *x)
{
    size_t cap = x->slots ? (x->mask + 1) * 2 : 64;
    struct tree_node **slots = xcalloc(cap, sizeof *slots);
    if (x->slots) {
        for (size_t i = 0; i <= x->mask; i++) {
            struct tree_node *n = x->slots[i];
            if (!n)
                continue;
            size_t j = name_hash(n->parent, n->name, n->len) & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = n;
        }
        free(x->slots);
    }
    x->slots = slots;
    x->mask = cap - 1;
}

struct tree_node *tree_child(struct tree_arena *a, struct tree_node *parent, const char *name,
                             size_t len, bool *created)
{
    struct index *x = &a->idx;
    if (!x->slots || (x->used + 1) * 4 > (x->mask + 1) * 3)
        index_grow(x);
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    size_t j = name_hash(parent, name, len) & x->mask;
    for (struct tree_node *n; (n = x->slots[j]); j = (j + 1) & x->mask) {
        if (n->parent == parent && n->len == len && memcmp(n->name, name, len) == 0) {
            if (created)
                *created = false;
            return n;
        }
    }
    struct tree_node *n = node_new(a, parent, name, len);
    x->slots[j] = n;
    x->used++;
    if (created)
        *created = true;
    return n;
}

void tree_iter_init(struct tree_iter *it, struct tree_node *start)
{
    it->start = start;
    it->cur = NULL;
    it->depth = 0;
    it->begun = false;
}

struct tree_node *tree_iter_next(struct tree_iter *it, bool descend)
{
    if (!it->begun) {
        it->begun = true;
        it->cur = it->start;
        return it->cur;
    }
    struct tree_node *n = it->cur;
    if (!n)
        return NULL;
    if (descend && n->child) {
        it->depth++;
        return it->cur = n->child;
    }
    while (n != it->start) {
        if (n->next)
            return it->cur = n->next;
        n = n->parent;
        it->depth--;
    }
    return it->cur = NULL;
}

int tree_rescale(struct tree *t, unsigned scale)
{
    if (scale <= t->scale)
        return 0;
    uint64_t mul = 1;
    for (unsigned i = t->scale; i < scale; i++) {
        if (mul > UINT64_MAX / 10)
            return -1;
        mul *= 10;
    }
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        for (unsigned i = 0; i < t->nweights; i++)
            if (n->w[i] > UINT64_MAX / mul)
                return -1;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        for (unsigned i = 0; i < t->nweights; i++)
            n->w[i] *= mul;
    t->scale = scale;
    return 0;
}

/* Post-order without a stack: each node is added into its parent when the
 * traversal leaves it, which happens after all its children were left. */
void tree_finish(struct tree *t)
{
    if (t->finished)
        return;
    struct tree_node *n = t->root;
    n->spare = 0;
    while (n->child)
        n = n->child;
    for (;;) {
        if (n == t->root)
            break;
        n->spare = 0; /* the source's use of it ends here */
        struct tree_node *p = n->parent;
        for (unsigned i = 0; i < TREE_MAXW; i++)
            p->w[i] = count_sat_add(p->w[i], n->w[i]);
        if (n->next) {
            n = n->next;
            while (n->child)
                n = n->child;
        } else {
            n = p;
        }
    }
    t->finished = true;
}

uint64_t tree_own(const struct tree_node *n, unsigned i)
{
    uint64_t sum = 0;
    for (const struct tree_node *c = n->child; c; c = c->next)
        sum = count_sat_add(sum, c->w[i]);
    return n->w[i] > sum ? n->w[i] - sum : 0;
}

int tree_cmp_name(const struct tree_node *a, const struct tree_node *b)
{
    size_t l = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->name, b->name, l);
    if (c)
        return c;
    return (a->len > b->len) - (a->len < b->len);
}

struct sort_ctx {
    enum tree_order order;
    unsigned w;
};

static int cmp_nodes(const struct sort_ctx *s, const struct tree_node *a, const struct tree_node *b)
{
    if (s->order == TREE_BY_WEIGHT && a->w[s->w] != b->w[s->w])
        return a->w[s->w] > b->w[s->w] ? -1 : 1;
    return tree_cmp_name(a, b);
}

/* Bottom-up merge sort of a sibling list: O(n log n), stable, no recursion. */
static struct tree_node *sort_list(const struct sort_ctx *s, struct tree_node *list)
{
    if (!list || !list->next)
        return list;
    for (size_t width = 1;; width *= 2) {
        struct tree_node *head = NULL, **tail = &head, *p = list;
        size_t merges = 0;
        while (p) {
            merges++;
            struct tree_node *q = p;
            size_t psize = 0;
            for (size_t i = 0; i < width && q; i++) {
                psize++;
                q = q->next;
            }
            size_t qsize = width;
            while (psize > 0 || (qsize > 0 && q)) {
                struct tree_node *e;
                if (psize == 0) {
                    e = q;
                    q = q->next;
                    qsize--;
                } else if (qsize == 0 || !q || cmp_nodes(s, p, q) <= 0) {
                    e = p;
                    p = p->next;
                    psize--;
                } else {
                    e = q;
                    q = q->next;
                    qsize--;
                }
                *tail = e;
                tail = &e->next;
            }
            p = q;
        }
        *tail = NULL;
        list = head;
        if (merges <= 1)
            return list;
    }
}

void tree_sort_children(struct tree_node *n, enum tree_order order, unsigned w)
{
    struct sort_ctx s = {order, w};
    n->child = sort_list(&s, n->child);
}

void tree_sort(struct tree *t, enum tree_order order, unsigned w)
{
    struct sort_ctx s = {order, w};
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        n->child = sort_list(&s, n->child);
}

size_t tree_count_nodes(struct tree_node *n)
{
    size_t count = 0;
    struct tree_iter it;
    tree_iter_init(&it, n);
    while (tree_iter_next(&it, true))
        count++;
    return count;
}

/* lineage: the nodes from the top (below the root) down to n, into b */
static size_t lineage(struct tree_node *n, struct tree_path_buf *b)
{
    size_t d = 0;
    for (struct tree_node *x = n; x->parent; x = x->parent)
        d++;
    if (d > b->cap) {
        b->cap = d * 2;
        b->v = xreallocarray(b->v, b->cap, sizeof *b->v);
    }
    size_t i = d;
    for (struct tree_node *x = n; x->parent; x = x->parent)
        b->v[--i] = x;
    return d;
}

int tree_path_cmp(struct tree_node *a, struct tree_node *b, struct tree_path_buf *ba,
                  struct tree_path_buf *bb, bool tops_by_spare)
{
    size_t da = lineage(a, ba), db = lineage(b, bb), i = 0;
    while (i < da && i < db && ba->v[i] == bb->v[i])
        i++;
    if (i == da || i == db)
        return (da > db) - (da < db);
    if (tops_by_spare && i == 0 && ba->v[0]->spare != bb->v[0]->spare)
        return ba->v[0]->spare < bb->v[0]->spare ? -1 : 1;
    return tree_cmp_name(ba->v[i], bb->v[i]);
}

struct tree_node *tree_add_overhead(struct tree_arena *a, struct tree_node *parent, uint64_t bytes)
{
    struct tree_node *o = tree_add(a, parent, TREE_OVERHEAD_NAME, strlen(TREE_OVERHEAD_NAME));
    o->flags |= TREE_LITERAL;
    o->w[TREE_W_STORED] = bytes;
    return o;
}

bool tree_is_overhead(const struct tree_node *n)
{
    return (n->flags & TREE_LITERAL) && n->len == sizeof TREE_OVERHEAD_NAME - 1 &&
           memcmp(n->name, TREE_OVERHEAD_NAME, n->len) == 0;
}

static uint64_t stored_share(uint64_t total, uint64_t cum, uint64_t whole)
{
    __extension__ typedef unsigned __int128 u128;
    return (uint64_t)((u128)total * cum / whole);
}

void tree_share_stored(struct tree_node *node, uint64_t total)
{
    uint64_t whole = 0;
    struct tree_iter it;
    tree_iter_init(&it, node);
    tree_iter_next(&it, true);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        whole = count_sat_add(whole, n->w[TREE_W_STORED]);
    if (!whole) {
        node->w[TREE_W_STORED] = total;
        return;
    }
    node->w[TREE_W_STORED] = 0;
    uint64_t cum = 0, prev = 0;
    tree_iter_init(&it, node);
    tree_iter_next(&it, true);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        cum = count_sat_add(cum, n->w[TREE_W_STORED]);
        uint64_t s = stored_share(total, cum, whole);
        n->w[TREE_W_STORED] = s - prev;
        prev = s;
    }
}
