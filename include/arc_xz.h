/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_xz: an xz file decoded on several threads (liblzma's threaded
 * decoder) by a feeder thread, handed out block by block, so that libarchive
 * reads the decoded tar stream while the decompression, the bottleneck of a
 * .tar.xz, runs in parallel. Used by arc.c for the outermost archive only.
 *
 * Memory is bounded: a few output buffers in flight, and liblzma's threaded
 * decoder limited (it falls back to one thread above the limit and stops
 * with an error above a hard one). One struct arc_xz is used by one reader
 * thread; its feeder thread is joined by arc_xz_stop().
 */
#ifndef DUFLAME_ARC_XZ_H
#define DUFLAME_ARC_XZ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct arc_xz;

/* arc_xz_start: decode the xz stream read from fd (from its current
 * position) on threads decoder threads. NULL when that is not possible (no
 * threaded decoder, or one thread only): the caller decodes as usual. */
struct arc_xz *arc_xz_start(int fd, unsigned threads);

/* a mark: the first out decoded bytes of a buffer had been decoded when
 * the decoder had taken raw bytes of the file (the threaded decoder takes
 * its input a few blocks ahead of its output) */
struct arc_xz_mark {
    uint32_t out;
    uint64_t raw;
};

/* arc_xz_read: the next decoded bytes in *buf, valid until the next call;
 * returns their number, 0 at the end, -1 on an error (*err says what).
 * *marks (*nmarks of them, valid as long as *buf) say what they took. */
ssize_t arc_xz_read(struct arc_xz *x, const void **buf, const struct arc_xz_mark **marks,
                    unsigned *nmarks, const char **err);

/* arc_xz_raw: bytes of the xz file read so far */
unsigned long long arc_xz_raw(struct arc_xz *x);

/* arc_xz_stop: stop the feeder (also before the end) and free everything */
void arc_xz_stop(struct arc_xz *x);

#endif
