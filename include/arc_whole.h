/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_whole: a member that needs seeking (zip, 7z, iso nested in another
 * archive, or a zip on a pipe) held whole: in memory while the memory budget
 * (--archive-memory) lasts, else in an unlinked temporary file while the
 * spool budget (--archive-spool) lasts; then opened from there. What is held
 * is counted in the struct arc_ctx's mem_used and spool_used, and given
 * back by arc_whole_release. Memory that cannot be had moves the member to
 * the temporary file, as a budget spent would; nothing ends the program.
 *
 * Private to the arc_*.c files. One thread.
 */
#ifndef DUFLAME_ARC_WHOLE_H
#define DUFLAME_ARC_WHOLE_H

#include <stddef.h>
#include <stdint.h>

#include <archive.h>

#include "arc_ctx.h"
#include "arc_feed.h"

struct arc_whole {
    unsigned char *mem;
    size_t len, held; /* bytes in mem, bytes of mem counted in mem_used */
    int fd;           /* the temporary file, or -1 */
    uint64_t spooled;
    uint64_t mem_avail, spool_avail;
};

enum arc_whole_result {
    ARC_WHOLE_OK,
    ARC_WHOLE_TOO_BIG,     /* larger than both budgets */
    ARC_WHOLE_READ_ERROR,  /* the data could not be read (message in ar) */
    ARC_WHOLE_SPOOL_ERROR, /* the temporary file could not be written (errno) */
    ARC_WHOLE_NO_MEMORY,   /* not even a read buffer could be had */
};

/* arc_whole_read: head[0..hlen) and the rest of ar's current entry data
 * (size bytes, -1 unknown) into w. On an error nothing is held. */
enum arc_whole_result arc_whole_read(struct arc_ctx *c, struct archive *ar,
                                     const unsigned char *head, size_t hlen, int64_t size,
                                     struct arc_whole *w);

/* arc_whole_size: the bytes held */
uint64_t arc_whole_size(const struct arc_whole *w);

/* arc_whole_open: open ar on what w holds, from memory or from its
 * temporary file (seekable, through the feed f) */
int arc_whole_open(struct archive *ar, struct arc_whole *w, struct arc_feed *f);

/* arc_whole_release: free what w holds and give its budget back */
void arc_whole_release(struct arc_ctx *c, struct arc_whole *w);

#endif
