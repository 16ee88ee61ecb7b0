/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * diff_rank: the ranking of a joined tree (diff.h): the paths below a base
 * node whose totals changed most, largest absolute change first, and the
 * three ways it is written: the terminal text of duflame diff, JSON for
 * other tools (-o d.json) and a Markdown table for a pull request comment
 * (--format=markdown).
 *
 * Which paths are rows: every path below base whose BEFORE and AFTER totals
 * differ, except one whose change is all one child's (the rest of it, own
 * weight and other children, is the same on both sides): that child's row
 * says it, so a chain of single children is one row named by its deepest
 * path. A path that exists on one side only is one row, marked new or
 * removed; what is below it is not listed on its own. Ties keep pre-order.
 *
 * The rows point into the joined tree, which must outlive them. Nothing is
 * printed except by the writers, to the FILE they are given; reentrant.
 */
#ifndef DUFLAME_DIFF_RANK_H
#define DUFLAME_DIFF_RANK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diff.h"
#include "tree.h"

enum diff_mark {
    DIFF_CHANGED = 0, /* on both sides */
    DIFF_NEW,         /* only in AFTER */
    DIFF_REMOVED,     /* only in BEFORE */
};

struct diff_row {
    const struct tree_node *node; /* the deepest node of a folded chain */
    uint64_t before, after;       /* subtree totals */
    enum diff_mark mark;
};

/*
 * diff_rank: the rows below base (a node of a finished joined tree), largest
 * absolute change first. Returns a heap array of *n rows (free() it; NULL
 * when there are none), every row, not cut: the writers cut at their top.
 */
struct diff_row *diff_rank(const struct tree_node *base, size_t *n);

/* diff_path: the path of n below base, names as name_display() shows them,
 * joined by sep; "" for base itself. Heap string. */
char *diff_path(const struct tree_node *base, const struct tree_node *n, char sep);

/* The writers: the totals of o->base (NULL: the root) and the first o->top
 * rows. 0, or -1 on a write error (errno set). diff_write_text (diff.h) is
 * the terminal's form. */
int diff_write_json(FILE *fp, const struct tree *j, const struct diff_text_opts *o);
int diff_write_markdown(FILE *fp, const struct tree *j, const struct diff_text_opts *o);

#endif
