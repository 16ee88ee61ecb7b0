/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * collapse_perf: `perf script` text read as stackcollapse-perf.pl reads it: a sample is
 * a header line (comm, pid[/tid], ..., period, event), frame lines
 * ("  ADDR SYMBOL+OFF (DSO)"), then a blank line; the stack is the comm
 * followed by the frames from the outermost in.
 *
 * A reader belongs to one struct collapse (collapse.h), which owns the
 * sums and the statistics; collapse_new makes it and collapse_free frees it.
 * Not thread-safe.
 */
#ifndef DUFLAME_COLLAPSE_PERF_H
#define DUFLAME_COLLAPSE_PERF_H

#include <stdbool.h>
#include <stddef.h>

#include "collapse.h"

struct collapse_perf;

struct collapse_perf *collapse_perf_new(struct collapse *c, const struct collapse_opts *o);
/* one line, without its newline */
void collapse_perf_line(struct collapse_perf *r, const char *s, size_t n);
/* end of input: a record still open is dropped (stats.truncated) */
void collapse_perf_end(struct collapse_perf *r);
void collapse_perf_free(struct collapse_perf *r);

/* collapse_perf_looks_like: whether line a is a sample's header and line b
 * (may be NULL) one of its frames, or a's header ends in "EVENT:" */
bool collapse_perf_looks_like(const char *a, size_t an, const char *b, size_t bn);

#endif
