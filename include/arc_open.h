/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_open: the outermost archive, from its first bytes to an open reader.
 * Its head is read and sniffed (arc_sniff); whether libarchive is asked at
 * all is decided (a PATH given as input always is; a file met in a scan
 * only when its head or its name says archive, so that a scan does not set
 * up a reader per file); then the way its bytes are fed is chosen: memory;
 * a regular .xz input decoded on several threads (arc_xz); gzip, xz or
 * zstd decoded here (arc_dec) so that a truncated tail keeps what came
 * before; a regular file read and seeked directly; a zip or 7z on a pipe
 * held whole first (arc_whole); any other pipe read as a stream after its
 * head. Also whether a regular file changed while it was read.
 *
 * Private to the arc_*.c files. One thread.
 */
#ifndef DUFLAME_ARC_OPEN_H
#define DUFLAME_ARC_OPEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include <archive.h>

#include "arc.h"
#include "arc_ctx.h"
#include "arc_dec.h"
#include "arc_feed.h"
#include "arc_sniff.h"
#include "arc_whole.h"

/* the result of arc_top_open when there is no reader to read (warned) */
#define ARC_TOP_NOT_OPENED 1

struct arc_top {
    /* the source: fd (a regular file or a pipe), or mem[0..len) */
    int fd;
    const unsigned char *mem;
    size_t len;
    enum arc_mode mode;
    const char *label;   /* for messages */
    bool says;           /* the name says archive */
    bool regular;        /* fd is a regular file */
    struct stat st;      /* fd's status before it was read (regular) */
    unsigned char *head; /* the first ARC_HEAD_ISO bytes at most */
    size_t hlen;
    enum arc_sniff s;
    /* the reader and what feeds it */
    struct archive *ar;
    struct arc_feed f;
    struct arc_whole w;
    bool whole; /* w holds a pipe's archive */
};

/* arc_top_head: read the head (a scan reads 4 KiB of a regular file, more
 * only for a start of zeros). -1 with the warning on a read error. */
int arc_top_head(struct arc_ctx *c, struct arc_top *t);

/* arc_top_offered: is the source to be offered to libarchive? When it is
 * not, an empty file whose name says archive, or a compression that needs
 * an external program, is warned about here. */
bool arc_top_offered(struct arc_ctx *c, struct arc_top *t, struct tree_node *node);

/* arc_top_open: open t->ar (made by the caller) on the source; returns the
 * open result, or ARC_TOP_NOT_OPENED with the warning */
int arc_top_open(struct arc_ctx *c, struct arc_top *t);

/* arc_top_close: free the reader and what fed it */
void arc_top_close(struct arc_ctx *c, struct arc_top *t);

/* arc_top_changed: warn when the regular file read changed (size, times)
 * since arc_top_head; what was read is kept */
void arc_top_changed(struct arc_ctx *c, const struct arc_top *t);

#endif
