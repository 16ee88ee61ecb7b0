/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report: the text summary of a finished tree for a terminal: a heading with
 * the total, then the largest entries (about 30 lines) as an indented tree,
 * each with its size, its share of the total and a bar, fitted to a width.
 * Names are shown with name_display() (no control bytes reach the terminal).
 *
 * report_write() sorts the tree by the chosen weight (tree_sort). The
 * helpers are pure and thread-safe; report_write() is not, for one tree.
 */
#ifndef DUFLAME_REPORT_H
#define DUFLAME_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tree.h"

struct report_opts {
    unsigned weight;  /* slot to show and rank by */
    bool bytes;       /* sizes in bytes (util_human); else counts (util_commas) */
    const char *what; /* heading, e.g. "Disk usage of /usr"; NULL: none */
    const char *unit; /* for counts, e.g. "entries" */
    unsigned lines;   /* entries to list (30) */
    unsigned width;   /* columns (80) */
};

/* report_opts_init: 30 lines, 80 columns, slot 0, bytes */
void report_opts_init(struct report_opts *o);

/* report_write: the summary of finished tree t; returns 0 or -1 on a write
 * error */
int report_write(FILE *out, struct tree *t, const struct report_opts *o);

/* report_term_width: the width of the terminal on fd, or 80 (or $COLUMNS)
 * when it is not one */
unsigned report_term_width(int fd);

/* report_bar: a bar of width cells filled to frac (0..1) with '#' and '.'
 * into buf (width + 1 bytes) */
char *report_bar(char *buf, unsigned width, double frac);

/* report_size: weight v as "1.5 GiB" (bytes) or "1,234" (counts) into buf */
char *report_size(char buf[32], uint64_t v, bool bytes);

#endif
