/* SPDX-License-Identifier: BSD-2-Clause */
#include "tree.h"
#include "count.h"
#include "util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

/* Every node of a tree lies within 8 GiB of every other, so that a 32-bit
 * offset in 4-byte units reaches from any node to any other: normally in one
 * address range reserved when the tree is made, mapped without reserving
 * memory (a page costs only once a node is written to it). Each arena
 * carves chunks from the range with one atomic addition (no lock), and
 * nodes from its chunk. Chunks grow from 64 KiB to 8 MiB (4 MiB for arenas without huge
 * pages), so a small folded file touches little and a million-entry scan
 * takes few chunks. */
#define REGION_MAX ((size_t)8 << 30)
#define CHUNK_MIN (64u * 1024)
#define CHUNK_MAX (8u * 1024 * 1024)
/* Fresh node memory is written once, page by page, and a page fault is
 * costly (in a virtual machine a third of a 200,000-line render went to
 * them). Chunks of at least BIG_CHUNK of the arena a single-threaded source
 * fills are therefore aligned to 2 MiB, with transparent huge pages asked
 * for: a fault then brings in 2 MiB. Where THP is not offered the hint
 * changes nothing. (Populating the chunk up front with MADV_POPULATE_WRITE
 * measured no better.) */
#define HUGE_PAGE ((size_t)2 * 1024 * 1024)
#define BIG_CHUNK ((size_t)4 * 1024 * 1024)
#define NODE_ALIGN 4u

struct region {
    char *base; /* the reserved range, or NULL: chunks are mapped one by one */
    size_t size;
    _Atomic size_t used;
    /* without a reserved range: every chunk's mapping, and the lowest and
     * highest address they span, under lock */
    pthread_mutex_t lock;
    struct mapping *maps;
    uintptr_t lo, hi;
};

struct mapping {
    struct mapping *next;
    void *p;
    size_t len;
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
    struct region *region;
    char *cur, *end; /* the free part of the current chunk */
    size_t next_size;
    bool huge; /* big chunks may use huge pages (see chunk_new) */
    struct index idx;
};

/* With no limit on the address space, one range of REGION_MAX is reserved
 * (it costs nothing until written). Under a limit (ulimit -v) a reservation
 * would take room the rest of the program needs, so chunks are mapped one by
 * one instead, and the tree stops with "out of memory" should they ever lie
 * further apart than an offset reaches (the kernel places mappings close
 * together, so in practice they do not). */
static struct region *region_new(void)
{
    struct region *r = xcalloc(1, sizeof *r);
    pthread_mutex_init(&r->lock, NULL);
    atomic_init(&r->used, 0);
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        return r;
    void *m = mmap(NULL, REGION_MAX, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m != MAP_FAILED) {
        r->base = m;
        r->size = REGION_MAX;
    }
    return r;
}

static void region_free(struct region *r)
{
    if (!r)
        return;
    if (r->base)
        munmap(r->base, r->size);
    for (struct mapping *m = r->maps, *mn; m; m = mn) {
        mn = m->next;
        munmap(m->p, m->len);
        free(m);
    }
    pthread_mutex_destroy(&r->lock);
    free(r);
}

/* take bytes of the reserved range, or map them */
static char *region_take(struct region *r, size_t take)
{
    if (r->base) {
        size_t off = atomic_fetch_add(&r->used, take);
        if (off > r->size || r->size - off < take)
            util_die("out of memory (a tree larger than %zu GiB)", r->size >> 30);
        return r->base + off;
    }
    void *p = mmap(NULL, take, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        util_die("out of memory");
    struct mapping *m = xmalloc(sizeof *m);
    *m = (struct mapping){NULL, p, take};
    pthread_mutex_lock(&r->lock);
    m->next = r->maps;
    r->maps = m;
    uintptr_t lo = (uintptr_t)p, hi = lo + take;
    if (!r->lo || lo < r->lo)
        r->lo = lo;
    if (hi > r->hi)
        r->hi = hi;
    bool far = r->hi - r->lo > REGION_MAX;
    pthread_mutex_unlock(&r->lock);
    if (far)
        util_die("out of memory (the tree's memory is spread too far apart)");
    return p;
}

/* a chunk of size bytes: aligned to 2 MiB with huge pages asked for when
 * big and the arena may use them; otherwise huge pages are declined (on a
 * system that gives them unasked, the per-thread arenas' partly used chunks
 * would each hold a partly used 2 MiB page) */
static void chunk_new(struct tree_arena *a, size_t size)
{
    bool huge = a->huge && size >= BIG_CHUNK;
    char *p = region_take(a->region, huge ? size + HUGE_PAGE : size);
    if (huge) {
        p = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
#ifdef MADV_HUGEPAGE
        (void)madvise(p, size, MADV_HUGEPAGE);
#endif
    } else {
#ifdef MADV_NOHUGEPAGE
        uintptr_t b = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
        uintptr_t e = ((uintptr_t)p + size) & ~(uintptr_t)4095;
        if (e > b)
            (void)madvise((void *)b, e - b, MADV_NOHUGEPAGE);
#endif
    }
    a->cur = p;
    a->end = p + size;
}

static void *arena_alloc(struct tree_arena *a, size_t n)
{
    n = (n + NODE_ALIGN - 1) & ~(size_t)(NODE_ALIGN - 1);
    if ((size_t)(a->end - a->cur) < n) {
        size_t size = a->next_size;
        while (size < n)
            size *= 2;
        if (a->next_size < (a->huge ? CHUNK_MAX : CHUNK_MAX / 2))
            a->next_size *= 2;
        chunk_new(a, size);
    }
    void *p = a->cur;
    a->cur += n;
    return p;
}

/* the code a leaf keeps value v in: slot is its slot, disk the leaf's disk
 * usage (for stored bytes equal to it) */
static unsigned leaf_code(unsigned slot, uint64_t v, uint64_t disk)
{
    if (v <= 1)
        return v ? TREE_WC_ONE : TREE_WC_ZERO;
    if (slot == TREE_W_STORED && v == disk)
        return TREE_WC_DISK;
    return v <= UINT8_MAX    ? TREE_WC_1
           : v <= UINT16_MAX ? TREE_WC_2
           : v <= UINT32_MAX ? TREE_WC_4
                             : TREE_WC_8;
}

static void link_child(struct tree_node *parent, struct tree_node *n)
{
    if (!parent)
        return;
    if (parent->leaf_)
        util_die("internal error: a child of the leaf node '%s'", parent->name);
    n->parent_ = tree_off_(n, parent);
    tree_set_next_sibling(n, tree_first_child(parent));
    tree_set_first_child(parent, n);
}

/* v into the bytes p of a slot of code c (as tree_wread_ reads them) */
static void wwrite(unsigned char *p, unsigned c, uint64_t v)
{
    switch (c) {
    case TREE_WC_1:
        p[0] = (unsigned char)v;
        break;
    case TREE_WC_2: {
        uint16_t x = (uint16_t)v;
        memcpy(p, &x, 2);
        break;
    }
    case TREE_WC_4: {
        uint32_t x = (uint32_t)v;
        memcpy(p, &x, 4);
        break;
    }
    case TREE_WC_8:
        memcpy(p, &v, 8);
        break;
    default: /* no bytes */
        break;
    }
}

/* A node made by tree_add(): its TREE_MAXW weights of 8 bytes and its first
 * child's link, then the fields and the name. */
static struct tree_node *node_new(struct tree_arena *a, struct tree_node *parent, const char *name,
                                  size_t len)
{
    if (len > TREE_NAME_MAX)
        len = TREE_NAME_MAX;
    size_t head = 8 * TREE_MAXW + 4;
    char *p = arena_alloc(a, head + sizeof(struct tree_node) + len + 1);
    struct tree_node *n = (struct tree_node *)(p + head);
    memset(p, 0, head + sizeof *n);
    n->len = (unsigned)len;
    if (len)
        memcpy(n->name, name, len);
    n->name[len] = '\0';
    link_child(parent, n);
    return n;
}

/* A leaf: the fields, the name and its NUL, then each weight in as few
 * bytes as it needs (leaf_code), with no gap between them. */
static struct tree_node *leaf_new(struct tree_arena *a, struct tree_node *parent, const char *name,
                                  size_t len, const uint64_t *w, unsigned nw)
{
    if (len > TREE_NAME_MAX)
        len = TREE_NAME_MAX;
    if (nw > TREE_MAXW)
        nw = TREE_MAXW;
    unsigned fmt = 0;
    size_t wbytes = 0;
    for (unsigned i = 0; i < nw; i++) {
        unsigned c = leaf_code(i, w[i], w[TREE_W_DISK]);
        fmt |= c << (3 * i);
        wbytes += tree_wbytes_(c);
    }
    struct tree_node *n = arena_alloc(a, sizeof(struct tree_node) + len + 1 + wbytes);
    memset(n, 0, sizeof *n);
    n->leaf_ = 1;
    n->wfmt_ = fmt;
    n->len = (unsigned)len;
    if (len)
        memcpy(n->name, name, len);
    n->name[len] = '\0';
    unsigned char *p = (unsigned char *)n->name + len + 1;
    for (unsigned i = 0; i < nw; i++) {
        unsigned c = (fmt >> (3 * i)) & 7;
        wwrite(p, c, w[i]);
        p += tree_wbytes_(c);
    }
    link_child(parent, n);
    return n;
}

void tree_set_first_child(struct tree_node *n, struct tree_node *c)
{
    if (n->leaf_) {
        if (c)
            util_die("internal error: a child of the leaf node '%s'", n->name);
        return;
    }
    int32_t off = tree_off_(n, c);
    memcpy((char *)n - 4, &off, 4);
}

/* the leaf's slot i to v: in place when it fits, by a change of code when
 * neither takes bytes (0, 1, the disk usage), else an internal error */
void tree_set_w_narrow_(struct tree_node *n, unsigned i, uint64_t v)
{
    unsigned code;
    unsigned char *p = tree_wslot_(n, i, &code);
    unsigned bytes = tree_wbytes_(code);
    if (bytes == 0) {
        unsigned c = leaf_code(i, v, i == TREE_W_STORED ? tree_w(n, TREE_W_DISK) : 0);
        if (tree_wbytes_(c) == 0) {
            n->wfmt_ = (n->wfmt_ & ~(7u << (3 * i))) | (c << (3 * i));
            return;
        }
    } else if (bytes == 8 || v >> (8 * bytes) == 0) {
        wwrite(p, code, v);
        return;
    }
    util_die("internal error: weight %u of the leaf node '%s' cannot hold %llu", i, n->name,
             (unsigned long long)v);
}

struct tree *tree_new(const char *root_name, unsigned nweights)
{
    struct tree *t = xcalloc(1, sizeof *t);
    pthread_mutex_t *m = xmalloc(sizeof *m);
    pthread_mutex_init(m, NULL);
    t->lock = m;
    t->nweights = nweights > TREE_MAXW ? TREE_MAXW : nweights;
    t->region = region_new();
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
    struct tree_arena *a = xcalloc(1, sizeof *a);
    a->next_size = CHUNK_MIN;
    a->region = t->region;
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
    region_free(t->region);
    free(t);
}

struct tree_node *tree_add(struct tree_arena *a, struct tree_node *parent, const char *name,
                           size_t len)
{
    return node_new(a, parent, name, len);
}

struct tree_node *tree_add_leaf(struct tree_arena *a, struct tree_node *parent, const char *name,
                                size_t len, const uint64_t *w, unsigned nw)
{
    return leaf_new(a, parent, name, len, w, nw);
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
            size_t j = name_hash(tree_parent(n), n->name, n->len) & (cap - 1);
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
    if (len > TREE_NAME_MAX)
        len = TREE_NAME_MAX;
    size_t j = name_hash(parent, name, len) & x->mask;
    for (struct tree_node *n; (n = x->slots[j]); j = (j + 1) & x->mask) {
        if (tree_parent(n) == parent && n->len == len && memcmp(n->name, name, len) == 0) {
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
    if (descend && tree_first_child(n)) {
        it->depth++;
        return it->cur = tree_first_child(n);
    }
    while (n != it->start) {
        if (tree_next_sibling(n))
            return it->cur = tree_next_sibling(n);
        n = tree_parent(n);
        it->depth--;
    }
    return it->cur = NULL;
}

/* how n keeps slot i (enum tree_wcode_) */
static unsigned slot_code(const struct tree_node *n, unsigned i)
{
    return n->leaf_ ? (n->wfmt_ >> (3 * i)) & 7 : TREE_WC_8;
}

/* whether slot i of n can hold v (a slot that follows the disk usage
 * holds what that slot holds) */
static bool fits(const struct tree_node *n, unsigned i, uint64_t v)
{
    unsigned c = slot_code(n, i), bytes = tree_wbytes_(c);
    if (c == TREE_WC_DISK || bytes == 8)
        return true;
    return bytes ? v >> (8 * bytes) == 0 : v <= 1;
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
            if (tree_w(n, i) > UINT64_MAX / mul || !fits(n, i, tree_w(n, i) * mul))
                return -1;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        for (unsigned i = 0; i < t->nweights; i++)
            if (slot_code(n, i) != TREE_WC_DISK) /* follows slot 0 */
                tree_set_w(n, i, tree_w(n, i) * mul);
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
    while (tree_first_child(n))
        n = tree_first_child(n);
    for (;;) {
        if (n == t->root)
            break;
        n->spare = 0; /* the source's use of it ends here */
        struct tree_node *p = tree_parent(n);
        for (unsigned i = 0; i < TREE_MAXW; i++)
            tree_set_w(p, i, count_sat_add(tree_w(p, i), tree_w(n, i)));
        if (tree_next_sibling(n)) {
            n = tree_next_sibling(n);
            while (tree_first_child(n))
                n = tree_first_child(n);
        } else {
            n = p;
        }
    }
    t->finished = true;
}

uint64_t tree_own(const struct tree_node *n, unsigned i)
{
    uint64_t sum = 0;
    for (const struct tree_node *c = tree_first_child(n); c; c = tree_next_sibling(c))
        sum = count_sat_add(sum, tree_w(c, i));
    return tree_w(n, i) > sum ? tree_w(n, i) - sum : 0;
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
    if (s->order == TREE_BY_WEIGHT && tree_w(a, s->w) != tree_w(b, s->w))
        return tree_w(a, s->w) > tree_w(b, s->w) ? -1 : 1;
    return tree_cmp_name(a, b);
}

/* Bottom-up merge sort of a sibling list: O(n log n), stable, no recursion. */
static struct tree_node *sort_list(const struct sort_ctx *s, struct tree_node *list)
{
    if (!list || !tree_next_sibling(list))
        return list;
    for (size_t width = 1;; width *= 2) {
        struct tree_node *head = NULL, *last = NULL, *p = list;
        size_t merges = 0;
        while (p) {
            merges++;
            struct tree_node *q = p;
            size_t psize = 0;
            for (size_t i = 0; i < width && q; i++) {
                psize++;
                q = tree_next_sibling(q);
            }
            size_t qsize = width;
            while (psize > 0 || (qsize > 0 && q)) {
                struct tree_node *e;
                if (psize == 0) {
                    e = q;
                    q = tree_next_sibling(q);
                    qsize--;
                } else if (qsize == 0 || !q || cmp_nodes(s, p, q) <= 0) {
                    e = p;
                    p = tree_next_sibling(p);
                    psize--;
                } else {
                    e = q;
                    q = tree_next_sibling(q);
                    qsize--;
                }
                if (last)
                    tree_set_next_sibling(last, e);
                else
                    head = e;
                last = e;
            }
            p = q;
        }
        tree_set_next_sibling(last, NULL);
        list = head;
        if (merges <= 1)
            return list;
    }
}

void tree_sort_children(struct tree_node *n, enum tree_order order, unsigned w)
{
    struct sort_ctx s = {order, w};
    tree_set_first_child(n, sort_list(&s, tree_first_child(n)));
}

void tree_sort(struct tree *t, enum tree_order order, unsigned w)
{
    struct sort_ctx s = {order, w};
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));)
        tree_set_first_child(n, sort_list(&s, tree_first_child(n)));
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
    for (struct tree_node *x = n; tree_parent(x); x = tree_parent(x))
        d++;
    if (d > b->cap) {
        b->cap = d * 2;
        b->v = xreallocarray(b->v, b->cap, sizeof *b->v);
    }
    size_t i = d;
    for (struct tree_node *x = n; tree_parent(x); x = tree_parent(x))
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
    tree_set_w(o, TREE_W_STORED, bytes);
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
        whole = count_sat_add(whole, tree_w(n, TREE_W_STORED));
    if (!whole) {
        tree_set_w(node, TREE_W_STORED, total);
        return;
    }
    tree_set_w(node, TREE_W_STORED, 0);
    uint64_t cum = 0, prev = 0;
    tree_iter_init(&it, node);
    tree_iter_next(&it, true);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        cum = count_sat_add(cum, tree_w(n, TREE_W_STORED));
        uint64_t s = stored_share(total, cum, whole);
        tree_set_w(n, TREE_W_STORED, s - prev);
        prev = s;
    }
}
