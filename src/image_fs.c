/* SPDX-License-Identifier: BSD-2-Clause */
/* image_fs: a container image's layers applied into its final file system,
 * whiteouts honoured, replaced and removed bytes counted as wasted (see
 * include/image_fs.h) */
#include "image_fs.h"
#include "kind.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* a node's spare while the layers are applied: its layer + 1, and whether a
 * later layer removed it (a removed node stays in its parent's list, to be
 * found again by tree_child, until image_fs_end) */
#define LAYER_MASK 0x7fffu
#define DEAD 0x8000u

#define WH ".wh."
#define WH_LEN 4
#define OPAQUE ".wh..wh..opq"
#define OPAQUE_LEN 12

void image_layer_add(struct image_layer *l, const char *path, enum image_etype type, uint64_t size)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
    }
    l->v[l->n++] = (struct image_entry){
        .path = xstrdup(path), .size = type == IMAGE_REG ? size : 0, .type = type};
    if (type == IMAGE_REG)
        l->bytes = l->bytes > UINT64_MAX - size ? UINT64_MAX : l->bytes + size;
}

void image_layer_release(struct image_layer *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].path);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void image_fs_init(struct image_fs *f, struct tree_node *root, struct tree_arena *a,
                   const char *label, image_warn_fn warn, void *warn_ctx)
{
    memset(f, 0, sizeof *f);
    f->root = root;
    f->a = a;
    f->label = label;
    f->warn = warn;
    f->warn_ctx = warn_ctx;
}

static void say(struct image_fs *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct image_fs *f, const char *fmt, ...)
{
    f->status = 1;
    if (!f->warn)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s;
    if (vasprintf(&s, fmt, ap) >= 0) {
        f->warn(f->warn_ctx, s);
        free(s);
    }
    va_end(ap);
}

static bool dead(const struct tree_node *n)
{
    return n->spare & DEAD;
}

static unsigned layer_of(const struct tree_node *n)
{
    unsigned v = n->spare & LAYER_MASK;
    return v ? v - 1 : 0;
}

/* path_of: n's path below the root (a heap string) */
static char *path_of(const struct image_fs *f, const struct tree_node *n)
{
    size_t len = 0;
    for (const struct tree_node *p = n; p && p != f->root; p = tree_parent(p))
        len += p->len + 1;
    char *s = xmalloc(len + 1);
    size_t at = len;
    s[at] = 0;
    for (const struct tree_node *p = n; p && p != f->root; p = tree_parent(p)) {
        at -= p->len;
        memcpy(s + at, p->name, p->len);
        s[--at] = '/';
    }
    /* the first component has no '/' before it */
    if (len)
        memmove(s, s + 1, len);
    return s;
}

static void waste_add(struct image_fs *f, const struct tree_node *n, unsigned by)
{
    uint64_t b = tree_w(n, TREE_W_APPARENT);
    if (!b)
        return;
    if (f->nwaste == f->capwaste) {
        f->capwaste = f->capwaste ? f->capwaste * 2 : 64;
        f->waste = xreallocarray(f->waste, f->capwaste, sizeof *f->waste);
    }
    f->waste[f->nwaste++] = (struct image_waste){path_of(f, n), b, layer_of(n), by};
    f->wasted = f->wasted > UINT64_MAX - b ? UINT64_MAX : f->wasted + b;
}

/* kill: n and everything below it are removed by layer by */
static void kill(struct image_fs *f, struct tree_node *n, unsigned by)
{
    f->gen++; /* the directory dir_of() remembers may be gone */
    struct tree_iter it;
    tree_iter_init(&it, n);
    bool descend = true;
    for (struct tree_node *m; (m = tree_iter_next(&it, descend));) {
        descend = !dead(m);
        if (descend)
            waste_add(f, m, by);
    }
    n->spare |= DEAD;
}

/* the children of n are removed (already counted: n was removed before,
 * or kill() counted them) */
static void drop_children(struct image_fs *f, struct tree_node *n)
{
    if (tree_first_child(n))
        f->gen++;
    for (struct tree_node *c = tree_first_child(n); c; c = tree_next_sibling(c))
        c->spare |= DEAD;
}

static void reset(struct tree_node *n, unsigned index)
{
    for (unsigned i = 0; i < TREE_MAXW; i++)
        tree_set_w(n, i, 0);
    n->flags = 0;
    n->spare = (uint16_t)(index + 1);
}

/* the components of path: empty and "." ones dropped; false when one is ".." */
struct comps {
    const char **s;
    size_t *len;
    size_t n, cap;
};

static bool split(const char *path, struct comps *c)
{
    c->n = 0;
    for (const char *p = path; *p;) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.')
            return false;
        if (len && !(len == 1 && p[0] == '.')) {
            if (c->n == c->cap) {
                c->cap = c->cap ? c->cap * 2 : 16;
                c->s = xreallocarray(c->s, c->cap, sizeof *c->s);
                c->len = xreallocarray(c->len, c->cap, sizeof *c->len);
            }
            c->s[c->n] = p;
            c->len[c->n++] = len;
        }
        p += len + (e != NULL);
    }
    return true;
}

/* dir_of: the directory holding the last component, made (as a directory
 * of layer index) where missing or removed; a file in the way is replaced.
 * The last one found is remembered by its path's bytes, as long as nothing
 * was removed since (a tar lists a directory's entries together). */
static struct tree_node *dir_of(struct image_fs *f, const struct comps *c, unsigned index)
{
    /* the key: the path's bytes from its first component to its last */
    const char *path = c->s[0];
    size_t plen = (size_t)(c->s[c->n - 1] - c->s[0]);
    if (f->cache_dir && f->cache_gen == f->gen && f->cache_len == plen &&
        (!plen || memcmp(f->cache_path, path, plen) == 0))
        return f->cache_dir;
    struct tree_node *d = f->root;
    for (size_t i = 0; i + 1 < c->n; i++) {
        bool created = false;
        struct tree_node *n = tree_child(f->a, d, c->s[i], c->len[i], &created);
        if (!created && !dead(n) && !(n->flags & TREE_DIR))
            kill(f, n, index);
        if (created || dead(n)) {
            drop_children(f, n);
            reset(n, index);
            n->flags = TREE_DIR;
            tree_set_w(n, TREE_W_COUNT, 1);
        }
        d = n;
    }
    if (plen > f->cache_cap) {
        f->cache_cap = plen * 2;
        f->cache_path = xrealloc(f->cache_path, f->cache_cap);
    }
    if (plen)
        memcpy(f->cache_path, path, plen);
    f->cache_len = plen;
    f->cache_dir = d;
    f->cache_gen = f->gen;
    return d;
}

/* lookup: the live node at c, or NULL (nothing is made: a node made on the
 * way is marked removed at once) */
static struct tree_node *lookup(struct image_fs *f, const struct comps *c, size_t upto)
{
    struct tree_node *d = f->root;
    for (size_t i = 0; i < upto; i++) {
        bool created = false;
        struct tree_node *n = tree_child(f->a, d, c->s[i], c->len[i], &created);
        if (created)
            n->spare = DEAD;
        if (dead(n) || (i + 1 < upto && !(n->flags & TREE_DIR)))
            return NULL;
        d = n;
    }
    return d;
}

static bool is_whiteout(const struct comps *c)
{
    return c->n && c->len[c->n - 1] >= WH_LEN && memcmp(c->s[c->n - 1], WH, WH_LEN) == 0;
}

static bool is_opaque(const struct comps *c)
{
    return c->n && c->len[c->n - 1] == OPAQUE_LEN &&
           memcmp(c->s[c->n - 1], OPAQUE, OPAQUE_LEN) == 0;
}

/* under_whiteout: a directory of the path is a whiteout's name: the path
 * names nothing a runtime would make */
static bool under_whiteout(const struct comps *c)
{
    for (size_t i = 0; i + 1 < c->n; i++)
        if (c->len[i] >= WH_LEN && memcmp(c->s[i], WH, WH_LEN) == 0)
            return true;
    return false;
}

/* whiteout: what entry c removes from the layers below */
static void whiteout(struct image_fs *f, struct comps *c, unsigned index)
{
    if (is_opaque(c)) {
        struct tree_node *d = lookup(f, c, c->n - 1);
        if (!d || !(d->flags & TREE_DIR))
            return;
        for (struct tree_node *k = tree_first_child(d); k; k = tree_next_sibling(k))
            if (!dead(k))
                kill(f, k, index);
        return;
    }
    size_t last = c->n - 1;
    if (c->len[last] >= 2 * WH_LEN && memcmp(c->s[last] + WH_LEN, WH, WH_LEN) == 0)
        return; /* ".wh..wh.*": the other markers of aufs, no removal */
    if (c->len[last] == WH_LEN)
        return; /* ".wh." names nothing */
    c->s[last] += WH_LEN;
    c->len[last] -= WH_LEN;
    if ((c->len[last] == 1 && c->s[last][0] == '.') ||
        (c->len[last] == 2 && c->s[last][0] == '.' && c->s[last][1] == '.')) {
        say(f, "image '%s': layer %u: a whiteout of '%.*s' leaves its directory: skipped", f->label,
            index + 1, (int)c->len[last], c->s[last]);
        return;
    }
    struct tree_node *t = lookup(f, c, c->n);
    if (t)
        kill(f, t, index);
}

static void entry(struct image_fs *f, const struct comps *c, const struct image_entry *e,
                  unsigned index)
{
    struct tree_node *d = dir_of(f, c, index);
    if (is_whiteout(c))
        return; /* applied before; its directory is in the layer */
    size_t last = c->n - 1;
    bool created = false;
    struct tree_node *n = tree_child(f->a, d, c->s[last], c->len[last], &created);
    if (!created && !dead(n)) {
        if ((n->flags & TREE_DIR) && e->type == IMAGE_DIR) {
            /* listed again: stays the directory it was */
            tree_set_w(n, TREE_W_STORED, tree_w(n, TREE_W_STORED) + e->stored);
            return;
        }
        kill(f, n, index);
    }
    drop_children(f, n);
    reset(n, index);
    tree_set_w(n, TREE_W_COUNT, 1);
    tree_set_w(n, TREE_W_STORED, e->stored);
    switch (e->type) {
    case IMAGE_REG:
        tree_set_w(n, TREE_W_DISK, e->size);
        tree_set_w(n, TREE_W_APPARENT, e->size);
        tree_set_kind(n, kind_classify(n->name, n->len, S_IFREG));
        f->total = f->total > UINT64_MAX - e->size ? UINT64_MAX : f->total + e->size;
        break;
    case IMAGE_DIR:
        n->flags |= TREE_DIR;
        break;
    case IMAGE_SYMLINK:
        n->flags |= TREE_SYMLINK;
        break;
    case IMAGE_HARDLINK:
        n->flags |= TREE_HARDLINK;
        break;
    case IMAGE_OTHER:
        n->flags |= TREE_SPECIAL;
        break;
    }
}

void image_fs_apply(struct image_fs *f, const struct image_layer *l, unsigned index)
{
    struct comps c = {0};
    if (index >= IMAGE_MAX_LAYERS)
        return;
    f->cache_dir = NULL; /* a new layer: its directories get its index */
    /* the whiteouts first: they remove from the layers below only */
    for (size_t i = 0; i < l->n; i++) {
        if (!split(l->v[i].path, &c)) {
            say(f, "image '%s': layer %u: entry '%s' leaves the image's root: skipped", f->label,
                index + 1, l->v[i].path);
            continue;
        }
        if (is_whiteout(&c) && !under_whiteout(&c))
            whiteout(f, &c, index);
    }
    for (size_t i = 0; i < l->n; i++)
        if (split(l->v[i].path, &c) && c.n && !under_whiteout(&c))
            entry(f, &c, &l->v[i], index);
    free(c.s);
    free(c.len);
}

static int cmp_origin(const void *a, const void *b)
{
    const struct image_origin *x = a, *y = b;
    uintptr_t p = (uintptr_t)x->node, q = (uintptr_t)y->node;
    return (p > q) - (p < q);
}

void image_fs_end(struct image_fs *f)
{
    size_t cap = 0;
    struct tree_iter it;
    tree_iter_init(&it, f->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        /* the removed children leave the list before the walk goes down */
        struct tree_node *prev = NULL;
        for (struct tree_node *c = tree_first_child(n), *cn; c; c = cn) {
            cn = tree_next_sibling(c);
            if (!dead(c))
                prev = c;
            else if (prev)
                tree_set_next_sibling(prev, cn);
            else
                tree_set_first_child(n, cn);
        }
        if (n == f->root)
            continue;
        if (f->norigin == cap) {
            cap = cap ? cap * 2 : 256;
            f->origin = xreallocarray(f->origin, cap, sizeof *f->origin);
        }
        f->origin[f->norigin++] = (struct image_origin){n, layer_of(n)};
    }
    if (f->norigin)
        qsort(f->origin, f->norigin, sizeof *f->origin, cmp_origin);
}

int image_fs_layer_of(const struct image_fs *f, const struct tree_node *n)
{
    struct image_origin key = {.node = n};
    const struct image_origin *o =
        f->norigin ? bsearch(&key, f->origin, f->norigin, sizeof *f->origin, cmp_origin) : NULL;
    return o ? (int)o->layer : -1;
}

void image_fs_release(struct image_fs *f)
{
    for (size_t i = 0; i < f->nwaste; i++)
        free(f->waste[i].path);
    free(f->waste);
    free(f->origin);
    free(f->cache_path);
    f->cache_path = NULL;
    f->waste = NULL;
    f->origin = NULL;
    f->nwaste = f->norigin = 0;
}
