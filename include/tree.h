/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tree: the weighted tree that every source fills and every sink reads
 * (see DESIGN.md: walk, archive, folded and ncdu input build one; flame,
 * folded, ncdu and report output read one; diff joins two).
 *
 * A node has a name (any bytes, length-counted; a NUL is appended so it can
 * also be printed as a C string when it holds none), TREE_MAXW weights, flags
 * and its children in a singly linked sibling list. Nodes live in arenas that
 * the tree owns; tree_free() releases every node at once. Node pointers stay
 * valid until then.
 *
 * Two phases. While a tree is being built, w[] holds each node's OWN weight (a
 * file's size, a directory's own size, a folded line's count). tree_finish()
 * turns w[] into subtree TOTALS (own plus all descendants); afterwards
 * tree_own() derives a node's own weight. Sinks read finished trees only.
 *
 * What the weights mean is the source's choice and is recorded in
 * tree->nweights and tree->wnames: a scan fills disk usage, apparent size,
 * entry count and stored bytes (TREE_W_DISK, TREE_W_APPARENT, TREE_W_COUNT,
 * TREE_W_STORED); folded input fills
 * one weight (samples), or two for differential input (before, after); a diff
 * fills before and after of one metric.
 *
 * Decimal counts (folded input allows "3.25") are stored exactly as integers
 * scaled by 10^tree->scale; tree_rescale() raises the scale of a tree built so
 * far. Sinks divide by 10^scale when they print a count.
 *
 * Threads: a struct tree_arena belongs to one thread at a time. tree_add() and
 * writes to a node are not locked: the caller guarantees that one node's child
 * list and weights are written by one thread at a time (the walker's subtree
 * handoff does). tree_arena_new() is thread-safe. tree_finish(), tree_sort()
 * and tree_free() must run after every writer is done.
 */
#ifndef DUFLAME_TREE_H
#define DUFLAME_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TREE_MAXW 4

/* weight slots of a scan; TREE_W_STORED is the bytes an entry takes in the
 * file that holds it (an archive entry's share of the archive, a plain
 * file's disk usage), see arc.h */
enum { TREE_W_DISK = 0, TREE_W_APPARENT = 1, TREE_W_COUNT = 2, TREE_W_STORED = 3 };
/* weight slots of a diff or of differential folded input */
enum { TREE_W_BEFORE = 0, TREE_W_AFTER = 1 };

enum tree_flag {
    TREE_DIR = 1u << 0,        /* a directory (or a directory entry of an archive) */
    TREE_UNREADABLE = 1u << 1, /* could not be read whole: drawn marked */
    TREE_ARCHIVE = 1u << 2,    /* an archive whose entries are its children */
    TREE_LITERAL = 1u << 3,    /* a name that is a label only, e.g. ".." in an archive */
    TREE_HARDLINK = 1u << 4,   /* a further link to an inode counted elsewhere */
    TREE_SYMLINK = 1u << 5,
    TREE_SPECIAL = 1u << 6,   /* fifo, socket, device */
    TREE_ENCRYPTED = 1u << 7, /* an archive entry that could not be decrypted */
    /* bits 8..11: the file's class, enum tree_kind, for colours */
    TREE_KIND_SHIFT = 8,
    TREE_KIND_MASK = 0xfu << 8,
    TREE_LINKED = 1u << 12, /* a file with several names: its inode is in the
                               tree's link table (tree_link_get) */
    /* bits 13..15: why an entry was left out, enum tree_excluded (an
       excluded entry has no weights) */
    TREE_EXCLUDED_SHIFT = 13,
    TREE_EXCLUDED_MASK = 0x7u << 13,
};

/* why an entry was excluded (ncdu's "excluded" values) */
enum tree_excluded {
    TREE_EXCL_NONE = 0,
    TREE_EXCL_PATTERN, /* an --exclude pattern */
    TREE_EXCL_OTHERFS, /* on another file system (-x) */
    TREE_EXCL_KERNFS,  /* a kernel file system (/proc, /sys) */
    TREE_EXCL_FRMLINK, /* a firmlink (macOS) */
    TREE_EXCL_OTHER,   /* a reason not known here */
};

enum tree_kind {
    TREE_KIND_OTHER = 0,
    TREE_KIND_SOURCE,
    TREE_KIND_OBJECT,  /* object code, libraries, executables */
    TREE_KIND_ARCHIVE, /* archives and compressed files */
    TREE_KIND_IMAGE,
    TREE_KIND_MEDIA,    /* audio and video */
    TREE_KIND_DOCUMENT, /* text, documents, data */
    TREE_KIND_COUNT
};

/*
 * A node, as sinks see it: its name (len bytes and a NUL), flags and spare.
 * Everything else is reached through the accessors below, because the
 * layout is compact (a million-entry scan is held in about 34 bytes an
 * entry): links are 32-bit offsets from the node (every node of a tree lies
 * in one reserved address range of at most 8 GiB).
 *
 * A node made by tree_add() keeps TREE_MAXW weights of 8 bytes and its
 * first child's link before the node. A leaf, made by tree_add_leaf(), has
 * no child link and keeps its weights after the name's NUL, each in as few
 * bytes as it needs: 1, 2, 4 or 8, or none at all for a 0, a 1, or stored
 * bytes equal to the disk usage (a plain file's, see TREE_W_STORED), so
 * that a file's entry count and stored bytes cost nothing.
 */
struct tree_node {
    int32_t parent_;     /* private: offsets to linked nodes in 4-byte units, */
    int32_t next_;       /* 0 for none */
    unsigned len : 19;   /* bytes in name, not counting the NUL (a longer name
                            is cut at TREE_NAME_MAX bytes) */
    unsigned leaf_ : 1;  /* private: made by tree_add_leaf(), no children */
    unsigned wfmt_ : 12; /* private: a leaf's slot codes, 3 bits each
                            (enum tree_wcode_) */
    uint16_t flags;      /* enum tree_flag */
    uint16_t spare;      /* free for a source's own use until tree_finish(),
                            which sets it to 0 */
    char name[];         /* len bytes, then a NUL */
};

#define TREE_NAME_MAX ((1u << 19) - 1)

/* private: how a leaf keeps a weight slot: no bytes for a 0, a 1 or (slot
 * TREE_W_STORED only) the value of TREE_W_DISK, else 1 << (code - TREE_WC_1)
 * bytes */
enum tree_wcode_ {
    TREE_WC_ZERO,
    TREE_WC_ONE,
    TREE_WC_DISK,
    TREE_WC_1,
    TREE_WC_2,
    TREE_WC_4,
    TREE_WC_8
};

/* private helpers of the accessors */
static inline struct tree_node *tree_at_(const struct tree_node *n, int32_t off)
{
    return off ? (struct tree_node *)((uintptr_t)n + (uintptr_t)((intptr_t)off * 4)) : NULL;
}
static inline int32_t tree_off_(const struct tree_node *from, const struct tree_node *to)
{
    return to ? (int32_t)(((intptr_t)to - (intptr_t)from) / 4) : 0;
}
static inline unsigned tree_wbytes_(unsigned code)
{
    return code < TREE_WC_1 ? 0 : 1u << (code - TREE_WC_1);
}
/* the bytes of slot i, its code in *code */
static inline unsigned char *tree_wslot_(const struct tree_node *n, unsigned i, unsigned *code)
{
    if (!n->leaf_) {
        *code = TREE_WC_8;
        return (unsigned char *)n - 4 - 8 * (i + 1);
    }
    unsigned f = n->wfmt_;
    unsigned char *p = (unsigned char *)n->name + n->len + 1;
    for (unsigned k = 0; k < i; k++)
        p += tree_wbytes_((f >> (3 * k)) & 7);
    *code = (f >> (3 * i)) & 7;
    return p;
}
static inline uint64_t tree_wread_(const unsigned char *p, unsigned code)
{
    switch (code) {
    case TREE_WC_ZERO:
        return 0;
    case TREE_WC_ONE:
        return 1;
    case TREE_WC_1:
        return p[0];
    case TREE_WC_2: {
        uint16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    case TREE_WC_4: {
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
    }
    default: {
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
    }
    }
}
void tree_set_w_narrow_(struct tree_node *n, unsigned i, uint64_t v);

/*
 * Access to a node's links and weights: tree_first_child(),
 * tree_next_sibling() and tree_parent() are NULL where there is none; tree_w()
 * reads weight slot i (i < TREE_MAXW), tree_set_w() writes it. A leaf's
 * weights are set when it is made; a later write must fit the slot as it was
 * made (any value as wide or narrower; 0 and 1 always; for stored bytes kept
 * as the disk usage, the disk usage), else it is an internal error (the
 * program stops with a message). A leaf's stored bytes kept as its disk
 * usage follow a later write of the disk usage.
 */
static inline struct tree_node *tree_first_child(const struct tree_node *n)
{
    int32_t off;
    if (n->leaf_)
        return NULL;
    memcpy(&off, (const char *)n - 4, 4);
    return tree_at_(n, off);
}
static inline struct tree_node *tree_next_sibling(const struct tree_node *n)
{
    return tree_at_(n, n->next_);
}
static inline struct tree_node *tree_parent(const struct tree_node *n)
{
    return tree_at_(n, n->parent_);
}
void tree_set_first_child(struct tree_node *n, struct tree_node *c);
static inline void tree_set_next_sibling(struct tree_node *n, struct tree_node *x)
{
    n->next_ = tree_off_(n, x);
}
/* tree_set_parent: for moving children from one node to another (the caller
 * relinks the sibling lists) */
static inline void tree_set_parent(struct tree_node *n, struct tree_node *p)
{
    n->parent_ = tree_off_(n, p);
}
static inline uint64_t tree_w(const struct tree_node *n, unsigned i)
{
    unsigned code;
    const unsigned char *p = tree_wslot_(n, i, &code);
    if (code == TREE_WC_DISK)
        p = tree_wslot_(n, 0, &code);
    return tree_wread_(p, code);
}
static inline void tree_set_w(struct tree_node *n, unsigned i, uint64_t v)
{
    if (!n->leaf_) {
        memcpy((unsigned char *)n - 4 - 8 * (i + 1), &v, 8);
        return;
    }
    tree_set_w_narrow_(n, i, v);
}

struct tree_arena;

struct tree {
    struct tree_node *root;
    unsigned nweights;             /* how many w[] slots the source filled */
    const char *wnames[TREE_MAXW]; /* static strings, e.g. "disk", "samples" */
    unsigned scale;                /* counts are stored times 10^scale */
    bool finished;                 /* tree_finish() has run */
    /* private */
    struct tree_arena *arenas;
    struct tree_arena *main_arena;
    void *lock;
    void *links;  /* the link table (tree_link_set), NULL while empty */
    void *region; /* the address range every node lies in */
};

/* tree_new: an empty tree whose root is named root_name; free with tree_free */
struct tree *tree_new(const char *root_name, unsigned nweights);
void tree_free(struct tree *t);

/* The arena tree_new made, for single-threaded sources. */
struct tree_arena *tree_main_arena(struct tree *t);

/* tree_arena_new: a further arena of t for one thread; owned by the tree.
 * Thread-safe. */
struct tree_arena *tree_arena_new(struct tree *t);

/* tree_add: a new child of parent, added without looking for an existing one
 * of the same name (the walker knows names in a directory are unique). O(1).
 * The child is prepended: sibling order is unspecified until tree_sort(). */
struct tree_node *tree_add(struct tree_arena *a, struct tree_node *parent, const char *name,
                           size_t len);

/* tree_add_leaf: as tree_add(), for a node that will never have children
 * (a file, where no archive is read): its own weights w[0..nw) are given
 * here, the other slots are 0, and each is kept in as few bytes as it needs
 * (none for a 0, a 1, or stored bytes equal to w[TREE_W_DISK]). tree_set_w()
 * may later write a value that fits (0 and 1 do). */
struct tree_node *tree_add_leaf(struct tree_arena *a, struct tree_node *parent, const char *name,
                                size_t len, const uint64_t *w, unsigned nw);

/* tree_child: the child of parent with this name, created if there is none
 * (then *created is set to true when created is not NULL). O(1) on average,
 * through a hash index that lives in arena a: it finds only children made by
 * tree_child() through the same arena. */
struct tree_node *tree_child(struct tree_arena *a, struct tree_node *parent, const char *name,
                             size_t len, bool *created);

/* tree_rescale: multiply every weight by 10^(scale - t->scale) and set
 * t->scale = scale (scale >= t->scale). Returns -1, changing nothing, if a
 * weight would overflow. Only before tree_finish(). */
int tree_rescale(struct tree *t, unsigned scale);

/* tree_finish: own weights to subtree totals (saturating at UINT64_MAX),
 * and every spare to 0. Iterative: any depth. Call once, after all writers
 * are done. */
void tree_finish(struct tree *t);

/* tree_own: a node's own weight in slot i, on a finished tree */
uint64_t tree_own(const struct tree_node *n, unsigned i);

/* tree_kind: the class kept in the flags */
static inline enum tree_kind tree_kind_of(const struct tree_node *n)
{
    return (enum tree_kind)((n->flags & TREE_KIND_MASK) >> TREE_KIND_SHIFT);
}
static inline void tree_set_kind(struct tree_node *n, enum tree_kind k)
{
    n->flags = (uint16_t)((n->flags & ~TREE_KIND_MASK) | ((unsigned)k << TREE_KIND_SHIFT));
}

enum tree_order {
    TREE_BY_NAME,   /* bytewise (memcmp) order of names, shorter first on a tie */
    TREE_BY_WEIGHT, /* largest weight first, then by name */
};
/* tree_sort: order every sibling list; by weight uses slot w. Stable and
 * deterministic. Any depth. */
void tree_sort(struct tree *t, enum tree_order order, unsigned w);

/* tree_sort_children: order n's children as tree_sort() would, not deeper
 * (for a sink that visits only part of the tree) */
void tree_sort_children(struct tree_node *n, enum tree_order order, unsigned w);

/* tree_cmp_name: the order TREE_BY_NAME uses */
int tree_cmp_name(const struct tree_node *a, const struct tree_node *b);

/* Scratch space of tree_path_cmp: zero it before the first call, free(v)
 * after the last. */
struct tree_path_buf {
    struct tree_node **v;
    size_t cap;
};

/* tree_path_cmp: the order of two nodes' paths below the root: a path before
 * the paths below it, else by tree_cmp_name where they part. With tops_by_spare,
 * two paths under different top nodes (PATHs) go in the order of those nodes'
 * spare fields first (the walker keeps a PATH's index there). */
int tree_path_cmp(struct tree_node *a, struct tree_node *b, struct tree_path_buf *ba,
                  struct tree_path_buf *bb, bool tops_by_spare);

static inline enum tree_excluded tree_excluded_of(const struct tree_node *n)
{
    return (enum tree_excluded)((n->flags & TREE_EXCLUDED_MASK) >> TREE_EXCLUDED_SHIFT);
}
static inline void tree_set_excluded(struct tree_node *n, enum tree_excluded e)
{
    n->flags = (uint16_t)((n->flags & ~TREE_EXCLUDED_MASK) | ((unsigned)e << TREE_EXCLUDED_SHIFT));
}

/*
 * The link table: the inode of each file that has several names (hard
 * links), kept beside the nodes so that other nodes cost nothing for it.
 * The walker and the ncdu reader fill it, the ncdu writer reads it.
 * tree_link_set() records n's inode and flags n TREE_LINKED; it is not
 * thread-safe (call it after the writers are done). tree_link_get() is true
 * and fills *out when n has an entry.
 */
struct tree_link {
    uint64_t dev, ino, nlink;
};
void tree_link_set(struct tree *t, struct tree_node *n, const struct tree_link *l);
bool tree_link_get(const struct tree *t, const struct tree_node *n, struct tree_link *out);

/*
 * Pre-order traversal without recursion:
 *     struct tree_iter it;
 *     tree_iter_init(&it, t->root);
 *     for (struct tree_node *n; (n = tree_iter_next(&it, true)); )
 *         ... it.depth is n's depth below the start node (0 for the start) ...
 * Pass descend=false to skip the children of the node returned last.
 */
struct tree_iter {
    struct tree_node *start;
    struct tree_node *cur;
    unsigned depth;
    bool begun;
};
void tree_iter_init(struct tree_iter *it, struct tree_node *start);
struct tree_node *tree_iter_next(struct tree_iter *it, bool descend);

/*
 * Stored bytes (TREE_W_STORED, trees with nweights >= 4): any source that
 * reads a container (an archive, an image) sets each entry's own stored
 * bytes and gives what is left of the container's size to one overhead
 * child, so the container's stored total is its size. Before tree_finish().
 */
#define TREE_OVERHEAD_NAME "(archive overhead)"

/* tree_add_overhead: a new child of parent named TREE_OVERHEAD_NAME,
 * flagged TREE_LITERAL, with bytes stored and no other weight */
struct tree_node *tree_add_overhead(struct tree_arena *a, struct tree_node *parent, uint64_t bytes);

/* tree_is_overhead: n was made by tree_add_overhead (sinks that have no
 * stored field, such as an ncdu export, leave it out) */
bool tree_is_overhead(const struct tree_node *n);

/* tree_share_stored: make the stored bytes below node (own weights; node's
 * own become 0) add up to total, each in proportion to what it has
 * (cumulative rounding: the shares sum exactly); node keeps total itself
 * when nothing below has any. For a container inside another, whose
 * entries were measured in its own bytes. */
void tree_share_stored(struct tree_node *node, uint64_t total);

/* tree_count_nodes: nodes in the subtree of n, n included */
size_t tree_count_nodes(struct tree_node *n);

#endif
