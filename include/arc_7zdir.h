/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_7zdir: each file's stored bytes in a 7z archive, from its header: a
 * 7z folder (a solid block) compresses many files together, so the packed
 * bytes of a folder are shared out among its files in proportion to their
 * unpacked sizes (cumulative rounding: the shares add up to the folder's
 * packed bytes exactly). Files without data (directories, empty files) get
 * nothing; the signature header and the archive's header are what is left
 * (the "(archive overhead)").
 *
 * Read: the signature header, then the header at its end, which is most
 * often itself packed (an "encoded header"): that one is unpacked when its
 * folder is one LZMA, LZMA2 or copy coder (liblzma), else the table cannot
 * be had. Only the streams (pack sizes, folders, their unpacked sizes and
 * substreams) and which files have data are read; names and times are
 * skipped. Anything inconsistent (a size past the file, a count past the
 * limit, more substreams than files with data) makes arc_7zdir_read return
 * NULL and the caller falls back to positions.
 *
 * Private to the arc_*.c files (and the fuzz harness). The table is the
 * caller's (arc_7zdir_free). One thread.
 */
#ifndef DUFLAME_ARC_7ZDIR_H
#define DUFLAME_ARC_7ZDIR_H

#include <stddef.h>
#include <stdint.h>

#include "arc_zipdir.h"

struct arc_7zdir {
    uint64_t *stored; /* per file, in the header's order (libarchive's) */
    size_t n;
};

/* arc_7zdir_read: the table of the 7z archive src; NULL when it cannot be
 * had. At most max_entries files. */
struct arc_7zdir *arc_7zdir_read(const struct arc_zipsrc *src, uint64_t max_entries);

void arc_7zdir_free(struct arc_7zdir *z);

#endif
