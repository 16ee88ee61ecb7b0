/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_zipdir: where each member of a zip file starts, from its central
 * directory, so that a member's stored bytes are exact: its local header,
 * data and data descriptor, up to the next member (or the central
 * directory). libarchive reads a zip by seeking and tells neither.
 *
 * Only the end records (end of central directory, zip64 locator and end
 * record) and the central headers' local header offsets are read; any
 * inconsistency (offsets past the directory, a truncated header, too many
 * entries) makes arc_zipdir_read fail and the caller falls back to
 * positions. Offsets are taken as they are recorded, so a zip behind a
 * stub (self-extracting) whose offsets are not the file's fails too.
 *
 * Private to the arc_*.c files. The returned table is the caller's
 * (arc_zipdir_free). One thread.
 */
#ifndef DUFLAME_ARC_ZIPDIR_H
#define DUFLAME_ARC_ZIPDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* what the zip is read from: mem[0..size) when mem is set, else fd by pread */
struct arc_zipsrc {
    const unsigned char *mem;
    int fd;
    uint64_t size;
};

/* arc_zipsrc_get: n bytes at off into buf; false when they are not all
 * there (also used by the 7z header reader) */
bool arc_zipsrc_get(const struct arc_zipsrc *s, uint64_t off, void *buf, size_t n);

struct arc_zipdir {
    uint64_t *off; /* local header offsets, ascending, distinct */
    size_t n;
    uint64_t cd; /* where the central directory starts */
};

/* arc_zipdir_read: the table of src; NULL when it cannot be had. At most
 * max_entries central headers are read. */
struct arc_zipdir *arc_zipdir_read(const struct arc_zipsrc *src, uint64_t max_entries);

/* arc_zipdir_span: the bytes of the member whose data starts at pos (its
 * local header is the last one at or before pos), 0 when there is none */
uint64_t arc_zipdir_span(const struct arc_zipdir *z, uint64_t pos);

void arc_zipdir_free(struct arc_zipdir *z);

#endif
