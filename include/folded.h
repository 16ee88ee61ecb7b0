/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * folded: folded stacks (flamegraph.pl's input format) in and out.
 *
 * Reading. Each line is "STACK COUNT" or, differential, "STACK BEFORE AFTER":
 * the count is the last whitespace-separated field (an unsigned integer or a
 * decimal "12.5"; whitespace is space, tab, \f, \v), frames are split on ';'.
 * CRLF and blank lines are accepted. Names are kept byte for byte: the reader
 * never unescapes (see names.h). As in flamegraph.pl, empty frames before the
 * last ("a;;b", ";a") are kept as frames with an empty name, trailing ';' are
 * dropped ("a;b;" is "a;b"), and an empty stack adds to the root. Invalid
 * lines (no count, a count that does not fit in 64 bits once scaled, a
 * negative count) are skipped and counted. Decimals are stored exactly:
 * tree->scale grows (tree_rescale) to the most fractional digits seen.
 *
 * Every line adds into one tree rooted at "all" (a frame that several lines
 * share is one node, whatever the order; the reader keeps its own name
 * index, so nodes are made with tree_add and tree_child() does not find
 * them). Memory follows the
 * number of distinct frames, not lines: lines are read into one reused
 * buffer and consecutive lines share their common prefix of nodes. Weights:
 * slot 0 holds the samples; if any line is differential, the tree has two
 * slots, TREE_W_BEFORE and TREE_W_AFTER (a single-count line then counts as
 * before = after = COUNT, i.e. no change, as flamegraph.pl draws it).
 *
 * Writing. folded_write() prints one line per node with an own weight > 0,
 * the path from the root's CHILDREN down (the root itself is never named: a
 * reader roots its tree at "all" again), names escaped with
 * name_folded_escape(), so render(folded(tree)) gives the same frames as
 * drawing the tree. Lines come in tree order (pre-order): sort first for a
 * stable file. Iterative, any depth.
 *
 * The reader owns its tree until folded_reader_finish() hands it to the
 * caller (tree_free). Library code: nothing is printed. Not thread-safe:
 * one reader per thread.
 */
#ifndef DUFLAME_FOLDED_H
#define DUFLAME_FOLDED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tree.h"

struct folded_opts {
    bool reverse;    /* --reverse: each stack's frames in reverse order */
    bool flamechart; /* --flamechart: merge a frame only with the same frame
                        of the line before (time order), never across lines;
                        siblings stay in input order */
};

/* what a line was */
enum folded_line {
    FOLDED_OK = 0,
    FOLDED_BLANK,    /* empty or only whitespace: ignored, not invalid */
    FOLDED_NO_COUNT, /* invalid: no count field */
    FOLDED_OVERFLOW, /* invalid: count too large for 64 bits (after scaling) */
    FOLDED_NEGATIVE, /* invalid: count is negative */
};

struct folded_stats {
    uint64_t lines;   /* lines read */
    uint64_t valid;   /* lines added to the tree */
    uint64_t blank;   /* blank lines */
    uint64_t invalid; /* lines skipped: no_count + overflow + negative */
    uint64_t no_count, overflow, negative;
    uint64_t first_invalid; /* line number (1-based, within this input) of the
                               first invalid line, 0 if none */
    bool differential;      /* a differential line was seen */
};

struct folded_reader;

/* folded_reader_new: a reader with an empty tree rooted at "all"; o may be
 * NULL for the defaults */
struct folded_reader *folded_reader_new(const struct folded_opts *o);

/* folded_reader_read: add every line of in. Statistics are ADDED to *st
 * (zero it before the first input); first_invalid is set only while it is
 * 0, with lines numbered from 1 in this input (use one struct per input to
 * report each input's first bad line).
 * Returns 0, or -1 on a read error (errno set; lines read so far are kept). */
int folded_reader_read(struct folded_reader *r, FILE *in, struct folded_stats *st);

/* folded_reader_line: add one line (without its '\n'; a trailing '\r' is
 * dropped); returns what the line was. For tests and fuzzing; does not touch
 * any statistics. */
enum folded_line folded_reader_line(struct folded_reader *r, const char *line, size_t len);

/* folded_reader_differential: whether a differential line was seen so far */
bool folded_reader_differential(const struct folded_reader *r);

/* folded_reader_finish: the tree, finished (tree_finish done; nweights 1 with
 * wnames[0] "samples", or 2 "before"/"after"); frees the reader. The caller
 * owns the tree. */
struct tree *folded_reader_finish(struct folded_reader *r);

/* folded_reader_free: drop the reader and its tree (after an error) */
void folded_reader_free(struct folded_reader *r);

enum folded_write_flags {
    FOLDED_WRITE_DIFF = 1u << 0, /* "STACK BEFORE AFTER" from slots TREE_W_BEFORE
                                    and TREE_W_AFTER (weight_slot is ignored);
                                    a node appears if either own weight is > 0 */
};

/* folded_write: write a FINISHED tree as folded lines. Counts are printed as
 * decimals when t->scale > 0 ("12.5"). Returns 0, or -1 if a write failed
 * (check ferror; errno set). */
int folded_write(FILE *out, const struct tree *t, unsigned weight_slot, unsigned flags);

#endif
