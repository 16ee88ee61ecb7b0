/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * wire: parts of a du tree as bytes, to move them between processes
 * (duflame-mpi). Numbers are unsigned LEB128 varints; byte strings are a
 * varint length and the bytes.
 *
 * A subtree goes as its children, pre-order: per node its flags, the link
 * table entry when flagged TREE_LINKED, a mark (a number the caller gives
 * some nodes, e.g. the directories whose entries another process walked),
 * its TREE_MAXW own weights, its name and its number of children. Reading
 * it back makes the same nodes under a given parent (order of siblings is
 * unspecified, as everywhere before tree_sort) and fills the link table.
 *
 * A path key says where a node is, the way the walker orders the names of a
 * hard-linked file (tree_path_cmp with PATH order): two bytes of its PATH's
 * index, then every name from the PATH's node down, as byte strings.
 * wire_key_cmp() orders two keys as tree_path_cmp orders the nodes.
 *
 * Ownership: a wire_buf's bytes are its owner's (free(b->p)). Reading never
 * trusts the bytes: a malformed buffer is an error, never a crash. Not
 * thread-safe: one buffer, one thread.
 */
#ifndef DUFLAME_WIRE_H
#define DUFLAME_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tree.h"

struct wire_buf {
    unsigned char *p;
    size_t len, cap;
};

struct wire_rd {
    const unsigned char *p, *end;
    bool bad; /* set by any read past the end or malformed number */
};

void wire_put_u64(struct wire_buf *b, uint64_t v);
void wire_put_bytes(struct wire_buf *b, const void *s, size_t n);
void wire_put_raw(struct wire_buf *b, const void *s, size_t n);

uint64_t wire_get_u64(struct wire_rd *r);
/* wire_get_bytes: a byte string; *n its length; NULL (and bad) past the end */
const void *wire_get_bytes(struct wire_rd *r, size_t *n);

/* wire_mark_fn: a node's mark, 0 for none */
typedef uint64_t (*wire_mark_fn)(void *ctx, const struct tree_node *n);
/* wire_marked_fn: a node read back that had mark m */
typedef void (*wire_marked_fn)(void *ctx, uint64_t m, struct tree_node *n);

/* wire_put_children: n's children and everything below them (t's link
 * table gives the inodes of linked nodes). Iterative: any depth. */
void wire_put_children(struct wire_buf *b, const struct tree *t, struct tree_node *n,
                       wire_mark_fn mark, void *ctx);

/* wire_get_children: what wire_put_children wrote, made under parent (which
 * has no children yet) on arena a of t, every sibling list in the order it
 * was written. Returns 0, or -1 on malformed bytes (what was read stays). */
int wire_get_children(struct wire_rd *r, struct tree *t, struct tree_arena *a,
                      struct tree_node *parent, wire_marked_fn marked, void *ctx);

/* Streaming: the same bytes a piece at a time, so that neither side holds
 * a whole part. The writer stops between two nodes once its buffer holds
 * limit bytes; the reader takes whatever whole nodes it is given and keeps
 * its place between calls. */
struct wire_enc {
    const struct tree *t;
    struct tree_iter it;
    struct tree_node *next; /* the next node to write, NULL: all written */
    wire_mark_fn mark;
    void *ctx;
};

/* wire_enc_begin: n's number of children into b; wire_enc_more: nodes
 * below n until b->len >= limit; true once every node is written (then
 * whatever b holds is the end of the subtree) */
void wire_enc_begin(struct wire_enc *e, struct wire_buf *b, const struct tree *t,
                    struct tree_node *n, wire_mark_fn mark, void *ctx);
bool wire_enc_more(struct wire_enc *e, struct wire_buf *b, size_t limit);

struct wire_frame {
    struct tree_node *node;
    uint64_t left;
};

struct wire_dec {
    struct tree *t;
    struct tree_arena *a;
    wire_marked_fn marked;
    void *ctx;
    struct wire_frame *st;
    size_t depth, cap;
};

/* wire_dec_begin: read the number of children wire_enc_begin wrote, to be
 * made under parent (which has none yet). wire_dec_more: the nodes in r:
 * 1 when the subtree is complete (r stops right after it), 0 when r ended
 * between two nodes and more is to come (never with whole: all bytes are
 * in r), -1 on malformed bytes (r->bad; what was read stays). Free with
 * wire_dec_free. */
void wire_dec_begin(struct wire_dec *d, struct wire_rd *r, struct tree *t, struct tree_arena *a,
                    struct tree_node *parent, wire_marked_fn marked, void *ctx);
int wire_dec_more(struct wire_dec *d, struct wire_rd *r, bool whole);
void wire_dec_free(struct wire_dec *d);

/* wire_key_cmp: the order of two path keys (see above) */
int wire_key_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen);

#endif
