/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_feed: where a libarchive reader gets its bytes. One struct arc_feed
 * serves one reader, from one of:
 *  - a descriptor (a regular file, seekable: skip and seek by lseek; or a
 *    pipe), after the bytes already read from it (pre: a pipe's head);
 *  - the same, decoded here by arc_dec (gzip, xz, zstd) so that every byte
 *    decoded before a truncation reaches the reader;
 *  - the same, decoded by arc_xz's threads (an input .tar.xz);
 *  - the parent archive's current entry data (a nested member read as a
 *    stream), after the head already read from it.
 * Read errors are set on the reader (archive_set_error) and so reach the
 * caller through libarchive; out of memory for the buffers is one of them.
 *
 * Private to the arc_*.c files. The feed owns buf, rawbuf, xz and dec
 * (arc_feed_release frees them); it does not own fd, pre or parent. One
 * thread.
 */
#ifndef DUFLAME_ARC_FEED_H
#define DUFLAME_ARC_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <archive.h>

#include "arc_ctx.h"
#include "arc_dec.h"
#include "arc_stored.h"
#include "arc_xz.h"

#define ARC_IOBUF (128 * 1024)

struct arc_feed {
    struct arc_ctx *c;
    const unsigned char *pre; /* bytes already read (a pipe's head) */
    size_t pre_len, pre_pos;
    int fd;                   /* >= 0: read from this descriptor */
    bool seekable;            /* fd is a regular file: skip and seek by lseek */
    struct archive *parent;   /* fd < 0: the parent's current entry data */
    bool parent_failed;       /* the parent's data could not be read */
    struct arc_xz *xz;        /* set: the decoded bytes of an xz file */
    struct arc_dec *dec;      /* set: gzip/xz/zstd decoded here (arc_dec.h) */
    const unsigned char *raw; /* dec: undecoded input not used yet */
    size_t raw_len;
    unsigned char *rawbuf; /* dec: ARC_IOBUF bytes read from fd */
    bool raw_eof;
    unsigned char *buf; /* ARC_IOBUF bytes handed to the reader */
    uint64_t served;    /* bytes handed out */
    uint64_t raw_fed;   /* dec: undecoded bytes taken from pre and fd */
    struct arc_map map; /* dec, xz: decoded to compressed positions */
};

/* arc_feed_open: set f up as ar's callbacks and open ar (its result: an
 * ARCHIVE_* code). f->fd, pre, parent, xz or dec are set before. */
int arc_feed_open(struct archive *ar, struct arc_feed *f);

/* arc_feed_release: free what the feed owns (after the reader is freed) */
void arc_feed_release(struct arc_feed *f);

#endif
