/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * collapse_dtrace: DTrace's printed aggregations read as stackcollapse.pl reads them:
 * the first three lines are skipped, then frames one per line, innermost
 * first, each stack ended by a line that is only a count.
 *
 * A reader belongs to one struct collapse (collapse.h), which owns the
 * sums and the statistics; collapse_new makes it and collapse_free frees it.
 * Not thread-safe.
 */
#ifndef DUFLAME_COLLAPSE_DTRACE_H
#define DUFLAME_COLLAPSE_DTRACE_H

#include <stddef.h>

#include "collapse.h"

struct collapse_dtrace;

struct collapse_dtrace *collapse_dtrace_new(struct collapse *c, const struct collapse_opts *o);
/* one line, without its newline */
void collapse_dtrace_line(struct collapse_dtrace *r, const char *s, size_t n);
/* end of input: a record still open is dropped (stats.truncated) */
void collapse_dtrace_end(struct collapse_dtrace *r);
void collapse_dtrace_free(struct collapse_dtrace *r);

#endif
