/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report: the text report of a finished tree, for a terminal or a pipe.
 *
 * The tree report: a heading naming what was measured and the total; the
 * largest entries as an indented tree (a row: size, share of the total, a
 * bar, the name), at most `top` rows, none deeper than `max_depth` (counted
 * as du counts: 0 is a PATH) and none below `threshold`; a chain of
 * directories that each hold only one directory is one row
 * ("fpcsrc/3.2.2/packages/") showing its top directory's size, as du prints
 * for that directory (folding is display only: depth still counts every
 * directory); then the largest files anywhere in the tree; then a footer
 * (entries, warnings, time). Bars use Unicode blocks, or '#' and '.' with
 * `ascii`; with `color`, bars and names are coloured by kind (kind.h) with
 * ANSI escapes.
 *
 * The summary (`summarize`, du -s): one line "SIZE<TAB>PATH" per PATH, and
 * "SIZE<TAB>total" with `total` (du -c), sizes written as du writes them.
 *
 * Names are shown with name_display() (no control bytes reach the
 * terminal). The tree is read, never changed: nothing is sorted but the rows
 * shown, so the report costs little more than the scan. report_write() only
 * writes to the FILE it is given. Every function is thread-safe (no shared
 * state); report_write() reads the tree, so no writer may run at the time.
 */
#ifndef DUFLAME_REPORT_H
#define DUFLAME_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tree.h"

/* how sizes are written (du's -h, --si, -B SIZE) */
enum report_units_mode {
    REPORT_UNITS_AUTO,  /* the report: "1.5 MiB"; the summary: du -h's "1.5M" */
    REPORT_UNITS_HUMAN, /* powers of 1024 (du -h) */
    REPORT_UNITS_SI,    /* powers of 1000 (du --si) */
    REPORT_UNITS_BLOCK, /* whole blocks, rounded up (du -B SIZE; -B1 and -b: bytes) */
};

struct report_units {
    enum report_units_mode mode;
    uint64_t block; /* REPORT_UNITS_BLOCK: bytes per block, at least 1 */
    char suffix[4]; /* REPORT_UNITS_BLOCK: written after each number ("M", "kB") when
                       the block size was given as a unit alone, as du does */
};

struct report_opts {
    unsigned weight;           /* slot to show and rank by */
    bool bytes;                /* the weight is bytes; else a count (entries, samples) */
    const char *what;          /* heading, e.g. "Disk usage of /usr"; NULL: none */
    struct report_units units; /* how sizes are written */
    unsigned top;              /* rows of the tree (40); 0: none */
    unsigned files;            /* largest files listed after the tree (0: none) */
    unsigned width;            /* columns (80; at least 40 are used) */
    unsigned max_depth;        /* deepest depth shown (0: the PATHs only); UINT_MAX: all */
    uint64_t threshold;        /* entries whose weight is below this are not shown */
    bool ascii;                /* bars of '#' and '.', "..." for a cut name */
    bool color;                /* ANSI colours by kind */
    bool summarize;            /* du -s lines instead of the tree */
    bool total;                /* a "total" line (du -c) */
    bool footer;               /* the footer line: entries, warnings, seconds */
    uint64_t entries;          /* for the footer */
    unsigned long warnings;    /* for the footer */
    double seconds;            /* for the footer; below 0: not shown */
    /* a source's own lines after the largest files (an image's wasted
       bytes); NULL: none */
    void (*extra)(FILE *out, void *ctx);
    void *extra_ctx;
    /* packed: node n is an entry of something stored packed that is not
       flagged an archive (a container image's file), for the worst
       compressed entries; NULL: only archives' entries (ctx: extra_ctx) */
    bool (*packed)(void *ctx, const struct tree_node *n);
    const char *const *paths; /* the PATHs as given: the order of the summary's lines */
    size_t npaths;            /* (NULL, 0: the tree's order) */
};

/* report_opts_init: slot 0 in bytes, 40 rows, 10 files, 80 columns, every
 * depth, no threshold, Unicode, no colour, no footer */
void report_opts_init(struct report_opts *o);

/* report_write: the report (or the summary) of finished tree t, whose root's
 * children are the PATHs; returns 0, or -1 on a write error */
int report_write(FILE *out, const struct tree *t, const struct report_opts *o);

/* report_fit: the rows of the tree, and in *files the rows of largest
 * files, that make the whole report fit height lines (the heading, a blank
 * line and a heading before the files, the footer, the total line when
 * `total` and a line for the shell's prompt included); at least 5 rows */
unsigned report_fit(unsigned height, bool total, unsigned *files);

/* report_term_width, report_term_height: the terminal's size on fd, or
 * $COLUMNS / $LINES, or 80 / 24 when neither says */
unsigned report_term_width(int fd);
unsigned report_term_height(int fd);

/* report_bar: a bar of width cells filled to frac (0..1) into buf, which
 * holds 3 * width + 1 bytes: Unicode blocks (eighths of a cell) and spaces,
 * or with ascii '#' and '.' */
char *report_bar(char *buf, unsigned width, double frac, bool ascii);

/* report_size: weight v as a row shows it: "1.5 KiB" (auto, human), "1.5 kB"
 * (si), "3" or "3M" (block), or "1,234" for a count in auto and block mode */
char *report_size(char buf[32], uint64_t v, bool bytes, const struct report_units *u);

/* report_du_size: v as du prints it: "4.0K", "12K", "1.5M", "512" (auto and
 * human: powers of 1024, rounded up, one decimal below 10), "4.1k" (si),
 * ceil(v / block) and the suffix (block); a count in auto or block mode as
 * plain digits (du --inodes) */
char *report_du_size(char buf[32], uint64_t v, bool bytes, const struct report_units *u);

/* report_parse_block_size: du's -B SIZE: an optional positive integer and
 * an optional unit K M G T P E (powers of 1024; KiB the same; KB, MB ...
 * powers of 1000), or "human-readable" or "si". Returns 0, or -1 (nothing
 * set) for anything else or a block size that does not fit in 64 bits. */
int report_parse_block_size(const char *s, struct report_units *u);

/* report_title: what was measured, of what: "Disk usage of A, B",
 * "Apparent size of A", "Entries in A"; "Extracted size of X.tar" when every
 * PATH is an archive (sizes are then extracted sizes); ", with extracted
 * sizes inside archives" added when archives inside directories were opened.
 * A heap string the caller frees. */
char *report_title(unsigned weight, const char *const *paths, size_t n, bool all_archives,
                   bool inside_archives);

#endif
