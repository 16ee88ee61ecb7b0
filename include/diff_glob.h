/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * diff_glob: the gate of --fail-over-path=SIZE:GLOB, which limits the growth
 * of one part of a joined tree (diff.h), and the glob matching it uses.
 *
 * A GLOB is matched against a path below the compared roots, names joined
 * by '/' as stored (no trailing '/'): '*' matches any run of bytes without
 * '/', '**' any run including '/' ("**" then "/" also matches no directory
 * at all: "**" "/x.js" matches "x.js"), '?' one byte other than '/', and '\'
 * makes the next byte literal. Everything else is literal. Matching is a
 * table over pattern and path positions: O(pattern * path), never
 * exponential.
 *
 * The limit applies to the sum of what matches: a matched path counts whole
 * and the paths below it are not counted again. Reentrant, prints nothing.
 */
#ifndef DUFLAME_DIFF_GLOB_H
#define DUFLAME_DIFF_GLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff.h"
#include "tree.h"

/* diff_glob_match: whether path[0..len) matches the NUL-terminated pat */
bool diff_glob_match(const char *pat, const char *path, size_t len);

struct diff_path_gate {
    struct diff_gate gate; /* SIZE, as --fail-over reads it */
    const char *glob;      /* points into the argument */
};

/* diff_path_gate_parse: "SIZE:GLOB" (SIZE first: ':' may be in a name).
 * 0, or -1 when there is no ':', SIZE is not a size or percentage, or GLOB
 * is empty. scale as diff_gate_parse(). */
int diff_path_gate_parse(const char *arg, unsigned scale, struct diff_path_gate *pg);

/* diff_glob_sum: the BEFORE and AFTER totals of the paths below base that
 * match glob (a match counted whole); *matched: how many matched */
void diff_glob_sum(const struct tree_node *base, const char *glob, uint64_t *before,
                   uint64_t *after, size_t *matched);

#endif
