/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * collapse_bpftrace: bpftrace's printed stack maps read as stackcollapse-bpftrace.pl reads
 * them: "@[", frames innermost first, "]: COUNT"; each map entry is one
 * output line, emitted at once.
 *
 * A reader belongs to one struct collapse (collapse.h), which owns the
 * sums and the statistics; collapse_new makes it and collapse_free frees it.
 * Not thread-safe.
 */
#ifndef DUFLAME_COLLAPSE_BPFTRACE_H
#define DUFLAME_COLLAPSE_BPFTRACE_H

#include <stddef.h>

#include "collapse.h"

struct collapse_bpftrace;

struct collapse_bpftrace *collapse_bpftrace_new(struct collapse *c, const struct collapse_opts *o);
/* one line, without its newline */
void collapse_bpftrace_line(struct collapse_bpftrace *r, const char *s, size_t n);
/* end of input: a record still open is dropped (stats.truncated) */
void collapse_bpftrace_end(struct collapse_bpftrace *r);
void collapse_bpftrace_free(struct collapse_bpftrace *r);

#endif
