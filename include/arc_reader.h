/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_reader: a libarchive reader set up the one way duflame reads
 * archives: every format decoded in-process, and only the filters that run
 * in-process (the whitelist is probed once per process: libarchive falls
 * back to an external program for a filter it was built without, and
 * enabling that cannot be undone). Also the first header of a newly opened
 * reader, which tells an archive from a file.
 *
 * Private to the arc_*.c files and image.c (an image's layers). Thread-safe: the probe runs once
 * under pthread_once; each reader is used by one thread.
 */
#ifndef DUFLAME_ARC_READER_H
#define DUFLAME_ARC_READER_H

#include <archive.h>
#include <archive_entry.h>

/* arc_reader_new: a reader with the formats and filters above; NULL when
 * libarchive cannot allocate one (out of memory) */
struct archive *arc_reader_new(void);

/* arc_reader_tar_new: the same with tar as the only format (a container
 * image's layers: anything else is not a layer) */
struct archive *arc_reader_tar_new(void);

/* arc_reader_external: the name of a filter in a's chain that would run a
 * program (never enabled; checked anyway so that a libarchive change cannot
 * make duflame run one), or NULL */
const char *arc_reader_external(struct archive *a);

/* arc_reader_first_header: read the first header of ar, opened with result
 * open_r. Returns 1 and fills *r / *e when it is an archive with at least
 * one entry; 0 when it is not an archive (raw, or a tar with no entry);
 * -1 on an error before any entry (the message is in ar). */
int arc_reader_first_header(struct archive *ar, int open_r, int *r, struct archive_entry **e);

/* arc_entry_name: an entry's path as stored, "?" when it has none */
const char *arc_entry_name(struct archive_entry *e);

#endif
