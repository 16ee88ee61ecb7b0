/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * diff_metrics: BEFORE and AFTER of every scan metric (disk usage, apparent
 * size, entries) for each node of a joined tree (diff.h), beside it.
 *
 * The joined tree holds one metric (the one asked for: its slots
 * TREE_W_BEFORE and TREE_W_AFTER), as every sink of a diff reads it. The
 * page of a diff switches between the three metrics without reloading, so it
 * needs six weights a node, more than a tree node has slots; they are kept
 * here instead, so that the tree (and the ordinary scan's tree) costs nothing
 * more: a table of six 64-bit totals per joined node, found by the node's
 * address through a hash index (56 bytes a node, plus 8 for the index at
 * most half full).
 *
 * diff_join() fills it (diff_opts.metrics) with own weights as it joins and
 * turns them into subtree totals once the tree is finished, scaled as the
 * joined slots are (decimal scale, --normalize per metric). It is read only
 * afterwards; node pointers of the joined tree are its keys, so it must not
 * outlive that tree. Nothing is printed; not thread-safe for one table.
 */
#ifndef DUFLAME_DIFF_METRICS_H
#define DUFLAME_DIFF_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tree.h"

/* the metrics, in the page's order: each is a pair of slots (BEFORE, AFTER)
 * in diff_metrics_get()'s output, so slot 2 * m + side */
enum { DIFF_M_DISK = 0, DIFF_M_APPARENT = 1, DIFF_M_COUNT = 2, DIFF_NMETRICS = 3 };
#define DIFF_MSLOTS (2 * DIFF_NMETRICS)

struct diff_metrics;

struct diff_metrics *diff_metrics_new(void);
void diff_metrics_free(struct diff_metrics *m);

/* the scan slot (TREE_W_DISK, ...) that metric k reads */
unsigned diff_metrics_slot(unsigned k);

/* diff_metrics_add: while joining: add side's (0 BEFORE, 1 AFTER) own
 * weights of the scan node n, times mul, to the joined node jn. -1 when a
 * weight times mul does not fit in 64 bits. */
int diff_metrics_add(struct diff_metrics *m, const struct tree_node *jn, unsigned side,
                     const struct tree_node *n, uint64_t mul);

/* diff_metrics_finish: own weights to subtree totals over the finished
 * joined tree whose root is root; with normalize, each metric's BEFORE own
 * weights are first scaled to AFTER's total as diff_join() scales its own
 * slots (so the opening metric's totals equal the joined slots'). */
void diff_metrics_finish(struct diff_metrics *m, const struct tree_node *root, bool normalize);

/* diff_metrics_get: the DIFF_MSLOTS subtree totals of n into tot (all 0
 * for a node the table does not know); false when it does not */
bool diff_metrics_get(const struct diff_metrics *m, const struct tree_node *n, uint64_t *tot);

/* diff_metrics_use: write metric k's totals into the joined slots
 * TREE_W_BEFORE and TREE_W_AFTER of every node below root (root included),
 * so the ranking and the writers of a joined tree read that metric. Call
 * again with the opening metric to restore the tree. */
void diff_metrics_use(const struct diff_metrics *m, struct tree_node *root, unsigned k);

/* diff_metrics_viewdata: the viewdata_opts.extra callback (ctx: the table) */
void diff_metrics_viewdata(void *ctx, const struct tree_node *n, uint64_t *tot);

#endif
