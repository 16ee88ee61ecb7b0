/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * out: output files written safely. out_open() writes to a temporary file in
 * the target's directory; out_commit() flushes, fsyncs and renames it into
 * place, so a failed run never leaves half a file where the last good one
 * was; out_abort() removes the temporary file. With path NULL or "-" the
 * stream is standard output and commit only flushes it. A path that exists
 * and is not a regular file (/dev/null, a FIFO, /dev/stdout) is written in
 * place, so the node itself is never replaced; a symbolic link to a regular
 * file is kept and the file it points to is replaced.
 * Signals: while a temporary file exists, SIGINT, SIGTERM, SIGHUP, SIGQUIT,
 * SIGXFSZ and SIGPIPE (those not ignored) remove it and then end the process
 * with the signal's default action, at once, as without a handler (out_open
 * installs the handler, once). A signal never leaves a temporary file, and
 * the target is always either the previous file or the complete new one.
 * Not thread-safe: outputs are opened, committed and aborted by one thread
 * (the handler itself may run on any).
 */
#ifndef DUFLAME_OUT_H
#define DUFLAME_OUT_H

#include <stdio.h>

struct out {
    FILE *fp;      /* write here */
    char *path;    /* the final name, NULL for standard output */
    char *tmppath; /* the temporary name, NULL for standard output and in place */
    int slot;      /* where the signal handler finds tmppath, or -1 */
};

/* out_open: 0, or -1 with errno set (nothing created) */
int out_open(struct out *o, const char *path);
/* out_commit: 0, or -1 with errno set (then the temporary file is removed
 * and the old file, if any, is untouched) */
int out_commit(struct out *o);
void out_abort(struct out *o);

#endif
