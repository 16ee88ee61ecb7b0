/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_ctx: the state of one read of an outermost archive, shared by every
 * nesting level below it: the options, the arena nodes come from, what the
 * limits have counted so far (entries, extracted bytes, memory and spool
 * held by nested members), and the status. Also the one way a message
 * leaves the archive reader: arc_warnf() sets the status to 1 and hands a
 * printable message to opts->warn; nothing here prints.
 *
 * Private to the arc_*.c files (include/arc.h is the public API). A struct
 * arc_ctx lives on the stack of one arc_fill_* call and is used by that
 * thread only.
 */
#ifndef DUFLAME_ARC_CTX_H
#define DUFLAME_ARC_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "arc.h"

struct arc_ctx {
    const struct arc_opts *o;
    struct tree_arena *a;
    uint64_t entries;        /* entries read, all levels */
    uint64_t bytes;          /* extracted bytes counted against max_bytes */
    uint64_t file_size;      /* of the outermost archive; 0 unknown (pipe) */
    const uint64_t *top_raw; /* raw bytes read from a pipe so far */
    uint64_t mem_used, spool_used;
    uint64_t pipe_bytes; /* bytes read from a pipe (the outermost input) */
    int status;          /* 0, or 1 once a warning was given */
    bool stopped;        /* a limit was reached: every level stops */
};

/* arc_warnf: format a message, keep only printable UTF-8 in it (\xHH for
 * the rest), set c->status to 1 and pass it to c->o->warn */
void arc_warnf(struct arc_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* arc_quote: 'name' made printable (diag_quote inside quotes); the caller
 * frees it */
char *arc_quote(const char *s);

/* the messages given in more than one place, with label quoted here */
/* "cannot read archive LABEL: WHAT" */
void arc_warn_archive(struct arc_ctx *c, const char *label, const char *what);
/* "cannot read archive LABEL: entry ENTRY: WHAT" */
void arc_warn_entry(struct arc_ctx *c, const char *label, const char *entry, const char *what);
/* a filter that would run an external program */
void arc_warn_external(struct arc_ctx *c, const char *label);

/* arc_bytes_limit: max_bytes, or its default from the outermost archive's
 * size (or the raw bytes read so far from a pipe) */
uint64_t arc_bytes_limit(const struct arc_ctx *c);

#endif
