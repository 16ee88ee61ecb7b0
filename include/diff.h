/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * diff: two finished trees joined into one differential tree, the CI gate on
 * its totals, and the numbers of the text report (duflame diff). The ranking
 * of what changed most and its writers are diff_rank.h; the gate on the
 * paths a glob matches is diff_glob.h.
 *
 * The join reads one weight slot of each side and builds a NEW tree with
 * nweights 2 (TREE_W_BEFORE, TREE_W_AFTER): every path of either side
 * appears once, with 0 on the side where it is missing. Own weights are
 * copied, so after tree_finish() the joined root's BEFORE total equals the
 * BEFORE side's root total, and AFTER likewise (when neither saturated).
 * Flags (TREE_UNREADABLE, TREE_ARCHIVE, ...) of either side are kept.
 * The two roots are matched to each other whatever their names; below them,
 * names are compared bytewise, except for the top-level rule (diff_opts,
 * match_top) that matches the wrapper directory of a tarball.
 *
 * The join is O(n) in the nodes of both sides (a hash lookup per node) and
 * iterative, so any depth works. The sides are only read; the joined tree is
 * the caller's, freed with tree_free(). Nothing here prints to the user or
 * exits; functions are reentrant (no shared state).
 */
#ifndef DUFLAME_DIFF_H
#define DUFLAME_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tree.h"

struct diff_metrics;

struct diff_opts {
    unsigned wbefore; /* the slot read from the BEFORE tree */
    unsigned wafter;  /* the slot read from the AFTER tree */
    /* the nodes compared as the two roots; NULL: the tree's root. A scan of
     * one PATH has its root "all" above the PATH's node: pass that node. */
    const struct tree_node *root_before, *root_after;
    /* NULL: the joined root is the matched roots, named as AFTER's root
     * node. Otherwise the joined root is named root_name and the matched
     * roots become its one child, named as AFTER's root node: the shape of a
     * scan of one PATH ("all", then the PATH). */
    const char *root_name;
    /*
     * The top-level rule, for scans of directories and archives (not for
     * folded profiles, whose top frames are real names):
     *  1. if each root has exactly one child, both are directories
     *     (TREE_DIR) and their names differ, the two are matched to each
     *     other ("app-1.0/" against "app-1.1/"); the joined node takes
     *     AFTER's name;
     *  2. otherwise, if one side's root is an archive (TREE_ARCHIVE) whose
     *     only child is a directory, and the other side's root has no child
     *     of that name, that wrapper directory is dissolved: its children
     *     are compared with the other root's children, and its own weight
     *     goes to the joined node of the roots.
     * Applied once, at the top only; everything below matches by name.
     */
    bool match_top;
    /* scale every BEFORE weight by AFTER's total over BEFORE's (rounded), so
     * both sides have the same total: what changed is the share, not the
     * amount (difffolded.pl -n) */
    bool normalize;
    /* NULL, or a table to fill with BEFORE and AFTER of each scan metric
     * (diff_metrics.h): both sides are scans (disk, apparent, count slots) */
    struct diff_metrics *metrics;
};

/* what the top-level rule did */
enum diff_top {
    DIFF_TOP_NONE = 0,
    DIFF_TOP_MATCHED,       /* rule 1 */
    DIFF_TOP_UNWRAP_BEFORE, /* rule 2, BEFORE's wrapper dissolved */
    DIFF_TOP_UNWRAP_AFTER,  /* rule 2, AFTER's wrapper dissolved */
};

struct diff_info {
    enum diff_top top;
    /* the wrapper nodes of the sides (NULL when not used), for messages */
    const struct tree_node *top_before, *top_after;
    /* the joined node of the two roots: the joined root, or its child with
     * root_name */
    struct tree_node *base;
};

/*
 * diff_join: both sides finished (tree_finish). Returns 0 and sets *out to
 * a finished tree (nweights 2, wnames "before"/"after", root named as
 * AFTER's root node or root_name, siblings sorted by name, scale the larger of the two sides'
 * scales; flags of a node are those of both sides or'ed together). Returns
 * -1 with a static message in *err if weights cannot be brought to one
 * scale without overflow. info may be NULL.
 */
int diff_join(const struct tree *before, const struct tree *after, const struct diff_opts *o,
              struct tree **out, struct diff_info *info, const char **err);

/*
 * The gate of --fail-over=SIZE: trips when AFTER's total exceeds BEFORE's
 * by more than a bound, either an amount ("10M", util_parse_size; for counts
 * a plain number) or a percentage of BEFORE ("5%", "0.5%"). Growth from an
 * empty BEFORE to a non-empty AFTER exceeds every percentage.
 */
struct diff_gate {
    bool set;
    bool percent;
    uint64_t amount; /* in the tree's stored units (times 10^scale) */
    double pct;
};

/* diff_gate_parse: 0, or -1 for a bound that is not a size or percentage.
 * scale: the joined tree's scale, which an amount is multiplied by. */
int diff_gate_parse(const char *s, unsigned scale, struct diff_gate *g);
bool diff_gate_trips(const struct diff_gate *g, uint64_t before, uint64_t after);

/*
 * One line of the report: a node whose own weight changed, or a path that
 * exists on one side only, counted whole (then its children are not listed
 * on their own).
 */
struct diff_entry {
    const struct tree_node *node;
    uint64_t before, after; /* own weights, or the subtree's when whole */
    bool whole;
};

/*
 * diff_top_changes: the up to n entries in the subtree of base (a node of a
 * finished joined tree, counted as present on both sides) that grew most
 * (into grew[], largest growth first) and shrank most (into shrank[]). Ties
 * go to the earlier node in pre-order. O(nodes * log n).
 */
void diff_top_changes(const struct tree_node *base, size_t n, struct diff_entry *grew,
                      size_t *ngrew, struct diff_entry *shrank, size_t *nshrank);

enum diff_units {
    DIFF_BYTES, /* human-readable sizes */
    DIFF_COUNT, /* plain counts: entries (--inodes), samples */
};

struct diff_text_opts {
    enum diff_units units;
    const char *countname;                  /* "bytes", "entries", "samples" */
    const char *before_label, *after_label; /* the command-line names */
    char sep;                     /* between path components: '/' for scans, ';' for folded */
    const struct tree_node *base; /* totals and paths from here; NULL: the root */
    size_t top;                   /* rows of the ranking (diff_rank.h) */
    /* NULL, or every scan metric of the joined tree (the page's metric
     * switch); metric: which of them the joined slots hold (DIFF_M_*) */
    const struct diff_metrics *metrics;
    unsigned metric;
};

/* diff_write_text (diff_rank.c): the terminal report, the totals then the
 * ranking. Returns 0, or -1 on a write error (errno set). */
int diff_write_text(FILE *fp, const struct tree *j, const struct diff_text_opts *o);

/* diff_amount: v as "1.5 MiB" (DIFF_BYTES) or "1,234.5" (a count at this
 * scale), into buf; returns buf */
char *diff_amount(uint64_t v, enum diff_units units, unsigned scale, char buf[80]);

/* diff_count_gone: how many paths below base exist only in BEFORE (a path
 * counted once, not its descendants), and their BEFORE weight in *weight */
size_t diff_count_gone(const struct tree_node *base, uint64_t *weight);

/* diff_change: "+1.5 MiB (+12.3%)" style text of a change, into buf;
 * "(new)" instead of a percentage from 0. Returns buf. */
#define DIFF_CHANGE_LEN 128
char *diff_change(uint64_t before, uint64_t after, enum diff_units units, unsigned scale,
                  char buf[DIFF_CHANGE_LEN]);

#endif
