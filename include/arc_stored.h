/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_stored: the bytes each archive entry takes in the file that holds
 * it (weight TREE_W_STORED), as arc.h describes them.
 *
 * An entry's stored bytes are the bytes of the archive's own input read
 * from the start of its header to the start of the next entry's header:
 * header, data and padding of a tar, cpio or ar member; local header,
 * compressed data and data descriptor of a zip member; the compressed
 * bytes consumed meanwhile for a compressed stream. What is left of the
 * input (a tar's end blocks, a zip's central directory, a compressed
 * stream's trailer) is one "(archive overhead)" child of the archive
 * (tree_add_overhead), so the archive's stored total is its size.
 *
 * Positions come from libarchive's header position (bytes of the decoded
 * stream the format reader consumed); a stream decoded by duflame itself
 * (arc_dec, arc_xz) maps them to compressed bytes through struct arc_map,
 * the checkpoints its feed records; a stream decoded by one of libarchive's
 * filters takes the compressed bytes that filter had read at each header.
 *
 * Private to the arc_*.c files. One thread.
 */
#ifndef DUFLAME_ARC_STORED_H
#define DUFLAME_ARC_STORED_H

#include <stdbool.h>
#include <stdint.h>

#include "tree.h"

#define ARC_MAP_N 128
/* a decoder's checkpoints are this many decoded bytes apart */
#define ARC_MAP_STEP (16 * 1024)

/* arc_map: (decoded bytes served, compressed bytes consumed) checkpoints
 * of one decoded stream, oldest first; queries come in increasing order,
 * and the checkpoints before a query are dropped */
struct arc_map {
    uint64_t d[ARC_MAP_N], r[ARC_MAP_N];
    unsigned first, n;
    uint64_t bd, br; /* the last checkpoint dropped (0, 0 at first) */
};

/* arc_map_add: after decoded bytes were served, raw had been consumed */
void arc_map_add(struct arc_map *m, uint64_t decoded, uint64_t raw);

/* arc_map_raw: the compressed position of decoded position p, by linear
 * interpolation between the checkpoints around it */
uint64_t arc_map_raw(struct arc_map *m, uint64_t p);

/* one archive level's spans */
struct arc_span {
    struct tree_node *cur; /* the entry whose span is open; NULL: overhead */
    uint64_t pos;          /* where it started */
    uint64_t sum;          /* bytes given to entries so far */
    bool begun;
};

/* arc_span_give: bytes to the open span's entry (a nested archive's are
 * shared out below it) */
void arc_span_give(struct arc_span *s, uint64_t bytes);

/* arc_span_close: end the open span at position pos (the next header or
 * the end); a nested archive's span is shared out below it */
void arc_span_close(struct arc_span *s, uint64_t pos);

/* arc_span_overhead: after the last span, what is left of total bytes
 * becomes the "(archive overhead)" child of node (through arena a); when
 * the spans add up to more than total (positions that jumped back), they
 * are scaled down to it */
void arc_span_overhead(struct arc_span *s, struct tree_node *node, struct tree_arena *a,
                       uint64_t total);

#endif
