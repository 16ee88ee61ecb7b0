/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * viewdata: the finished tree as the compact data the page engine
 * (src/assets/viewer.js) reads: every node in pre-order with its child count,
 * flags and kind, a reference to its name (each distinct name is stored once)
 * and its OWN weights (the records stored as columns, a field at a time),
 * compressed with raw DEFLATE, then base64 so that it is inert text inside
 * HTML or an SVG's CDATA. docs/viewer-data.md is the format.
 *
 * Names are stored as name_display() shows them (as typed; only control
 * bytes and invalid UTF-8 escaped as \xHH), so they hold no newline and the
 * names block can be one "\n"-separated UTF-8 text.
 *
 * Budget: a tree with more than opts->max_entries nodes is embedded with its
 * smallest subtrees (by opts->weight, ties cut in pre-order) merged, keeping
 * as many nodes as fit: the children of a kept node that are not kept
 * become one aggregate node carrying how many
 * siblings it stands for and the sums of their subtrees' weights, so every
 * total still adds up. stats says how many entries were merged.
 *
 * viewdata_encode() reads the tree and sorts nothing; the caller chooses the
 * sibling order (the page sorts again as asked). Output is streamed to a
 * FILE (three passes over the tree; the records' columns, a few bytes per
 * node, are gathered before they are compressed) or appended to a name_buf
 * the caller owns. Not thread-safe for one tree; nothing is printed.
 */
#ifndef DUFLAME_VIEWDATA_H
#define DUFLAME_VIEWDATA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "names.h"
#include "tree.h"

/* the default of --max-entries */
#define VIEWDATA_MAX_ENTRIES_DEFAULT 2000000u
/* trees of at most this many nodes are encoded in one pass (viewdata_prepare) */
#define VIEWDATA_ONE_PASS_DEFAULT (1u << 18)

/* the format's version, written first */
#define VIEWDATA_VERSION 2u

/* the first flags byte of a node */
enum {
    VIEWDATA_KIND_MASK = 0x07, /* enum tree_kind */
    VIEWDATA_DIR = 0x08,
    VIEWDATA_AGGREGATE = 0x10, /* merged siblings; no name reference, a count instead */
    VIEWDATA_MORE = 0x80,      /* a second flags byte follows */
};
/* the second flags byte, when VIEWDATA_MORE is set */
enum {
    VIEWDATA_UNREADABLE = 0x01,
    VIEWDATA_ARCHIVE = 0x02,
    VIEWDATA_LITERAL = 0x04,
    VIEWDATA_HARDLINK = 0x08,
    VIEWDATA_SYMLINK = 0x10,
    VIEWDATA_SPECIAL = 0x20,
    VIEWDATA_ENCRYPTED = 0x40,
};

/* the most weight slots a record can carry */
#define VIEWDATA_MAXW 8u

struct viewdata_opts {
    unsigned weight;    /* the slot that decides which subtrees are smallest */
    size_t max_entries; /* 0: VIEWDATA_MAX_ENTRIES_DEFAULT */
    size_t one_pass;    /* 0: VIEWDATA_ONE_PASS_DEFAULT (the same bytes either way) */
    /* nextra > 0 (at most VIEWDATA_MAXW): the records carry nextra weights
     * a node from extra() instead of the tree's slots: extra(extra_ctx, n,
     * tot) gives n's subtree totals, and a record's own weight is its total
     * less its children's (duflame diff's page: BEFORE and AFTER of every
     * scan metric, diff_metrics.h). The budget still ranks by the tree's
     * slot weight. */
    unsigned nextra;
    void (*extra)(void *ctx, const struct tree_node *n, uint64_t *tot);
    void *extra_ctx;
    /* tag: a number (>= 0) for node n that the page gets beside its record
     * (a container image's layer), or -1; NULL: no tags block is written
     * (docs/viewer-data.md, "Tags") */
    long (*tag)(void *ctx, const struct tree_node *n);
    void *tag_ctx;
};

struct viewdata_stats {
    size_t nodes;      /* nodes in the tree */
    size_t embedded;   /* records written (kept nodes plus aggregates) */
    size_t merged;     /* nodes of the tree that went into aggregates */
    size_t aggregates; /* aggregate records */
    size_t names;      /* names stored (a name is stored again when the
                          encoder's fixed-size cache has lost it) */
    size_t name_bytes; /* bytes of the names block */
};

/* viewdata_prepare: the statistics of t's data into *st (the page's config
 * needs them before the data; st may be NULL), and what viewdata_write()
 * needs, which the caller owns until then. A tree of up to o->one_pass
 * nodes is encoded here in one pass, its columns held (about 15 bytes a record); a
 * larger one is only counted here and written a pass over it a column, in
 * fixed memory. o must stay valid until the write. NULL when t is not
 * finished. */
struct viewdata_prep;
struct viewdata_prep *viewdata_prepare(const struct tree *t, const struct viewdata_opts *o,
                                       struct viewdata_stats *st);
/* viewdata_prep_free: p (or NULL) released without writing it */
void viewdata_prep_free(struct viewdata_prep *p);

/* viewdata_measure: viewdata_prepare()'s statistics alone. -1 when t is not
 * finished. */
int viewdata_measure(const struct tree *t, const struct viewdata_opts *o,
                     struct viewdata_stats *stats);

/* viewdata_write: the base64 data that p prepared, streamed to fp, and p
 * released. -1 when the compressor cannot start; write errors are left in
 * ferror(fp). */
int viewdata_write(FILE *fp, struct viewdata_prep *p);

/* viewdata_encode: append the base64 data of the finished tree t to out
 * (viewdata_measure() then viewdata_write() into memory). Returns 0, or -1
 * when the tree is not finished. */
int viewdata_encode(struct name_buf *out, const struct tree *t, const struct viewdata_opts *o,
                    struct viewdata_stats *stats);

/* viewdata_base64_add: append the base64 form (RFC 4648, padded) of p[0..n) */
void viewdata_base64_add(struct name_buf *out, const unsigned char *p, size_t n);

#endif
