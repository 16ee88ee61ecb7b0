/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_level: one archive being read, at some nesting depth, and how its
 * entries become tree nodes (the names and weights arc.h describes): names
 * split on '/', implicit parents made, a later entry replacing an earlier
 * one, the entry and byte limits counted, and a regular member handed to
 * arc_nested to see whether it is an archive itself.
 *
 * Private to the arc_*.c files. One thread; nodes come from c->a.
 */
#ifndef DUFLAME_ARC_LEVEL_H
#define DUFLAME_ARC_LEVEL_H

#include <stdbool.h>
#include <stdint.h>

#include <archive.h>
#include <archive_entry.h>

#include "arc_7zdir.h"
#include "arc_ctx.h"
#include "arc_stored.h"
#include "arc_zipdir.h"
#include "tree.h"

struct arc_level {
    struct arc_ctx *c;
    struct archive *ar;
    struct tree_node *node; /* the archive's node */
    char *label;            /* the archive's path for messages */
    unsigned depth;         /* 1 for the outermost archive */
    uint64_t encrypted;     /* encrypted entries seen */
    bool failed;            /* warned already: stop quietly */
    struct arc_map *map;    /* set: the input is decoded by its feed */
    struct arc_span span;   /* stored bytes (arc_stored.h) */
    struct arc_zipdir *zip; /* set: a zip's member offsets (not owned) */
    struct arc_7zdir *sz;   /* set: a 7z's files' shares of its folders (not owned) */
    size_t sz_next;         /* the 7z file the next header is */
};

/* arc_level_zipdir: the member offsets of a zip read from src (NULL when
 * lv's format is not zip or they cannot be had); free with arc_zipdir_free */
struct arc_zipdir *arc_level_zipdir(const struct arc_level *lv, const struct arc_zipsrc *src);

/* arc_level_7zdir: the same for a 7z (arc_7zdir.h); free with arc_7zdir_free */
struct arc_7zdir *arc_level_7zdir(const struct arc_level *lv, const struct arc_zipsrc *src);

/* arc_level_read: the entries of lv, the first one (result r, entry e)
 * already read; flags lv->node TREE_UNREADABLE when it stopped early.
 * Returns c->status. */
int arc_level_read(struct arc_level *lv, int r, struct archive_entry *e);

/* arc_level_stored_end: the "(archive overhead)" of lv, whose input was
 * total bytes (0: as far as its last header) */
void arc_level_stored_end(struct arc_level *lv, uint64_t total);

/* arc_level_count_bytes: count n extracted bytes of entry against the
 * limit; false (with the warning, and every level stopped) when it is
 * passed */
bool arc_level_count_bytes(struct arc_level *lv, uint64_t n, const char *entry);

#endif
