/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lines: a stream cut into lines without an allocation per line. The reader
 * owns one buffer that grows to the longest line; each line goes to a
 * callback without its '\n' (a last line without one is given too). The
 * bytes passed stay valid only during the call.
 */
#ifndef DUFLAME_LINES_H
#define DUFLAME_LINES_H

#include <stddef.h>
#include <stdio.h>

struct lines {
    char *buf;
    size_t cap;
};

typedef void (*lines_fn)(void *arg, char *s, size_t n);

/* Read IN to its end, calling FN for every line. INITIAL is the buffer's
 * first size. Returns 0, or -1 with errno set when reading failed (the lines
 * read before the error have been given). */
int lines_read(struct lines *l, FILE *in, size_t initial, lines_fn fn, void *arg);

void lines_release(struct lines *l);

#endif
