/* SPDX-License-Identifier: BSD-2-Clause */
#include "ncdu_write.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (64u * 1024)

struct wbuf {
    FILE *f;
    char *s;
    size_t len, cap;
    bool err;
};

static void wflush(struct wbuf *b)
{
    if (b->len && !b->err && fwrite(b->s, 1, b->len, b->f) != b->len)
        b->err = true;
    b->len = 0;
}

static void room(struct wbuf *b, size_t n)
{
    if (b->len + n <= b->cap)
        return;
    wflush(b);
    if (n > b->cap) {
        b->cap = n * 2;
        b->s = xrealloc(b->s, b->cap);
    }
}

static void put(struct wbuf *b, const char *s, size_t n)
{
    room(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    if (b->len >= FLUSH_AT)
        wflush(b);
}

static void puts_(struct wbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put_u64(struct wbuf *b, const char *key, uint64_t v)
{
    char s[64];
    int n = snprintf(s, sizeof s, ",\"%s\":%" PRIu64, key, v);
    put(b, s, (size_t)n);
}

/* put_name: ncdu's string escape: '"', '\', control bytes and DEL escaped,
 * every other byte as it is */
static void put_name(struct wbuf *b, const char *name, size_t len)
{
    put(b, "\"", 1);
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && (unsigned char)name[j] >= 0x20 && name[j] != 0x7f && name[j] != '"' &&
               name[j] != '\\')
            j++;
        if (j > i)
            put(b, name + i, j - i);
        if (j == len)
            break;
        unsigned char c = (unsigned char)name[j];
        char e[8];
        switch (c) {
        case '"':
            put(b, "\\\"", 2);
            break;
        case '\\':
            put(b, "\\\\", 2);
            break;
        case '\n':
            put(b, "\\n", 2);
            break;
        case '\r':
            put(b, "\\r", 2);
            break;
        case '\t':
            put(b, "\\t", 2);
            break;
        case '\b':
            put(b, "\\b", 2);
            break;
        case '\f':
            put(b, "\\f", 2);
            break;
        default:
            snprintf(e, sizeof e, "\\u%04x", c);
            put(b, e, 6);
        }
        i = j + 1;
    }
    put(b, "\"", 1);
}

/* ---- hard links: the sizes every name of a file is written with ---------- */

struct inode {
    uint64_t dev, ino;
    uint64_t disk, apparent;
    bool whole; /* the carrier is a plain file (not an archive read as a
                   directory): its names can share it */
};

struct inodes {
    struct inode *v;
    size_t n, cap;
};

static int cmp_inode(const void *x, const void *y)
{
    const struct inode *a = x, *b = y;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    return (a->ino > b->ino) - (a->ino < b->ino);
}

/* inodes_collect: the weights of each hard-linked file, from the name that
 * carries them (TREE_LINKED and not TREE_HARDLINK) */
static void inodes_collect(struct tree *t, struct inodes *s)
{
    if (!t->links)
        return;
    struct tree_iter it;
    tree_iter_init(&it, t->root);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        struct tree_link l;
        if ((n->flags & TREE_HARDLINK) || !tree_link_get(t, n, &l))
            continue;
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 64;
            s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
        }
        s->v[s->n++] =
            (struct inode){l.dev, l.ino, tree_w(n, TREE_W_DISK), tree_w(n, TREE_W_APPARENT),
                           !tree_first_child(n) && !(n->flags & TREE_DIR)};
    }
    if (s->n)
        qsort(s->v, s->n, sizeof *s->v, cmp_inode);
}

static const struct inode *inodes_find(const struct inodes *s, const struct tree_link *l)
{
    struct inode key = {.dev = l->dev, .ino = l->ino};
    return s->n ? bsearch(&key, s->v, s->n, sizeof *s->v, cmp_inode) : NULL;
}

/* ---- entries ------------------------------------------------------------- */

static const char *excluded_name(enum tree_excluded e)
{
    switch (e) {
    case TREE_EXCL_OTHERFS:
        return "otherfs";
    case TREE_EXCL_KERNFS:
        return "kernfs";
    case TREE_EXCL_FRMLINK:
        return "frmlink";
    default:
        return "pattern";
    }
}

struct ctx {
    struct wbuf b;
    struct tree *t;
    const struct ncdu_write_opts *o;
    struct inodes inodes;
    /* the archive (of a scan) the nodes being written are in, and the
     * ratio of its extracted bytes to its size; 0: none known */
    const struct tree_node *arc;
    unsigned arcdepth;
    unsigned arcw; /* the weight the ratio is of */
    double ratio;
};

/* entry: n's own object (without the '[' of a directory) */
static void entry(struct ctx *c, struct tree_node *n, unsigned depth, bool top_paths)
{
    struct wbuf *b = &c->b;
    put(b, "{\"name\":", 8);
    put_name(b, n->name, n->len);
    enum tree_excluded ex = tree_excluded_of(n);
    if (ex) {
        put(b, ",\"excluded\":\"", 13);
        puts_(b, excluded_name(ex));
        put(b, "\"}", 2);
        return;
    }
    bool dir = tree_first_child(n) || (n->flags & TREE_DIR);
    uint64_t disk = dir ? tree_own(n, TREE_W_DISK) : tree_w(n, TREE_W_DISK);
    uint64_t app = dir ? tree_own(n, TREE_W_APPARENT) : tree_w(n, TREE_W_APPARENT);
    uint64_t count = dir ? tree_own(n, TREE_W_COUNT) : tree_w(n, TREE_W_COUNT);
    struct tree_link l;
    bool linked = !dir && tree_link_get(c->t, n, &l);
    const struct inode *ino = linked ? inodes_find(&c->inodes, &l) : NULL;
    if (linked && (!ino || !ino->whole))
        linked = false; /* its carrier is an archive read as a directory */
    if (linked) {
        disk = ino->disk;
        app = ino->apparent;
    }
    if (app)
        put_u64(b, "asize", app);
    if (disk)
        put_u64(b, "dsize", disk);
    if (linked) {
        put_u64(b, "dev", l.dev);
        put_u64(b, "ino", l.ino);
        put(b, ",\"hlnkc\":true", 13);
        if (l.nlink)
            put_u64(b, "nlink", l.nlink);
    }
    if (!count && !(n->flags & TREE_HARDLINK) && !top_paths)
        put(b, ",\"counted\":false", 16);
    if (n->flags & TREE_UNREADABLE)
        put(b, ",\"read_error\":true", 18);
    if (n->flags & (TREE_SYMLINK | TREE_SPECIAL))
        put(b, ",\"notreg\":true", 14);
    if (n->flags & TREE_ARCHIVE) {
        put(b, ",\"archive\":true", 15);
        uint64_t x = c->o->extracted && !c->arc ? c->o->extracted(c->o->extracted_ctx, n) : 0;
        if (x) {
            put_u64(b, "extracted", x);
            /* the entries' shares are in the weight with the larger total
             * estimated back the closer */
            c->arcw =
                tree_w(n, TREE_W_DISK) > tree_w(n, TREE_W_APPARENT) ? TREE_W_DISK : TREE_W_APPARENT;
            uint64_t base = tree_w(n, c->arcw);
            c->arc = n;
            c->arcdepth = depth;
            c->ratio = base ? (double)x / (double)base : 0;
        }
    } else if (c->arc && !dir && c->ratio > 0) {
        double e = (double)(c->arcw == TREE_W_DISK ? disk : app) * c->ratio;
        put_u64(b, "extracted", e > 1.8e19 ? UINT64_MAX : (uint64_t)(e + 0.5));
    }
    if (top_paths)
        put(b, ",\"paths\":true", 13);
    put(b, "}", 1);
}

int ncdu_write(FILE *f, struct tree *t, const struct ncdu_write_opts *o)
{
    struct ctx c = {.b = {.f = f}, .t = t, .o = o};
    c.b.cap = FLUSH_AT * 2;
    c.b.s = xmalloc(c.b.cap);
    inodes_collect(t, &c.inodes);

    /* the top: the one PATH, or the root standing for several */
    struct tree_node *top = t->root;
    bool paths = true;
    struct tree_node *only = tree_first_child(t->root);
    if (only && !tree_next_sibling(only) && (tree_first_child(only) || (only->flags & TREE_DIR)) &&
        !tree_own(t->root, TREE_W_DISK) && !tree_own(t->root, TREE_W_APPARENT) &&
        !tree_own(t->root, TREE_W_COUNT)) {
        top = only;
        paths = false;
    }
    char head[160];
    int hn =
        snprintf(head, sizeof head,
                 "[1,2,{\"progname\":\"duflame\",\"progver\":\"%s\",\"timestamp\":%" PRId64 "},\n",
                 o->progver ? o->progver : "0", o->timestamp);
    put(&c.b, head, (size_t)hn);

    /* pre-order; open[] directories are at depths 0..open-1 */
    unsigned open = 0;
    struct tree_iter it;
    tree_iter_init(&it, top);
    for (struct tree_node *n; (n = tree_iter_next(&it, true));) {
        if (tree_is_overhead(n))
            continue; /* an export has no stored bytes */
        unsigned d = it.depth;
        while (open > d) {
            put(&c.b, "]", 1);
            open--;
        }
        if (c.arc && d <= c.arcdepth)
            c.arc = NULL; /* left the archive */
        if (d)
            put(&c.b, ",\n", 2);
        bool dir = tree_first_child(n) || (n->flags & TREE_DIR) || d == 0;
        if (dir) {
            put(&c.b, "[", 1);
            open++;
            tree_sort_children(n, TREE_BY_NAME, 0);
        }
        entry(&c, n, d, d == 0 && paths);
    }
    while (open--)
        put(&c.b, "]", 1);
    put(&c.b, "]\n", 2);
    wflush(&c.b);
    free(c.b.s);
    free(c.inodes.v);
    if (c.b.err || ferror(f)) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}
